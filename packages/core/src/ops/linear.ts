// A Linear layer with what follows its matMul fused: act(x·kernel + bias) + residual, as one
// kernel (GlmLinear) where the backend has it; else tfjs ops (a fused matMul with the bias, the
// activation, the residual add). No gradient: decoding only.
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import type { LinearActivation } from "./kernel-math.js";
import { GLM_KERNELS, type GlmLinearAttrs, backendHasKernel } from "./kernel-names.js";
import { ensureCpuKernels } from "./cpu-kernels.js";
import type { FusedOpOptions } from "./layer-norm.js";

export interface FusedLinearOptions extends FusedOpOptions {
  /** `[out]`. */
  bias?: tf.Tensor;
  activation?: LinearActivation;
  /** `[n, out]`, added after the activation (the residual stream). */
  residual?: tf.Tensor;
}

const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;

/** The activation as tfjs ops, the same sequence as the model's GELU forward. */
export function compositeActivation(x: tf.Tensor, activation: LinearActivation): tf.Tensor {
  if (activation === "none") return x;
  if (activation === "gelu_erf") return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const twoU = tf.mul(x, tf.add(tf.mul(tf.square(x), 2 * SQRT_2_OVER_PI * GELU_CUBIC), 2 * SQRT_2_OVER_PI));
  return tf.mul(x, tf.sigmoid(twoU));
}

/** `x` `[n, in]` · `kernel` `[in, out]` (+ bias, activation, + residual) → `[n, out]`. */
export function fusedLinear(x: tf.Tensor, kernel: tf.Tensor, options: FusedLinearOptions = {}): tf.Tensor2D {
  ensureCpuKernels();
  const activation = options.activation ?? "none";
  if (x.rank !== 2 || kernel.rank !== 2 || x.shape[1] !== kernel.shape[0]) {
    throw new GlmjsError("INPUT_INVALID", `fusedLinear: x [${x.shape}] and kernel [${kernel.shape}] do not multiply (need [n, in] and [in, out])`);
  }
  if (!options.composite && x.dtype === "float32" && backendHasKernel(GLM_KERNELS.linear)) {
    const inputs: tf.NamedTensorMap = { x, kernel };
    if (options.bias) inputs["bias"] = options.bias;
    if (options.residual) inputs["residual"] = options.residual;
    const attrs: GlmLinearAttrs = { activation };
    return tf.engine().runKernel(GLM_KERNELS.linear, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    let y: tf.Tensor = tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, bias: options.bias });
    y = compositeActivation(y, activation);
    return (options.residual ? tf.add(y, options.residual) : y) as tf.Tensor2D;
  });
}
