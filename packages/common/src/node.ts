// Node-only surface of @glmjs/common ("@glmjs/common/node"): file writes. The modules load Node
// built-ins lazily (importNode), so browser-safe code of other packages may import them too.
export * from "./index.js";
export { ATOMIC_TEMP_PATTERN, cleanStaleTemps, isAtomicWriteTemp, writeFileAtomic, type CleanStaleTempsOptions } from "./node/atomic-write.js";
