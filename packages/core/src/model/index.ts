export { GLMModel } from "./glm-model.js";
export type { ForwardOptions, ForwardResult, NamedArrays } from "./glm-model.js";
export type { GLMForwardInputs, IdsLike } from "./inputs.js";
export type { GLMTrainingBatch, LossOptions } from "./loss.js";
export { GLMDecoder } from "./kv-cache.js";
export type { DecodeStepOptions, DecodeStepResult, DecoderOptions, TokenSelection } from "./kv-cache.js";
export { MASKED_SCORE, sepMask } from "./attention.js";
export { gelu } from "./mlp.js";
export { normalStream } from "./init.js";
export { parameterSpecs } from "./parameters.js";
export type { ModelWeights, ParameterKind, ParameterSpec } from "./parameters.js";
// The weight views ModelWeights is made of (GLMDecoder takes them).
export type { EmbeddingWeights } from "./embeddings.js";
export type { NormWeights } from "./layer-norm.js";
export type { LayerWeights } from "./layer.js";
export type { AttentionWeights } from "./attention.js";
export type { LinearWeights, MlpWeights } from "./mlp.js";
