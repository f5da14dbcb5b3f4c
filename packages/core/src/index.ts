// Public surface of @glmjs/core.
export { tf } from "./tfjs.js";
export * from "./backend/index.js";
export * from "./checkpoint/index.js";
// Model (config, presets, the transformer, loss, incremental decoding).
export * from "./config/index.js";
export * from "./model/index.js";
export * from "./io/index.js";
// Kernel coverage suite: GLM's ops, forward and gradient, on any backend against cpu.
export * from "./conformance/index.js";
// glmjs's fused decoding kernels: names, attrs, the shared arithmetic (for backend packages).
export {
  GLM_KERNELS,
  backendHasKernel,
  activateInPlace,
  attendCached,
  layerNormRows,
  writeKeysValues,
  cachedAttentionGeometry,
  fusedLayerNorm,
  fusedLinear,
  cachedAttention,
} from "./ops/index.js";
export type {
  GlmCachedAttentionAttrs,
  GlmLayerNormAttrs,
  GlmLinearAttrs,
  CachedAttentionGeometry,
  LinearActivation,
  FusedOpOptions,
  FusedLinearOptions,
  CachedAttentionResult,
} from "./ops/index.js";
