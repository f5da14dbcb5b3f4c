export { GLMConfigError, estimateFlopsPerToken, headSize, parameterCount, parseConfigJson, toHuggingFaceConfig, validateConfig } from "./glm-config.js";
export type { GLMActivation, GLMConfig, GLMConfigInput } from "./glm-config.js";
export { glmPresets, presetConfig } from "./presets.js";
export type { GLMPresetName } from "./presets.js";
export { inferConfigFromShapes } from "./infer.js";
