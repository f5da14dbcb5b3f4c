// glmjs's fused decoding kernels (GlmLayerNorm, GlmLinear, GlmCachedAttention, GlmTopK): forward only —
// they run in the decoder, which is never differentiated. On a backend without a glmjs kernel
// the op's composite of tfjs ops runs, so every backend is checked against cpu's kernels.
// The cached-attention cases return the cache buffers too: the in-place write is compared.
import { cachedAttention } from "../../ops/cached-attention.js";
import { fusedLayerNorm } from "../../ops/layer-norm.js";
import { fusedLinear } from "../../ops/linear.js";
import { topKLogits } from "../../ops/top-k.js";
import { tf } from "../../tfjs.js";
import { type CoverageCase, type CoverageInput, floats } from "./case.js";

const values = (rng: () => number, shape: number[], scale = 1): CoverageInput => floats(rng, shape, { scale, grad: false });

/** 0/1 float mask, each row keeping at least its last column. */
function mask01(rng: () => number, shape: number[]): CoverageInput {
  const m = values(rng, shape);
  const cols = shape[shape.length - 1]!;
  for (let i = 0; i < m.values.length; i++) m.values[i] = i % cols === cols - 1 || rng() < 0.6 ? 1 : 0;
  return m;
}

function attentionCase(
  name: string,
  purpose: string,
  s: { batch: number; heads: number; headSize: number; capacity: number; start: number; length: number; seq: number; maskRows?: number },
): CoverageCase {
  const hidden = s.heads * s.headSize;
  const cache = [s.batch, s.heads, s.capacity, s.headSize];
  return {
    name,
    purpose,
    inputs: (rng) => ({
      qkv: values(rng, [s.batch * s.seq, 3 * hidden], 2),
      keys: values(rng, cache),
      values: values(rng, cache),
      ...(s.maskRows ? { mask: mask01(rng, [s.batch, 1, s.maskRows, s.length + s.seq]) } : {}),
    }),
    run: (x) => {
      const r = cachedAttention(x["qkv"]!, x["keys"] as tf.Tensor4D, x["values"] as tf.Tensor4D, x["mask"], {
        heads: s.heads,
        start: s.start,
        length: s.length,
        keyDivisor: Math.fround(Math.sqrt(s.headSize)),
      });
      return [r.context, r.keys, r.values];
    },
  };
}

export const decodingCases: CoverageCase[] = [
  {
    name: "fused LayerNorm (GlmLayerNorm)",
    purpose: "the decoder's LayerNorms in one kernel",
    inputs: (rng) => ({ x: values(rng, [5, 64], 3), gamma: values(rng, [64]), beta: values(rng, [64], 0.5) }),
    run: ({ x, gamma, beta }) => fusedLayerNorm(x!, gamma!, beta!, 1e-5),
  },
  {
    name: "fused Linear: bias + tanh-GELU (GlmLinear)",
    purpose: "the decoder's dense_h_to_4h with its bias and GELU",
    inputs: (rng) => ({ x: values(rng, [3, 32]), kernel: values(rng, [32, 64], 0.5), bias: values(rng, [64], 0.5) }),
    run: ({ x, kernel, bias }) => fusedLinear(x!, kernel!, { bias, activation: "gelu_tanh" }),
  },
  {
    name: "fused Linear: bias + erf-GELU + residual (GlmLinear)",
    purpose: "the HF port's erf GELU; a residual added after the activation",
    inputs: (rng) => ({ x: values(rng, [2, 48]), kernel: values(rng, [48, 16], 0.5), bias: values(rng, [16], 0.5), residual: values(rng, [2, 16]) }),
    run: ({ x, kernel, bias, residual }) => fusedLinear(x!, kernel!, { bias, activation: "gelu_erf", residual }),
  },
  {
    name: "fused Linear: bias + residual, odd width (GlmLinear)",
    purpose: "attention.dense / dense_4h_to_h with the residual stream; a width that is not a multiple of 4",
    inputs: (rng) => ({ x: values(rng, [3, 20]), kernel: values(rng, [20, 7], 0.5), bias: values(rng, [7], 0.5), residual: values(rng, [3, 7]) }),
    run: ({ x, kernel, bias, residual }) => fusedLinear(x!, kernel!, { bias, residual }),
  },
  attentionCase(
    "cached attention: one query over the cache (GlmCachedAttention)",
    "a decode step: the new key/value written in place, one query over the window",
    {
      batch: 2,
      heads: 2,
      headSize: 8,
      capacity: 16,
      start: 3,
      length: 6,
      seq: 1,
    },
  ),
  attentionCase(
    "cached attention: several queries with a mask (GlmCachedAttention)",
    "a multi-token step with an explicit or sep mask over memory + new tokens",
    {
      batch: 2,
      heads: 2,
      headSize: 8,
      capacity: 12,
      start: 0,
      length: 4,
      seq: 3,
      maskRows: 3,
    },
  ),
  attentionCase(
    "cached attention: head size 6, one mask row (GlmCachedAttention)",
    "a head size that is not a multiple of 4; a mask broadcast over the queries",
    {
      batch: 1,
      heads: 3,
      headSize: 6,
      capacity: 8,
      start: 1,
      length: 2,
      seq: 2,
      maskRows: 1,
    },
  ),
  {
    name: "token selection: top 5 with log-sum-exp (GlmTopK)",
    purpose: "beam search and top-k sampling read k ids per row and their log-probabilities instead of a vocabulary row",
    inputs: (rng) => ({ logits: values(rng, [3, 256], 8) }),
    run: ({ logits }) => {
      const r = topKLogits(logits!, 5);
      return [r.indices, r.values, r.logSumExp];
    },
  },
  {
    name: "token selection: top 1 over an odd width (GlmTopK)",
    purpose: "greedy decoding's argmax with its log-probability; a width that is not a multiple of 4",
    inputs: (rng) => ({ logits: values(rng, [2, 37], 4) }),
    run: ({ logits }) => {
      const r = topKLogits(logits!, 1);
      return [r.indices, r.values, r.logSumExp];
    },
  },
];
