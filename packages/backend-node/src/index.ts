// Public surface of @glmjs/backend-node. Importing it registers "tfjs-node" and "tfjs-node-gpu"
// with @glmjs/core; neither native package is loaded until a probe or activation needs it.
import { registerBackend } from "@glmjs/core";
import { tfjsNodeBackend, tfjsNodeGpuBackend } from "./provider.js";

registerBackend(tfjsNodeGpuBackend);
registerBackend(tfjsNodeBackend);

export { tfjsNodeBackend, tfjsNodeGpuBackend };
export { NODE_BACKEND_ERROR, type NodeBackendErrorCode } from "./errors.js";
export { classifyTfjsNodeLoadError, diagnoseNoGpuDevice, diagnoseVersionMismatch, installCommand, TFJS_VERSION } from "./classify.js";
export type { CudaLibraries, FailureKind, TfjsNodePackage, Unavailable } from "./classify.js";
