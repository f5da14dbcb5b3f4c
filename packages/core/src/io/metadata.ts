/** Metadata key under which glmjs (and the reference fixtures) store the config JSON in safetensors. */
export const CONFIG_METADATA_KEY = "glm_config";
