// Attention of a decoding step over a preallocated key/value cache: the step's keys/values are
// written into the cache buffers and its queries attend over the cached window. With the
// GlmCachedAttention kernel (cpu, wasm) the write is in place, O(new positions); the composite
// fallback rebuilds the buffers by concatenation (O(cache) copies, as a growing cache does).
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import { MASKED_SCORE } from "./kernel-math.js";
import { GLM_KERNELS, type GlmCachedAttentionAttrs, backendHasKernel } from "./kernel-names.js";
import { ensureCpuKernels } from "./cpu-kernels.js";
import type { FusedOpOptions } from "./layer-norm.js";

export interface CachedAttentionResult {
  /** `[batch·seq, hidden]`. */
  context: tf.Tensor2D;
  /** The cache buffers after the write (the same data as the inputs with the kernel). */
  keys: tf.Tensor4D;
  values: tf.Tensor4D;
}

/**
 * `qkv` `[batch·seq, 3·hidden]` (the fused projection: Q, K, V thirds, head-major inside);
 * `keys`/`values` `[batch, heads, capacity, headSize]`; `mask` `[batch, 1, 1 or seq, length + seq]`
 * (1 = visible; another dtype is cast: call inside tf.tidy) or undefined (all visible). Needs
 * start + length + seq ≤ capacity; the composite
 * also takes start + length = capacity (no room: the buffers grow by concatenation, as a cache
 * without preallocation does on backends that have no kernel to write in place).
 */
export function cachedAttention(
  qkv: tf.Tensor,
  keys: tf.Tensor4D,
  values: tf.Tensor4D,
  mask: tf.Tensor | undefined,
  attrs: GlmCachedAttentionAttrs,
  options: FusedOpOptions = {},
): CachedAttentionResult {
  ensureCpuKernels();
  const [batch, heads, capacity, headSize] = keys.shape;
  const hidden = heads * headSize;
  const rows = qkv.shape[0] as number;
  const seq = rows / batch;
  const { start, length } = attrs;
  if (attrs.heads !== heads || qkv.rank !== 2 || qkv.shape[1] !== 3 * hidden || !Number.isInteger(seq) || seq < 1) {
    throw new GlmjsError("INPUT_INVALID", `cachedAttention: qkv [${qkv.shape}] does not fit a cache [${keys.shape}] with ${attrs.heads} heads`);
  }
  if (values.shape.join() !== keys.shape.join())
    throw new GlmjsError("INPUT_INVALID", `cachedAttention: values [${values.shape}] differ from keys [${keys.shape}]`);
  const kernel = !options.composite && qkv.dtype === "float32" && backendHasKernel(GLM_KERNELS.cachedAttention);
  const appends = !kernel && start + length === capacity;
  if (start < 0 || length < 0 || (start + length + seq > capacity && !appends)) {
    throw new GlmjsError("INPUT_INVALID", `cachedAttention: window start ${start} + ${length} cached + ${seq} new exceeds the capacity ${capacity}`);
  }
  if (mask && (mask.rank !== 4 || mask.shape[0] !== batch || (mask.shape[2] !== 1 && mask.shape[2] !== seq) || mask.shape[3] !== length + seq)) {
    throw new GlmjsError("INPUT_INVALID", `cachedAttention: mask [${mask.shape}] must be [${batch}, 1, 1 or ${seq}, ${length + seq}]`);
  }
  if (kernel) {
    const inputs: tf.NamedTensorMap = { qkv, keys, values };
    if (mask) inputs["mask"] = mask.dtype === "float32" ? mask : tf.cast(mask, "float32");
    const [context, k, v] = tf.engine().runKernel(GLM_KERNELS.cachedAttention, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { context: context as tf.Tensor2D, keys: k as tf.Tensor4D, values: v as tf.Tensor4D };
  }
  return tf.tidy(() => {
    const split = (t: tf.Tensor) =>
      seq === 1 ? tf.reshape(t, [batch, heads, 1, headSize]) : tf.transpose(tf.reshape(t, [batch, seq, heads, headSize]), [0, 2, 1, 3]);
    const [q2d, k2d, v2d] = tf.split(qkv, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const at = start + length;
    // The buffers with the new positions at [at, at + seq): appended (one concat) or replacing.
    const place = (cache: tf.Tensor4D, fresh: tf.Tensor) => {
      const parts: tf.Tensor[] = [];
      if (at > 0) parts.push(at === capacity ? cache : tf.slice(cache, [0, 0, 0, 0], [-1, -1, at, -1]));
      parts.push(fresh);
      if (at + seq < capacity) parts.push(tf.slice(cache, [0, 0, at + seq, 0], [-1, -1, -1, -1]));
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 2)) as tf.Tensor4D;
    };
    const total = Math.max(capacity, at + seq);
    const newKeys = place(keys, tf.div(split(k2d), attrs.keyDivisor));
    const newValues = place(values, split(v2d));
    const window = (t: tf.Tensor4D) => (start === 0 && length + seq === total ? t : tf.slice(t, [0, 0, start, 0], [-1, -1, length + seq, -1]));
    let scores = tf.matMul(split(q2d), window(newKeys), false, true);
    if (mask) scores = tf.add(tf.mul(scores, mask), tf.mul(tf.sub(1, mask), MASKED_SCORE));
    const perHead = tf.matMul(tf.softmax(scores, -1), window(newValues));
    const context = tf.reshape(seq === 1 ? perHead : tf.transpose(perHead, [0, 2, 1, 3]), [batch * seq, hidden]) as tf.Tensor2D;
    return { context, keys: newKeys, values: newValues };
  });
}
