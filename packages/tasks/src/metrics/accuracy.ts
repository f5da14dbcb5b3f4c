// Accuracy: the share of predictions equal to their label.
import { GlmjsError } from "@glmjs/common";

/** Fraction of positions where `predictions[i] === labels[i]` (0 … 1). */
export function accuracy<T>(predictions: readonly T[], labels: readonly T[]): number {
  checkPaired(predictions, labels, "accuracy");
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Throws unless both arrays are non-empty and of the same length. */
export function checkPaired(predictions: readonly unknown[], labels: readonly unknown[], what: string): void {
  if (!Array.isArray(predictions) || !Array.isArray(labels)) throw new GlmjsError("INPUT_INVALID", `${what}: predictions and labels must be arrays`);
  if (predictions.length !== labels.length) {
    throw new GlmjsError("INPUT_INVALID", `${what}: ${predictions.length} predictions for ${labels.length} labels; give one prediction per label`);
  }
  if (labels.length === 0) throw new GlmjsError("INPUT_INVALID", `${what}: no examples (both arrays are empty)`);
}
