// Public surface of @glmjs/backend-webgpu. Importing it registers the "webgpu" backend with
// @glmjs/core; activate it with useBackend("webgpu") or autoBackend().
import { registerBackend } from "@glmjs/core";
import { webgpuBackend } from "./provider.js";

registerBackend(webgpuBackend);

export { webgpuBackend };
export { WEBGPU_ERROR, type WebGPUErrorCode } from "./errors.js";
export { isWebGPUDeterministic, setWebGPUDeterministic } from "./deterministic/deterministic.js";
export { adapterIdentity, describeAdapter } from "./adapter-info.js";
export type { AdapterIdentity, AdapterLike } from "./adapter-info.js";
export { classifyDawnLoadError, diagnoseBrowserNoAdapter, diagnoseNodeNoAdapter, DAWN_PACKAGE, MESA_PACKAGES } from "./diagnose.js";
export type { SystemGraphicsLibraries, Unavailable } from "./diagnose.js";
export { resetWebGPUMatMul, setWebGPUMatMul, webGPUMatMulOptions, webGPUMatMulPlan } from "./matmul/kernel.js";
export { DEFAULT_MATMUL_OPTIONS, TILE_CONFIGS, tileConfig } from "./matmul/plan.js";
export type { MatMulLimits, MatMulOptions, MatMulPlan, TileConfig } from "./matmul/plan.js";
