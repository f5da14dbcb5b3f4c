// Tokenizes a stream of texts into a TokenizedCorpus without knowing its size in advance.
// Tokens go into fixed-size chunks (no doubling-and-copying growth), so while reading the
// memory in use is the tokens so far plus at most one chunk; the chunks are joined once at the
// end (transiently two copies of the tokens, released chunk by chunk as they are copied).
import { GlmjsError } from "@glmjs/common";
import { InvalidOptionError } from "../errors/invalid-option.js";
import type { TokenizedCorpus } from "./tokenized-corpus.js";

/** What the builder needs from a tokenizer (@glmjs/tokenizer's Tokenizer fits). */
export interface CorpusTokenizer {
  encode(text: string): ArrayLike<number>;
}

export interface BuildTokenizedCorpusOptions {
  /** Applied to each text before tokenizing (e.g. @glmjs/tokenizer's standardizePunctuation). */
  preprocess?: (text: string) => string;
  /** Keep documents that tokenize to nothing (never drawn by block packing). Default false. */
  keepEmpty?: boolean;
  /** Tokens per chunk while reading (default 1 Mi = 4 MB). */
  chunkTokens?: number;
  /** Stop after this many tokens (the document that crosses it is kept whole). */
  maxTokens?: number;
}

/** A document for buildTokenizedCorpus: its text, or an object carrying it (a CorpusDocument fits). */
export type CorpusText = string | { text: string };

export async function buildTokenizedCorpus(
  texts: AsyncIterable<CorpusText> | Iterable<CorpusText>,
  tokenizer: CorpusTokenizer,
  options: BuildTokenizedCorpusOptions = {},
): Promise<TokenizedCorpus> {
  const chunkTokens = options.chunkTokens ?? 1 << 20;
  if (!(Number.isInteger(chunkTokens) && chunkTokens >= 1))
    throw new InvalidOptionError("chunkTokens", chunkTokens, "must be a positive integer", "buildTokenizedCorpus");
  const maxTokens = options.maxTokens ?? Infinity;
  const preprocess = options.preprocess ?? ((t: string) => t);
  const chunks: Int32Array[] = [];
  let chunk = new Int32Array(chunkTokens);
  let used = 0;
  let total = 0;
  let offsets = new Float64Array(1024);
  let documents = 0;
  for await (const item of texts) {
    const ids = tokenizer.encode(preprocess(typeof item === "string" ? item : item.text));
    if (ids.length === 0 && !options.keepEmpty) continue;
    for (let from = 0; from < ids.length;) {
      if (used === chunk.length) {
        chunks.push(chunk);
        chunk = new Int32Array(chunkTokens);
        used = 0;
      }
      const n = Math.min(ids.length - from, chunk.length - used);
      for (let k = 0; k < n; k++) chunk[used + k] = ids[from + k]!;
      used += n;
      from += n;
    }
    total += ids.length;
    if (documents + 2 > offsets.length) {
      const grown = new Float64Array(offsets.length * 2);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[++documents] = total;
    if (total >= maxTokens) break;
  }
  chunks.push(chunk.subarray(0, used));
  const tokens = chunks.length === 1 ? chunks[0]!.slice() : allocateTokens(total);
  if (chunks.length > 1) {
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      tokens.set(chunks[i]!, at);
      at += chunks[i]!.length;
      chunks[i] = new Int32Array(0); // release as we go
    }
  }
  return { tokens, offsets: offsets.slice(0, documents + 1) };
}

function allocateTokens(total: number): Int32Array {
  try {
    return new Int32Array(total);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // Node 20 caps one ArrayBuffer at 4 GiB (≈ 1.07 G tokens).
    throw new GlmjsError(
      "CORPUS_TOO_LARGE",
      `buildTokenizedCorpus: ${total} tokens do not fit in one Int32Array here (${e.message}); ` +
        'set maxTokens, or stream the corpus with corpusDocuments() and packing "sequential"',
      { cause: e },
    );
  }
}
