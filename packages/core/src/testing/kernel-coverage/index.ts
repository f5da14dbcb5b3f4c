export type { CoverageCase, CoverageDType, CoverageInput, CoverageResult } from "./case.js";
export { kernelCoverageCases } from "./cases.js";
export { tiledMatMulCases } from "./cases-matmul-tiled.js";
export { runKernelCoverage } from "./run.js";
export type { KernelCoverageOptions } from "./run.js";
