// Public surface of @glmjs/tasks.
export * from "./metrics/index.js";
export * from "./lm-eval/index.js";
