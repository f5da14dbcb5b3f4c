// Public surface of @glmjs/core.
export { tf } from "./tfjs.js";
export { CORE_ERROR, type CoreErrorCode } from "./errors.js";
export * from "./backend/index.js";
// Checkpoint I/O lives in @glmjs/checkpoint (no tfjs); re-exported so existing imports keep working.
export * from "@glmjs/checkpoint";
// Node-only checkpoint file helpers, kept here so existing imports compile; new code imports them
// from "@glmjs/core/node" (or "@glmjs/checkpoint/node"). Browser-safe: they load node:fs lazily.
export {
  CHECKPOINT_FILE_NAMES,
  findCheckpointFile,
  readCheckpoint,
  readCheckpointFile,
  readFileBytes,
  readShardedCheckpoint,
  writeFileAtomic,
  writeSafetensorsFile,
  writeShardedSafetensors,
  type ShardedWriteOptions,
} from "@glmjs/checkpoint/node";
// Model (config, presets, the transformer, loss, incremental decoding).
export * from "./config/index.js";
export * from "./model/index.js";
export * from "./io/index.js";
// The kernel coverage suite (runKernelCoverage, kernelCoverageCases) is in "@glmjs/core/testing".
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
  logSumExpRow,
  topKRow,
  topKRows,
  topKLogits,
} from "./ops/index.js";
export type {
  GlmCachedAttentionAttrs,
  GlmLayerNormAttrs,
  GlmLinearAttrs,
  GlmTopKAttrs,
  TopKLogitsResult,
  CachedAttentionGeometry,
  LinearActivation,
  FusedOpOptions,
  FusedLinearOptions,
  CachedAttentionResult,
} from "./ops/index.js";
