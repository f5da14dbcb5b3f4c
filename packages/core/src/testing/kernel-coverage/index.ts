export type { CoverageCase, CoverageDType, CoverageInput, CoverageResult } from "./case.js";
export { kernelCoverageCases } from "./cases.js";
export { tiledMatMulCases } from "./cases-matmul-tiled.js";
export { runKernelCoverage } from "./run-kernel-coverage.js";
export type { KernelCoverageOptions } from "./run-kernel-coverage.js";
