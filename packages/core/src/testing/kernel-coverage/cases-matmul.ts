// matMul in every form GLM's forward and backward passes produce: 2-D linear layers, their
// transposed gradients, tied output logits (transposeB) and 4-D batched attention products.
// Sizes are small (fast on emulated GPUs) but above ~8k multiply-adds per product, so backends
// that switch algorithms by size (e.g. @glmjs/backend-wasm's XNNPACK paths) take their fast path.
import { tf } from "../../tfjs.js";
import { type CoverageCase, floats } from "./case.js";

function matMulCase(name: string, aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean, purpose: string): CoverageCase {
  return {
    name,
    purpose,
    inputs: (rng) => ({ a: floats(rng, aShape), b: floats(rng, bShape) }),
    run: ({ a, b }) => tf.matMul(a!, b!, transposeA, transposeB),
  };
}

export const matMulCases: CoverageCase[] = [
  matMulCase("matMul 2-D", [24, 40], [40, 32], false, false, "linear layers (x·kernel)"),
  matMulCase("matMul transposeA", [40, 24], [40, 32], true, false, "kernel gradients (xᵀ·dy)"),
  matMulCase("matMul transposeB", [24, 40], [32, 40], false, true, "tied output logits (h·Wᵀ), input gradients (dy·kernelᵀ)"),
  matMulCase("matMul transposeA+B", [40, 24], [32, 40], true, true, "gradient of a transposeB matMul"),
  matMulCase("matMul 2-D 256", [128, 256], [256, 128], false, false, "a larger product (accumulation error, XNNPACK tiling)"),
  matMulCase("batched matMul 4-D", [2, 3, 24, 16], [2, 3, 16, 24], false, false, "attention scores q·kᵀ and context probs·v"),
  matMulCase("batched matMul 4-D transposeB", [2, 3, 24, 16], [2, 3, 24, 16], false, true, "attention scores against untransposed keys"),
  matMulCase("batched matMul 3-D transposeA", [4, 16, 24], [4, 16, 24], true, false, "gradient of a batched matMul"),
  {
    // tfjs 4.22's BatchMatMul gradient does not sum over a broadcast batch (tfjs issues 8548,
    // 8721): a [b,s,h]·[h,o] product's gradient has the wrong shape on every backend. GLM avoids
    // it by multiplying [b·s,h]·[h,o]; this case checks that formulation, forward and backward.
    name: "matMul 3-D input x shared 2-D kernel (via reshape)",
    purpose: "linear layer over [batch, seq, hidden] activations without tfjs's broadcast-gradient bug",
    inputs: (rng) => ({ x: floats(rng, [2, 16, 32]), w: floats(rng, [32, 24]) }),
    run: ({ x, w }) => tf.reshape(tf.matMul(tf.reshape(x!, [32, 32]), w!), [2, 16, 24]),
  },
  {
    name: "matMul broadcast batch (forward only)",
    purpose: "[batch, seq, hidden]·[hidden, out] forward; its gradient is tfjs's bug, see the case above",
    inputs: (rng) => ({ x: floats(rng, [2, 16, 32], { grad: false }), w: floats(rng, [32, 24], { grad: false }) }),
    run: ({ x, w }) => tf.matMul(x!, w!),
  },
];
