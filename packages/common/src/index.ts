// Public surface of @glmjs/common (browser-safe: nothing here loads a Node module on import).
export { GlmjsError, type GlmjsErrorOptions } from "./errors.js";
export { COMMON_ERROR, type CommonErrorCode } from "./error-codes.js";
export { importNode, type NodeBuiltins } from "./node-import.js";
