// AdamW with decoupled weight decay, as torch.optim.AdamW and the fused Adam of apex/DeepSpeed
// that the original GLM trained with (adam_w_mode):
//   p ← p − lr·wd·p                      (decoupled decay, skipped for biases and LayerNorm)
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
//   p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
// Moments are tf.Variables so the update runs on whichever backend is active.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import { InvalidOptionError, requireNumber } from "@glmjs/data";
import { isNoDecayParameter } from "./weight-decay.js";

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Decides which parameters skip weight decay; by default biases and LayerNorm parameters. */
  noDecay?: (name: string) => boolean;
}

/** The original GLM pretraining values (§6.2: β 0.9/0.98, ε 1e-6, wd 0.1 for GLM-Base/Large). */
export const GLM_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.1 };

/** Everything needed to continue exactly: the step count and both moments per parameter. */
export interface AdamWState {
  step: number;
  moments: Map<string, { m: tf.Tensor; v: tf.Tensor }>;
}

/**
 * Throws InvalidOptionError unless β1, β2 ∈ [0, 1), ε > 0 and weight decay ≥ 0 (a negative decay
 * would grow the weights every step). `prefix` goes before option names ("optimizer.").
 */
export function validateAdamWOptions(o: AdamWOptions, prefix = "", where = "AdamW"): void {
  requireNumber(where, `${prefix}beta1`, o.beta1, { min: 0, max: 1, highOpen: true });
  requireNumber(where, `${prefix}beta2`, o.beta2, { min: 0, max: 1, highOpen: true });
  requireNumber(where, `${prefix}epsilon`, o.epsilon, { min: 0, lowOpen: true });
  requireNumber(where, `${prefix}weightDecay`, o.weightDecay, { min: 0 });
}

interface Slot {
  param: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  decay: boolean;
}

export class AdamW {
  readonly options: AdamWOptions;
  private readonly slots = new Map<string, Slot>();
  private stepCount = 0;

  /** `params`: the trainable parameters by name (frozen ones are simply not passed). */
  constructor(params: ReadonlyMap<string, tf.Variable>, options: Partial<AdamWOptions> = {}) {
    this.options = { ...GLM_ADAMW, ...options };
    validateAdamWOptions(this.options, "", "AdamW");
    const noDecay = this.options.noDecay ?? isNoDecayParameter;
    // Unnamed: tfjs variable names are global, and two optimizers may hold the same parameter names.
    // The zeros are disposed after wrapping: tf.variable() keeps its own reference to the data.
    const zeroVariable = (like: tf.Tensor): tf.Variable => {
      const zeros = tf.zerosLike(like);
      const v = tf.variable(zeros, false);
      zeros.dispose();
      return v;
    };
    for (const [name, param] of params) {
      this.slots.set(name, { param, m: zeroVariable(param), v: zeroVariable(param), decay: !noDecay(name) });
    }
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Names of the parameters that receive weight decay. */
  decayedParameters(): string[] {
    return [...this.slots].filter(([, s]) => s.decay).map(([n]) => n);
  }

  /** Applies one update with learning rate `lr`. Gradients are not disposed (the caller owns them). */
  applyGradients(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    requireNumber("AdamW.applyGradients", "lr", lr, { min: 0 });
    // Decoupled decay multiplies the weights by 1 − lr·wd: at lr·wd ≥ 1 it zeroes or flips them.
    if (lr * weightDecay >= 1)
      throw new InvalidOptionError(
        "weightDecay",
        weightDecay,
        `must be < 1 / lr = ${1 / lr} (the update multiplies weights by 1 − lr · weightDecay)`,
        "AdamW.applyGradients",
      );
    this.stepCount += 1;
    const t = this.stepCount;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** t);
    for (const [name, slot] of this.slots) {
      const g = grads.get(name);
      if (!g) throw new GlmjsError("GRADIENT_MISSING", `AdamW: no gradient for parameter "${name}"`);
      tf.tidy(() => {
        const m = tf.add(tf.mul(slot.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(slot.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBias2), epsilon);
        let p: tf.Tensor = slot.param;
        if (slot.decay && weightDecay !== 0) p = tf.mul(p, 1 - lr * weightDecay);
        p = tf.sub(p, tf.mul(tf.div(m, denom), stepSize));
        slot.m.assign(m);
        slot.v.assign(v);
        slot.param.assign(p);
      });
    }
  }

  /** A copy of the state (the caller disposes the tensors). */
  getState(): AdamWState {
    const moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
    for (const [name, s] of this.slots) moments.set(name, { m: tf.clone(s.m), v: tf.clone(s.v) });
    return { step: this.stepCount, moments };
  }

  /** Restores a state saved by getState (tensors are copied; the caller keeps ownership). */
  setState(state: AdamWState): void {
    for (const [name, s] of this.slots) {
      const saved = state.moments.get(name);
      if (!saved)
        throw new GlmjsError("OPTIMIZER_STATE_MISMATCH", `AdamW state has no moments for parameter "${name}": was it saved with other frozen parameters?`);
      if (!tf.util.arraysEqual(saved.m.shape, s.m.shape) || !tf.util.arraysEqual(saved.v.shape, s.v.shape)) {
        throw new GlmjsError(
          "OPTIMIZER_STATE_MISMATCH",
          `AdamW state for "${name}" has shape [${saved.m.shape.join(",")}], parameter has [${s.m.shape.join(",")}]`,
        );
      }
      s.m.assign(saved.m);
      s.v.assign(saved.v);
    }
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}
