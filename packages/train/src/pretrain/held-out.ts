// The held-out split of a corpus: every `every`-th run of `run` consecutive documents goes to
// validation. Runs (rather than single paragraphs) keep most held-out text away from the
// training paragraphs right next to it; the split is a pure function of document order.

export interface Split<T> {
  train: T[];
  heldOut: T[];
}

export function splitHeldOut<T>(documents: readonly T[], options: { every?: number; run?: number } = {}): Split<T> {
  const every = options.every ?? 20;
  const run = options.run ?? 10;
  if (!(every >= 2) || !(run >= 1)) throw new Error(`splitHeldOut: every must be >= 2 and run >= 1 (got ${every}, ${run})`);
  const train: T[] = [];
  const heldOut: T[] = [];
  documents.forEach((d, i) => (Math.floor(i / run) % every === every - 1 ? heldOut : train).push(d));
  return { train, heldOut };
}
