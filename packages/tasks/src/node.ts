// Node-only helpers of @glmjs/tasks (files on disk; the parsers themselves are in the browser-safe main entry).
export { loadGLM } from "./loading/node.js";
export { readLambada } from "./lm-eval/read-lambada.js";
export * from "./datasets/read-files.js";
