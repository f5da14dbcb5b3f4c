// Node-only helpers of @glmjs/tasks (dataset files on disk).
export {};
