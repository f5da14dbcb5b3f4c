// Node-only helpers of @glmjs/tasks (files on disk).
export { loadGLM } from "./loading/node.js";
export { readLambada } from "./lm-eval/read-lambada.js";
