// Short-sequence re-cutting (the original's split_samples, GLM.md §4.2): with probability
// short_seq_prob a batch is replaced by shorter random windows, each re-prefixed with [ENC].
import type { Rng } from "../random/rng.js";
import type { RawSample } from "./raw-sample.js";

export function splitIntoShortSamples(
  samples: readonly RawSample[],
  maxSeqLength: number,
  sentenceEnd: Uint8Array,
  eos: number,
  cls: number,
  rng: Rng,
): RawSample[] {
  const targetLength = rng.int(32, maxSeqLength - 2);
  const splits = Math.floor((maxSeqLength - 1) / targetLength);
  const boundary = (t: number): boolean => sentenceEnd[t] === 1 || t === eos;
  const result: RawSample[] = [];
  for (const sample of samples) {
    const tokens = sample.text.subarray(1);
    const masks = sample.lossMask.subarray(1);
    for (let s = 0; s < splits; s++) {
      let start = 0;
      let end = tokens.length;
      if (targetLength < tokens.length) {
        start = rng.below(tokens.length - targetLength);
        while (start > 0 && (tokens[start] === eos || !boundary(tokens[start - 1]!))) start--;
        end = start + targetLength;
        while (end > start && !boundary(tokens[end - 1]!)) end--;
        if (end - start < Math.floor(targetLength / 2)) end = start + targetLength;
      }
      const text = new Int32Array(end - start + 1);
      const lossMask = new Uint8Array(end - start + 1);
      text[0] = cls;
      text.set(tokens.subarray(start, end), 1);
      lossMask.set(masks.subarray(start, end), 1);
      result.push({ text, lossMask });
    }
  }
  return result;
}
