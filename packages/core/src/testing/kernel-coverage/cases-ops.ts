// Single ops (and small compositions) that GLM's forward and backward passes use.
import { tf } from "../../tfjs.js";
import { type CoverageCase, type CoverageInput, floats, intValues, ints } from "./case.js";

const SQRT_2_OVER_PI = 0.7978845608028654;

/** 0/1 float mask where query i sees key j iff j < sep or j <= i ([batch, 1, seq, seq]). */
export function sepMaskOf(sep: tf.Tensor, batch: number, seq: number): tf.Tensor {
  const cols = tf.reshape(tf.range(0, seq, 1, "int32"), [1, 1, seq]);
  const rows = tf.reshape(tf.range(0, seq, 1, "int32"), [1, seq, 1]);
  const visible = tf.logicalOr(tf.less(cols, tf.reshape(sep, [batch, 1, 1])), tf.lessEqual(cols, rows));
  return tf.expandDims(tf.cast(visible, "float32"), 1);
}

export function tanhGelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.mul(x, SQRT_2_OVER_PI), tf.add(tf.mul(tf.square(x), 0.044715), 1));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

const bools = (rng: () => number, shape: number[], pTrue = 0.5): CoverageInput => {
  const values = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng() < pTrue ? 1 : 0;
  return { shape, dtype: "bool", values };
};

