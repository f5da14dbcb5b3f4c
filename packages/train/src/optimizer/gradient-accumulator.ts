// Gradient accumulation over micro-batches. Each micro-batch's gradient is weighted by its share
// of the loss tokens, so K accumulated micro-batches give exactly the gradient of one batch holding
// all of them (the loss is a mean over loss-masked tokens, and micro-batches differ in how many
// tokens they mask). Plain averaging, as the original does, is exact only when every micro-batch
// has the same token count.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";

export class GradientAccumulator {
  /** Σ tokens_i · grad_i; while only one micro-batch is held, its gradients as given (unscaled). */
  private sums = new Map<string, tf.Tensor>();
  private count = 0;
  private weight = 0;
  private lossSum = 0;

  /**
   * Adds one micro-batch: its gradients of the mean loss (ownership passes to the accumulator),
   * that loss, and its loss-token count.
   */
  add(grads: ReadonlyMap<string, tf.Tensor>, meanLoss: number, tokens: number): void {
    if (this.count === 0) {
      // Keep the first micro-batch as is: with no accumulation take() hands it back untouched.
      for (const [name, g] of grads) this.sums.set(name, g);
    } else {
      const firstScale = this.count === 1 ? this.weight : 1;
      for (const [name, g] of grads) {
        const prev = this.sums.get(name);
        if (!prev) throw new GlmjsError("GRADIENT_MISSING", `GradientAccumulator: micro-batch has a gradient for "${name}" that the first one lacked`);
        const next = tf.tidy(() => tf.add(firstScale === 1 ? prev : tf.mul(prev, firstScale), tf.mul(g, tokens)));
        prev.dispose();
        g.dispose();
        this.sums.set(name, next);
      }
    }
    this.count += 1;
    this.weight += tokens;
    this.lossSum += meanLoss * tokens;
  }

  /** Micro-batches added since the last reset. */
  get microBatches(): number {
    return this.count;
  }

  /** Loss tokens added since the last reset. */
  get tokens(): number {
    return this.weight;
  }

  /** The token-weighted mean loss of the micro-batches added so far. */
  meanLoss(): number {
    return this.weight > 0 ? this.lossSum / this.weight : NaN;
  }

  /** The gradients of the mean loss over all added tokens (the caller owns them); resets. */
  take(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    const scale = this.weight > 0 ? 1 / this.weight : 0;
    for (const [name, sum] of this.sums) {
      if (this.count === 1) {
        out.set(name, sum);
      } else {
        out.set(
          name,
          tf.tidy(() => tf.mul(sum, scale)),
        );
        sum.dispose();
      }
    }
    this.sums.clear();
    this.count = 0;
    this.weight = 0;
    this.lossSum = 0;
    return out;
  }

  /** Drops everything accumulated (used when a micro-batch is skipped by the NaN policy). */
  reset(): void {
    for (const t of this.sums.values()) t.dispose();
    this.sums.clear();
    this.count = 0;
    this.weight = 0;
    this.lossSum = 0;
  }
}
