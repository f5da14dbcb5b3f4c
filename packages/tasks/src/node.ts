// Node-only helpers of @glmjs/tasks (dataset files on disk).
export { readLambada } from "./lm-eval/read-lambada.js";
