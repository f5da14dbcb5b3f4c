// A tokenized corpus held in memory as one token array plus document offsets, the form of the
// original's memory-mapped LazyLoader: 4 bytes per token and 8 per document, random access to
// any document, and the cumulative offsets double as the length-weighted sampling table.
import { GlmjsError } from "@glmjs/common";
export interface TokenizedCorpus {
  /** Every document's tokens, concatenated (no eos between them). */
  readonly tokens: Int32Array;
  /** `documentCount + 1` ascending offsets: document i is `tokens[offsets[i] … offsets[i+1])`. */
  readonly offsets: Float64Array;
}

/** Packs already tokenized documents (copies them once). */
export function tokenizedCorpus(documents: readonly ArrayLike<number>[]): TokenizedCorpus {
  const offsets = new Float64Array(documents.length + 1);
  for (let i = 0; i < documents.length; i++) offsets[i + 1] = offsets[i]! + documents[i]!.length;
  const tokens = new Int32Array(offsets[documents.length]!);
  for (let i = 0; i < documents.length; i++) tokens.set(documents[i]!, offsets[i]!);
  return { tokens, offsets };
}

export function documentCount(corpus: TokenizedCorpus): number {
  return corpus.offsets.length - 1;
}

/** Document i as a view (no copy). */
export function documentAt(corpus: TokenizedCorpus, index: number): Int32Array {
  return corpus.tokens.subarray(corpus.offsets[index]!, corpus.offsets[index + 1]!);
}

/** Every document as a view, for the sequential packer's `arrayDocuments`. */
export function documentViews(corpus: TokenizedCorpus): Int32Array[] {
  return Array.from({ length: documentCount(corpus) }, (_, i) => documentAt(corpus, i));
}

/** Is this a TokenizedCorpus (rather than a streaming DocumentSource)? */
export function isTokenizedCorpus(value: unknown): value is TokenizedCorpus {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as TokenizedCorpus).tokens instanceof Int32Array &&
    (value as TokenizedCorpus).offsets instanceof Float64Array
  );
}

/** Throws, saying what is wrong, unless the offsets describe the token array. */
export function checkTokenizedCorpus(corpus: TokenizedCorpus, where = "tokenized corpus"): void {
  const { tokens, offsets } = corpus;
  if (offsets.length < 1 || offsets[0] !== 0)
    throw new GlmjsError("INPUT_INVALID", `${where}: offsets must start with 0 (got ${offsets.length ? offsets[0] : "no offsets"})`);
  for (let i = 1; i < offsets.length; i++) {
    const o = offsets[i]!;
    if (!(Number.isInteger(o) && o >= offsets[i - 1]!))
      throw new GlmjsError("INPUT_INVALID", `${where}: offsets[${i}] = ${o} is not an integer ≥ offsets[${i - 1}] = ${offsets[i - 1]}`);
  }
  if (offsets[offsets.length - 1] !== tokens.length) {
    throw new GlmjsError("INPUT_INVALID", `${where}: the last offset (${offsets[offsets.length - 1]}) must equal the token count (${tokens.length})`);
  }
}
