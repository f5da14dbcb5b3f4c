// The public shapes of @glmjs/tokenizer: a GLM tokenizer = a text model + GLM command tokens.

/** Ids of GLM's command tokens by name; -1 where the chosen variant has no such token. */
export interface SpecialIds {
  pad: number;
  eos: number;
  /** ENC, written `[CLS]` (or `<s>` for RoBERTa ids). */
  cls: number;
  sep: number;
  mask: number;
  sMask: number;
  gMask: number;
  sop: number;
  eop: number;
  unk: number;
  dBlock?: number;
}

/** One GLM command token: a literal string cut out of the text before text tokenization. */
export interface CommandToken {
  /** The original code's name: pad, eos, ENC, MASK, sep, unk, sop, eop, gMASK, sMASK, dBLOCK. */
  name: string;
  token: string;
  id: number;
  /** Whitespace right before it is dropped (GPT-2 `[MASK]`, `[gMASK]`, `[sMASK]`). */
  lstrip: boolean;
  /** Whitespace right after it is dropped. */
  rstrip: boolean;
}

export interface Encoding {
  ids: number[];
  /** `[start, end)` UTF-16 offsets into the input for every id. */
  offsets: [number, number][];
}

export interface Tokenizer {
  readonly kind: TextModelKind;
  encode(text: string): number[];
  encodeWithOffsets(text: string): Encoding;
  encodeBatch(texts: readonly string[]): number[][];
  decode(ids: readonly number[]): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  readonly special: SpecialIds;
  readonly commandTokens: readonly CommandToken[];
  /** Ids in use: text vocabulary + command tokens (the original `num_tokens`). */
  readonly vocabSize: number;
  /** vocabSize rounded up to a multiple of 128: the model's embedding rows. */
  readonly paddedVocabSize: number;
  /** Writes a Hugging Face style `tokenizer.json` (a folder path gets `tokenizer.json` inside). Node only. */
  save(path: string): Promise<void>;
  /** The `tokenizer.json` document that `save` writes. */
  toJSON(): unknown;
}

export type TextModelKind = "wordpiece" | "bpe" | "sentencepiece";

/** A text tokenizer without command tokens (WordPiece, byte-level BPE, SentencePiece). */
export interface TextModel {
  readonly kind: TextModelKind;
  /** Number of entries of the text vocabulary. */
  readonly size: number;
  /**
   * Appends the ids of `text.slice(start, end)` to `ids`, and (when given) their
   * `[start, end)` offsets into `text` to `offsets`.
   */
  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void;
  /** Decodes text ids (no command ids). */
  decodeText(ids: readonly number[]): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}
