// The unigram baseline: the cross-entropy of predicting every blank token from its frequency
// alone. A language model that has learnt anything beyond frequencies goes far below it.
// Estimate it from the *targets* of training batches (fromBatches), not from raw corpus text:
// targets include the [eop] that closes every span, which raw text never contains.
import type { GLMBatch } from "@glmjs/data";

export class UnigramModel {
  private readonly logProbs: Float64Array;

  /** From token counts, with additive smoothing so an unseen token keeps a finite probability. */
  constructor(counts: ArrayLike<number>, vocabSize: number, smoothing = 1) {
    let total = 0;
    for (let i = 0; i < vocabSize; i++) total += (counts[i] ?? 0) + smoothing;
    this.logProbs = new Float64Array(vocabSize);
    for (let i = 0; i < vocabSize; i++) this.logProbs[i] = Math.log(((counts[i] ?? 0) + smoothing) / total);
  }

  /** From token streams (e.g. tokenized text). */
  static fromTokens(streams: Iterable<ArrayLike<number>>, vocabSize: number, smoothing = 1): UnigramModel {
    const counts = new Float64Array(vocabSize);
    for (const ids of streams) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id >= 0 && id < vocabSize) counts[id]! += 1;
      }
    }
    return new UnigramModel(counts, vocabSize, smoothing);
  }

  /** From the loss-masked targets of (training) batches: the distribution of what blanks hold. */
  static fromBatches(batches: Iterable<GLMBatch>, vocabSize: number, smoothing = 0.5): UnigramModel {
    const counts = new Float64Array(vocabSize);
    for (const b of batches) {
      for (let i = 0; i < b.targets.length; i++) {
        const id = b.targets[i]!;
        if (b.lossMask[i]! > 0 && id >= 0 && id < vocabSize) counts[id]! += b.lossMask[i]!;
      }
    }
    return new UnigramModel(counts, vocabSize, smoothing);
  }

  logProb(id: number): number {
    return this.logProbs[id] ?? -Infinity;
  }

  /** Mean −log p(target) over the loss-masked tokens of the batches (the model's loss, unigram-style). */
  crossEntropy(batches: readonly GLMBatch[]): number {
    let sum = 0;
    let n = 0;
    for (const b of batches) {
      for (let i = 0; i < b.targets.length; i++) {
        const w = b.lossMask[i]!;
        if (w > 0) {
          sum -= w * this.logProb(b.targets[i]!);
          n += w;
        }
      }
    }
    return n > 0 ? sum / n : NaN;
  }
}
