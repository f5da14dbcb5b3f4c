import type { CoverageCase } from "./case.js";
import { composedCase } from "./cases-composed.js";
import { decodingCases } from "./cases-decoding.js";
import { matMulCases } from "./cases-matmul.js";
import { opCases } from "./cases-ops.js";

/** Every op GLM's training and inference need, forward and gradient, plus one composed block and glmjs's fused decoding kernels. */
export const kernelCoverageCases: readonly CoverageCase[] = [...opCases, ...matMulCases, composedCase, ...decodingCases];
