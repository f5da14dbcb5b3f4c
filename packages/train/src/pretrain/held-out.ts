// The held-out split of a corpus: every `every`-th run of `run` consecutive documents goes to
// validation. Runs (rather than single paragraphs) keep most held-out text away from the
// training paragraphs right next to it; the split is a pure function of document order.
import { requireInteger } from "@glmjs/data";

export interface Split<T> {
  train: T[];
  heldOut: T[];
}

export function splitHeldOut<T>(documents: readonly T[], options: { every?: number; run?: number } = {}): Split<T> {
  const every = requireInteger("splitHeldOut", "every", options.every ?? 20, 2);
  const run = requireInteger("splitHeldOut", "run", options.run ?? 10, 1);
  const train: T[] = [];
  const heldOut: T[] = [];
  documents.forEach((d, i) => (Math.floor(i / run) % every === every - 1 ? heldOut : train).push(d));
  return { train, heldOut };
}
