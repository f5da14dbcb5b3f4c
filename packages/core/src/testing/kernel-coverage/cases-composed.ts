// A small GLM block, gradients of every parameter: embedding → LayerNorm → attention with the
// sep mask → residual → LayerNorm → tanh-GELU MLP → residual → LayerNorm → tied logits →
// masked sparse cross-entropy. Written out here (not imported from ../model) so the suite
// checks kernels, independent of how the model code evolves.
import { tf } from "../../tfjs.js";
import { type CoverageCase, type CoverageInput, floats, intValues, ints } from "./case.js";
import { layerNorm, sepMaskOf, tanhGelu } from "./cases-ops.js";

const BATCH = 2;
const SEQ = 6;
const HIDDEN = 16;
const HEADS = 2;
const HEAD = HIDDEN / HEADS;
const VOCAB = 24;
const ROWS = BATCH * SEQ;

function ones(shape: number[]): CoverageInput {
  return { shape, dtype: "float32", values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), grad: true };
}

const linear = (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => tf.add(tf.matMul(x, kernel), bias);

export const composedCase: CoverageCase = {
  name: "composed GLM block (embedding → attention → GELU MLP → cross-entropy)",
  purpose: "one training step's forward and backward, all parameters",
  inputs: (rng) => ({
    word: floats(rng, [VOCAB, HIDDEN], { scale: 0.5 }),
    position: floats(rng, [SEQ, HIDDEN], { scale: 0.5 }),
    ln1Gamma: ones([HIDDEN]),
    ln1Beta: floats(rng, [HIDDEN], { scale: 0.1 }),
    qkvKernel: floats(rng, [HIDDEN, 3 * HIDDEN], { scale: 0.3 }),
    qkvBias: floats(rng, [3 * HIDDEN], { scale: 0.1 }),
    denseKernel: floats(rng, [HIDDEN, HIDDEN], { scale: 0.3 }),
    denseBias: floats(rng, [HIDDEN], { scale: 0.1 }),
    ln2Gamma: ones([HIDDEN]),
    ln2Beta: floats(rng, [HIDDEN], { scale: 0.1 }),
    fc1Kernel: floats(rng, [HIDDEN, 4 * HIDDEN], { scale: 0.3 }),
    fc1Bias: floats(rng, [4 * HIDDEN], { scale: 0.1 }),
    fc2Kernel: floats(rng, [4 * HIDDEN, HIDDEN], { scale: 0.3 }),
    fc2Bias: floats(rng, [HIDDEN], { scale: 0.1 }),
    lnFGamma: ones([HIDDEN]),
    lnFBeta: floats(rng, [HIDDEN], { scale: 0.1 }),
    ids: ints(rng, [ROWS], VOCAB),
    positions: intValues(Array.from({ length: ROWS }, (_, i) => i % SEQ)),
    sep: intValues([2, 4]),
    targets: ints(rng, [ROWS], VOCAB),
    lossMask: { shape: [ROWS], dtype: "float32", values: Float32Array.from({ length: ROWS }, (_, i) => (i % SEQ >= 3 ? 1 : 0)) },
  }),
  run: (p) => {
    const x0 = tf.add(tf.gather(p["word"]!, p["ids"]!), tf.gather(p["position"]!, p["positions"]!));
    // Attention.
    const a = layerNorm(x0, p["ln1Gamma"]!, p["ln1Beta"]!);
    const [q2d, k2d, v2d] = tf.split(linear(a, p["qkvKernel"]!, p["qkvBias"]!), 3, 1);
    const heads = (t: tf.Tensor) => tf.reshape(t, [BATCH, SEQ, HEADS, HEAD]);
    const q = tf.transpose(heads(q2d!), [0, 2, 1, 3]);
    const keysT = tf.div(tf.transpose(heads(k2d!), [0, 2, 3, 1]), Math.sqrt(HEAD));
    const values = tf.transpose(heads(v2d!), [0, 2, 1, 3]);
    const mask = sepMaskOf(p["sep"]!, BATCH, SEQ);
    const scores = tf.add(tf.mul(tf.matMul(q, keysT), mask), tf.mul(tf.sub(1, mask), -65504));
    const context = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores, -1), values), [0, 2, 1, 3]), [ROWS, HIDDEN]);
    const x1 = tf.add(x0, linear(context, p["denseKernel"]!, p["denseBias"]!));
    // MLP.
    const m = layerNorm(x1, p["ln2Gamma"]!, p["ln2Beta"]!);
    const x2 = tf.add(x1, linear(tanhGelu(linear(m, p["fc1Kernel"]!, p["fc1Bias"]!)), p["fc2Kernel"]!, p["fc2Bias"]!));
    // Tied logits and masked cross-entropy.
    const h = layerNorm(x2, p["lnFGamma"]!, p["lnFBeta"]!);
    const logits = tf.matMul(h, p["word"]!, false, true);
    const targetLogit = tf.sum(tf.mul(h, tf.gather(p["word"]!, p["targets"]!)), 1);
    const perToken = tf.sub(tf.logSumExp(logits, 1), targetLogit);
    return tf.div(tf.sum(tf.mul(perToken, p["lossMask"]!)), tf.sum(p["lossMask"]!));
  },
};
