// Public surface of @glmjs/cli (the `glm` bin is dist/bin.js).
export { buildProgram } from "./program.js";
