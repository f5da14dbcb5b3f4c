// Public surface of @glmjs/tasks.
export {};
