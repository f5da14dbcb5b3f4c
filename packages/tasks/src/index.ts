// Public surface of @glmjs/tasks.
export * from "./metrics/index.js";
