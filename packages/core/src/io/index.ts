export { loadModel } from "./load-model.js";
export { CONFIG_METADATA_KEY } from "./metadata.js";
export type { InMemoryCheckpoint, LoadModelOptions } from "./load-model.js";
export { HF_CODE_REPO, huggingFaceConfig } from "./save-model.js";
export type { ModelFolderFiles, SaveDType, SaveFormat, SaveOptions } from "./save-model.js";
