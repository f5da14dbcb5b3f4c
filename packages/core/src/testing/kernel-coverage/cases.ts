import type { CoverageCase } from "./case.js";
import { composedCase } from "./cases-composed.js";
import { matMulCases } from "./cases-matmul.js";
import { opCases } from "./cases-ops.js";

/** Every op GLM's training and inference need, forward and gradient, plus one composed block. */
export const kernelCoverageCases: readonly CoverageCase[] = [...opCases, ...matMulCases, composedCase];