export const opCases: CoverageCase[] = [
  {
    name: "gather (embedding lookup)",
    purpose: "word/position embeddings; its gradient is UnsortedSegmentSum (repeated ids accumulate)",
    inputs: (rng) => ({ table: floats(rng, [50, 16]), ids: intValues([3, 7, 3, 0, 49, 7, 7, 12, 25, 3, 0, 18]) }),
    run: ({ table, ids }) => tf.gather(table!, ids!),
  },
  {
    name: "gather 2-D ids",
    purpose: "embedding of [batch, seq] ids",
    inputs: (rng) => ({ table: floats(rng, [30, 8]), ids: ints(rng, [3, 7], 30) }),
    run: ({ table, ids }) => tf.gather(table!, ids!),
  },
  {
    name: "softmax",
    purpose: "attention probabilities (with -65504 masked scores)",
    inputs: (rng) => ({ x: floats(rng, [2, 3, 8, 8], { scale: 4 }), masked: bools(rng, [2, 3, 8, 8], 0.2) }),
    run: ({ x, masked }) => tf.softmax(tf.where(masked!, tf.fill(x!.shape, -65504), x!), -1),
  },
  {
    name: "logSoftmax",
    purpose: "token log-probabilities (generation, scoring)",
    inputs: (rng) => ({ x: floats(rng, [6, 40], { scale: 5 }) }),
    run: ({ x }) => tf.logSoftmax(x!),
  },
  {
    name: "logSumExp",
    purpose: "the cross-entropy normaliser",
    inputs: (rng) => ({ x: floats(rng, [6, 40], { scale: 5 }) }),
    run: ({ x }) => tf.logSumExp(x!, 1),
  },
  {
    name: "layer norm (moments, rsqrt)",
    purpose: "every LayerNorm",
    inputs: (rng) => ({ x: floats(rng, [10, 32], { scale: 3 }), gamma: floats(rng, [32]), beta: floats(rng, [32]) }),
    run: ({ x, gamma, beta }) => layerNorm(x!, gamma!, beta!),
  },
  {
    name: "moments",
    purpose: "mean and variance over the hidden axis",
    inputs: (rng) => ({ x: floats(rng, [10, 32], { scale: 3 }) }),
    run: ({ x }) => {
      const { mean, variance } = tf.moments(x!, -1, true);
      return [mean, variance];
    },
  },
  {
    name: "tanh-GELU",
    purpose: "the MLP activation (gelu_new)",
    inputs: (rng) => ({ x: floats(rng, [8, 32], { scale: 4 }) }),
    run: ({ x }) => tanhGelu(x!),
  },
  {
    name: "erf-GELU",
    purpose: "the exact GELU of the Hugging Face port",
    inputs: (rng) => ({ x: floats(rng, [8, 32], { scale: 4 }) }),
    run: ({ x }) => tf.mul(tf.mul(x!, 0.5), tf.add(tf.erf(tf.mul(x!, Math.SQRT1_2)), 1)),
  },
  {
    name: "sep mask arithmetic",
    purpose: "scores·mask + (1 − mask)·(−65504), mask from range/less/lessEqual/logicalOr/cast",
    inputs: (rng) => ({ scores: floats(rng, [2, 2, 6, 6], { scale: 3 }), sep: intValues([2, 4]) }),
    run: ({ scores, sep }) => {
      const mask = sepMaskOf(sep!, 2, 6);
      return tf.add(tf.mul(scores!, mask), tf.mul(tf.sub(1, mask), -65504));
    },
  },
  {
    name: "where",
    purpose: "selecting by a boolean mask",
    inputs: (rng) => ({ cond: bools(rng, [6, 10]), a: floats(rng, [6, 10]), b: floats(rng, [6, 10]) }),
    run: ({ cond, a, b }) => tf.where(cond!, a!, b!),
  },
  {
    name: "oneHot float32",
    purpose: "one-hot targets (tfjs 4.22's wasm kernel wrote int32 bits here)",
    inputs: () => ({ ids: intValues([0, 3, 9, 3, 5, 12]) }),
    run: ({ ids }) => tf.oneHot(ids!, 10, 1, 0, "float32"),
  },
  {
    name: "oneHot int32",
    purpose: "one-hot masks",
    inputs: () => ({ ids: intValues([0, 3, 9, 3, 5]) }),
    run: ({ ids }) => tf.oneHot(ids!, 10),
  },
  {
    name: "concat, stack",
    purpose: "incremental-decoding caches, the Part A / Part B layout",
    inputs: (rng) => ({ a: floats(rng, [2, 3, 4]), b: floats(rng, [2, 5, 4]), c: floats(rng, [2, 3, 4]) }),
    run: ({ a, b, c }) => [tf.concat([a!, b!], 1), tf.concat([a!, c!], 2), tf.stack([a!, c!], 1)],
  },
  {
    name: "addN of 12 and of 29 tensors",
    purpose: "the global gradient norm adds one squared sum per parameter (29 for two layers): more inputs than one shader may bind",
    inputs: (rng) => Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`x${i}`, floats(rng, [3, 5])])),
    run: (x) => {
      const all = Array.from({ length: 29 }, (_, i) => x[`x${i}`]!);
      return [tf.addN(all.slice(0, 12)), tf.addN(all), tf.addN(all.map((t) => tf.sum(tf.square(t))))];
    },
  },
  {
    name: "slice, split",
    purpose: "the fused QKV split, cache windows",
    inputs: (rng) => ({ x: floats(rng, [6, 24]) }),
    run: ({ x }) => [tf.slice(x!, [1, 4], [3, 10]), ...tf.split(x!, 3, 1)],
  },
  {
    name: "reshape, transpose 4-D",
    purpose: "heads split/merge: [b,s,h,d] → [b,h,s,d] and keys → [b,h,d,s]",
    inputs: (rng) => ({ x: floats(rng, [2, 5, 12]) }),
    run: ({ x }) => {
      const heads = tf.reshape(x!, [2, 5, 3, 4]);
      return [tf.transpose(heads, [0, 2, 1, 3]), tf.transpose(heads, [0, 2, 3, 1])];
    },
  },
  {
    name: "sum, mean, max",
    purpose: "reductions of the loss, LayerNorm and the gradient-norm clip",
    inputs: (rng) => ({ x: floats(rng, [4, 6, 8]) }),
    run: ({ x }) => [tf.sum(x!), tf.sum(x!, 1), tf.mean(x!, -1, true), tf.mean(x!, [0, 2]), tf.max(x!, -1)],
  },
  {
    name: "elementwise (div, sub, exp, log, sqrt, maximum)",
    purpose: "scaling, optimizer-style arithmetic",
    inputs: (rng) => ({ a: floats(rng, [5, 7]), b: floats(rng, [5, 7]) }),
    run: ({ a, b }) => {
      const positive = tf.add(tf.abs(b!), 0.5);
      return [tf.div(a!, positive), tf.sub(a!, b!), tf.exp(a!), tf.log(positive), tf.sqrt(positive), tf.maximum(a!, b!)];
    },
  },
  {
    name: "sparse cross-entropy",
    purpose: "the loss: logSumExp(logits) − logits[target], masked mean",
    inputs: (rng) => ({
      logits: floats(rng, [8, 30], { scale: 4 }),
      targets: ints(rng, [8], 30),
      mask: { shape: [8], dtype: "float32", values: Float32Array.from([1, 0, 1, 1, 0, 1, 1, 1]) },
    }),
    run: ({ logits, targets, mask }) => {
      const picked = tf.sum(tf.mul(logits!, tf.oneHot(targets!, 30, 1, 0, "float32")), 1);
      const perToken = tf.sub(tf.logSumExp(logits!, 1), picked);
      return tf.div(tf.sum(tf.mul(perToken, mask!)), tf.sum(mask!));
    },
  },
  {
    name: "argMax, topk, broadcastTo, unstack",
    purpose: "generation (greedy, top-k) and cache handling (forward only)",
    inputs: (rng) => ({ x: floats(rng, [4, 20], { grad: false }), row: floats(rng, [1, 20], { grad: false }) }),
    run: ({ x, row }) => {
      const { values, indices } = tf.topk(x!, 5);
      return [tf.argMax(x!, 1), values, indices, tf.broadcastTo(row!, [3, 20]), ...tf.unstack(x!, 0)];
    },
  },
];
