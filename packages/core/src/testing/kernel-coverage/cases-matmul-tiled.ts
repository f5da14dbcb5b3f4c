// matMuls large enough for a backend's big-matrix path (e.g. @glmjs/backend-webgpu's tiled
// kernel: ≥ 2^20 multiply-adds, both output sides ≥ 16), in the forms a GLM training step
// produces, with sizes that are not multiples of the usual tile sizes (64, 128) or of 4, so
// that partial tiles, scalar loads and a split inner dimension are all exercised. Small enough
// for software adapters (1.1–1.6 M multiply-adds each, and so are their gradients' products).
import { tf } from "../../tfjs.js";
import { type CoverageCase, floats } from "./case.js";

function tiledCase(name: string, aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean, purpose: string, grad = true): CoverageCase {
  return {
    name,
    purpose,
    inputs: (rng) => ({ a: floats(rng, aShape, { grad }), b: floats(rng, bShape, { grad }) }),
    run: ({ a, b }) => tf.matMul(a!, b!, transposeA, transposeB),
  };
}

export const tiledMatMulCases: CoverageCase[] = [
  tiledCase(
    "large matMul: partial tiles, inner 70",
    [130, 70],
    [70, 136],
    false,
    false,
    "a linear layer whose sizes fill no tile exactly (inner dimension not a multiple of 4)",
  ),
  tiledCase(
    "large matMul transposeA: long inner dimension",
    [1030, 40],
    [1030, 36],
    true,
    false,
    "a weight gradient xᵀ·dy over many tokens (few output tiles: a split inner dimension)",
  ),
  tiledCase("large matMul transposeB: odd width", [96, 64], [250, 64], false, true, "tied output logits h·Wᵀ over a vocabulary that is not a multiple of 4"),
  tiledCase(
    "large matMul transposeA+B: odd rows",
    [72, 130],
    [136, 72],
    true,
    true,
    "the gradient of a transposeB product, with an output side not a multiple of 4",
  ),
  tiledCase("large batched matMul 4-D transposeB", [2, 4, 66, 32], [2, 4, 66, 32], false, true, "attention scores q·kᵀ for 2 rows × 4 heads, 66 positions"),
  tiledCase("large batched matMul 3-D transposeA", [4, 66, 72], [4, 66, 68], true, false, "the gradient of a batched product"),
  tiledCase(
    "large matMul broadcast batch (forward only)",
    [4, 70, 64],
    [64, 68],
    false,
    false,
    "[batch, seq, hidden]·[hidden, out]: one operand broadcast over the batch",
    false,
  ),
  {
    name: "large fused matMul + bias",
    purpose: "a Linear layer through tf.fused.matMul (the bias added in the product's kernel)",
    inputs: (rng) => ({ x: floats(rng, [130, 72]), kernel: floats(rng, [72, 132]), bias: floats(rng, [132]) }),
    run: ({ x, kernel, bias }) => tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, bias: bias! }),
  },
];
