// Raw samples built as the original's BlockDataset builds them (THUDM/GLM data_utils/datasets.py,
// GLM.md §4.1), from an in-memory TokenizedCorpus:
//  * a document is drawn with probability proportional to its token count;
//  * one that does not fit ([ENC] + doc + [eos] > S) gives a random window: a uniform start,
//    moved (with probability 1 − nonSentenceStart) back or forward, 50/50, by up to S/2 tokens
//    to just after a sentence end, then [ENC] + the rest, right-stripped to S (right-strip.ts);
//    such a sample holds only that window (it may be shorter than S);
//  * one that fits is `[ENC] doc [eos]`, followed by more drawn documents, each `[ENC] doc [eos]`,
//    until S tokens; the last is right-stripped to the room left.
// Sample i's randomness comes only from (seed, i), as the original seeds `random.Random(idx)`
// per item, so any sample can be built directly and the resumable state is one counter.
import { GlmjsError } from "@glmjs/common";
import type { RawSample } from "../objective/raw-sample.js";
import { Rng } from "../random/rng.js";
import { checkTokenizedCorpus, documentCount, type TokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { rightStripKeep } from "./right-strip.js";
import { InvalidOptionError, requireInteger } from "../errors/invalid-option.js";

export interface BlockDatasetPackerOptions {
  /** S: maximum raw sample length (512 or 1024). */
  seqLength: number;
  eos: number;
  /** The [ENC] id ([CLS] in BERT vocabularies). */
  cls: number;
  /** The original's contains_sentence_end: the token's string contains . ? ! ; : or a newline. */
  isSentenceEnd: (tokenId: number) => boolean;
  /** Seed of the document draws and windows. Default 0. */
  seed?: number | string;
  /** The original's non_sentence_start: probability of keeping the random start as drawn. Default 0. */
  nonSentenceStart?: number;
  /** The original's sample_across_doc: fill a sample with more documents. Default true. */
  sampleAcrossDocuments?: boolean;
  /** Reader `index` of `count`: takes global samples index, index + count, … (disjoint readers). */
  shard?: { index: number; count: number };
  /** Stop after this many samples (of this reader). Default: never. */
  samples?: number;
  /**
   * Reuse a ring of this many sample buffers: a returned sample then stays valid only for the
   * next `ring − 1` calls (as SequencePacker's ring). Default: allocate per sample.
   */
  ring?: number;
}

/** The random draws a sample is built from (an Rng; or scripted ones, to replay another implementation's choices). */
export type PackerRandom = Pick<Rng, "below" | "float">;

/** Where a BlockDatasetPacker stands (JSON-serialisable). */
export interface BlockPackerState {
  kind: "block";
  /** Samples this reader has produced (the next one's local index). */
  nextSample: number;
  /** The corpus it reads, to refuse resuming on another one. */
  documents: number;
  tokens: number;
}

export class BlockDatasetPacker {
  private nextSample: number;
  private readonly totalTokens: number;
  private readonly seed: number | string;
  private readonly shard: { index: number; count: number };
  private readonly buffer: Int32Array;
  private readonly lossBuffer: Uint8Array;
  private readonly ring: RawSample[] = [];
  private ringNext = 0;
  private length = 0;

  constructor(
    private readonly corpus: TokenizedCorpus,
    private readonly options: BlockDatasetPackerOptions,
    state?: BlockPackerState,
  ) {
    const S = options.seqLength;
    requireInteger("BlockDatasetPacker", "seqLength", S, 4);
    checkTokenizedCorpus(corpus, "BlockDatasetPacker");
    this.totalTokens = corpus.tokens.length;
    if (this.totalTokens === 0) throw new GlmjsError("NO_TOKENS", "BlockDatasetPacker: the corpus has no tokens (every document is empty)");
    const p = options.nonSentenceStart ?? 0;
    if (!(p >= 0 && p <= 1)) throw new InvalidOptionError("nonSentenceStart", p, "must be in [0, 1]", "BlockDatasetPacker");
    this.shard = options.shard ?? { index: 0, count: 1 };
    const { index, count } = this.shard;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
      throw new GlmjsError("OPTION_INVALID", `BlockDatasetPacker: shard must be {index, count} with 0 <= index < count, got ${JSON.stringify(this.shard)}`);
    }
    this.seed = options.seed ?? 0;
    if (state) {
      if (state.kind !== "block" || !(Number.isInteger(state.nextSample) && state.nextSample >= 0)) {
        throw new GlmjsError("STATE_INVALID", `BlockDatasetPacker: not a block packing state: ${JSON.stringify(state)}`);
      }
      if (state.documents !== documentCount(corpus) || state.tokens !== this.totalTokens) {
        throw new GlmjsError(
          "STATE_INVALID",
          `BlockDatasetPacker: the state was saved on a corpus of ${state.documents} documents / ${state.tokens} tokens, ` +
            `this one has ${documentCount(corpus)} / ${this.totalTokens}; resume on the same corpus`,
        );
      }
    }
    this.nextSample = state?.nextSample ?? 0;
    this.buffer = new Int32Array(S);
    this.lossBuffer = new Uint8Array(S);
    for (let i = 0; i < (options.ring ?? 0); i++) this.ring.push({ text: new Int32Array(S), lossMask: new Uint8Array(S) });
  }

  state(): BlockPackerState {
    return { kind: "block", nextSample: this.nextSample, documents: documentCount(this.corpus), tokens: this.totalTokens };
  }

  /** The next sample of this reader, or undefined after `samples` of them. */
  next(): RawSample | undefined {
    if (this.nextSample >= (this.options.samples ?? Infinity)) return undefined;
    const global = this.nextSample * this.shard.count + this.shard.index;
    this.nextSample++;
    return this.sample(global);
  }

  /** Global sample `index`, built from (seed, index) alone. */
  sample(index: number): RawSample {
    return this.sampleFrom(Rng.forItem(this.seed, index));
  }

  /**
   * One sample built from the given draws: `below(totalTokens)` picks each document (the one
   * holding that token position), `below(…)` and `float()` place a window. `sample(i)` is
   * `sampleFrom(Rng.forItem(seed, i))`; scripted draws replay another implementation's choices.
   */
  sampleFrom(rng: PackerRandom): RawSample {
    const S = this.options.seqLength;
    this.length = 0;
    const first = this.drawDocument(rng);
    const docLength = this.docLength(first);
    if (docLength + 2 > S) this.putWindow(first, docLength, rng);
    else {
      this.putPiece(first, 0, docLength + 2);
      while (this.options.sampleAcrossDocuments !== false && this.length < S) {
        const doc = this.drawDocument(rng);
        const pieceLength = this.docLength(doc) + 2;
        const room = S - this.length;
        const keep = rightStripKeep(pieceLength, room, (p) => this.pieceToken(doc, 0, p), this.options.isSentenceEnd);
        this.putPiece(doc, 0, keep);
        if (pieceLength >= room) break;
      }
    }
    return this.emit();
  }

  /** bisect_right over the cumulative lengths: the document holding a uniform token position. */
  private drawDocument(rng: PackerRandom): number {
    const position = rng.below(this.totalTokens);
    const offsets = this.corpus.offsets;
    let lo = 0;
    let hi = offsets.length - 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid + 1]! > position) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private docLength(doc: number): number {
    return this.corpus.offsets[doc + 1]! - this.corpus.offsets[doc]!;
  }

  /** Token j of `doc + [eos]`; j = −1 is Python's tokens[-1], the eos (the original reads it so). */
  private docToken(doc: number, j: number): number {
    const length = this.docLength(doc);
    return j === length || j === -1 ? this.options.eos : this.corpus.tokens[this.corpus.offsets[doc]! + j]!;
  }

  /** Token p of the piece `[ENC] + (doc + [eos])[from…]`. */
  private pieceToken(doc: number, from: number, p: number): number {
    return p === 0 ? this.options.cls : this.docToken(doc, from + p - 1);
  }

  /** A document longer than the sample: a random window starting after a sentence end. */
  private putWindow(doc: number, docLength: number, rng: PackerRandom): void {
    const S = this.options.seqLength;
    const withEos = docLength + 1;
    // The original's randint(len − S + 1): a start in [0, len − S], len counting the eos.
    let start = rng.below(withEos - S + 1);
    if (rng.float() > (this.options.nonSentenceStart ?? 0)) {
      const isEnd = this.options.isSentenceEnd;
      const maxMoves = Math.floor(S / 2);
      let moves = 0;
      if (rng.float() < 0.5) {
        while (moves < maxMoves && start > 0 && !isEnd(this.docToken(doc, start - 1))) {
          start--;
          moves++;
        }
      } else {
        while (moves < maxMoves && start < withEos && !isEnd(this.docToken(doc, start - 1))) {
          start++;
          moves++;
        }
      }
    }
    // start ≤ withEos − S/2, so the piece keeps ≥ S/2 tokens: never the original's lone-eos case.
    const pieceLength = 1 + withEos - start;
    const keep = rightStripKeep(pieceLength, S, (p) => this.pieceToken(doc, start, p), this.options.isSentenceEnd);
    this.putPiece(doc, start, keep);
  }

  /** Appends the first `keep` tokens of `[ENC] + (doc + [eos])[from…]`. */
  private putPiece(doc: number, from: number, keep: number): void {
    const at = this.length;
    this.buffer[at] = this.options.cls;
    this.lossBuffer[at] = 0;
    const base = this.corpus.offsets[doc]!;
    const docLength = this.docLength(doc);
    const textEnd = Math.min(from + keep - 1, docLength);
    if (textEnd > from) this.buffer.set(this.corpus.tokens.subarray(base + from, base + textEnd), at + 1);
    if (from + keep - 1 > docLength) this.buffer[at + keep - 1] = this.options.eos;
    this.lossBuffer.fill(1, at + 1, at + keep);
    this.length += keep;
  }

  private emit(): RawSample {
    const n = this.length;
    if (this.ring.length === 0) return { text: this.buffer.slice(0, n), lossMask: this.lossBuffer.slice(0, n) };
    const slot = this.ring[this.ringNext]!;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    const text = new Int32Array(slot.text.buffer, 0, n);
    const lossMask = new Uint8Array(slot.lossMask.buffer, 0, n);
    text.set(this.buffer.subarray(0, n));
    lossMask.set(this.lossBuffer.subarray(0, n));
    return { text, lossMask };
  }
}
