// Public surface of @glmjs/backend-webgl. Importing it registers the "webgl" backend with
// @glmjs/core; activate it with useBackend("webgl") or autoBackend().
import { registerBackend } from "@glmjs/core";
import { webglBackend } from "./provider.js";

registerBackend(webglBackend);

export { webglBackend };
export { WEBGL_ERROR, type WebGLErrorCode } from "./errors.js";
export { isSoftwareRenderer } from "./gl-context.js";
export type { GLRenderer } from "./gl-context.js";
