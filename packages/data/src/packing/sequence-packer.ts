// Sequential packing (`packing: "sequential"`, for streamed corpora too large to hold in memory;
// block-dataset-packer.ts is the original's own packing and the default for an in-memory
// corpus): tokenized documents into raw samples of at most S tokens, with the layout of the
// original's BlockDataset (GLM.md §4.1): each document gets a trailing eos and a leading
// [ENC]; short documents are concatenated until S is reached; the right end is cut after a
// sentence end when that keeps at least S/2 tokens.
//
// One deliberate difference: the original draws every sample's first document at random
// (weighted by length) and, for a long document, a random window; the rest of that document
// is never used for that sample. Here documents are read in a seeded order and every token is
// used once per epoch: what a cut leaves over starts the next sample (it begins after a
// sentence end, as the original's moved start does). Token coverage is the same in
// expectation (a document is met in proportion to its length), and the reader's position is
// a small cursor, which makes exact resumption possible.
import { GlmjsError } from "@glmjs/common";
import type { RawSample } from "../objective/raw-sample.js";
import { rightStripKeep } from "./right-strip.js";
import { requireInteger } from "../errors/invalid-option.js";

export interface PackerOptions {
  /** S: maximum raw sample length (512). */
  seqLength: number;
  eos: number;
  cls: number;
  sentenceEnd: Uint8Array;
  /**
   * Reuse a ring of this many sample buffers instead of allocating per sample: a returned
   * sample then stays valid only for the next `ring − 1` calls (enough when a batch of
   * `ring − 1` samples is built right away, as createBatchIterator does). Default: allocate.
   */
  ring?: number;
}

/** Where the packer stands in the document stream (JSON-serialisable). */
export interface PackerState {
  /** Index of the next document to read (the partly used one, when `carryOffset` > 0). */
  nextDocument: number;
  /** Tokens of that document (with its eos) already used; 0 when none. */
  carryOffset: number;
}

export class SequencePacker {
  private carry: Int32Array | null = null;
  private carryOffset = 0;
  private consumed: number;
  private readonly buffer: Int32Array;
  private readonly lossBuffer: Uint8Array;
  private readonly ring: RawSample[] = [];
  private ringNext = 0;

  /** `pull()` returns the next document's tokens (without eos), or undefined at the end. */
  constructor(
    private readonly options: PackerOptions,
    private readonly pull: () => ArrayLike<number> | undefined,
    state?: PackerState,
    /** The partly used document when resuming with `carryOffset` > 0 (re-read by the caller). */
    carriedDocument?: ArrayLike<number>,
  ) {
    requireInteger("SequencePacker", "seqLength", options.seqLength, 4);
    this.consumed = state?.nextDocument ?? 0;
    if (state && state.carryOffset > 0) {
      if (!carriedDocument) throw new GlmjsError("STATE_INVALID", "SequencePacker: resuming mid-document needs that document");
      this.carry = withEos(carriedDocument, options.eos);
      this.carryOffset = state.carryOffset;
      this.consumed++;
    }
    this.buffer = new Int32Array(options.seqLength);
    this.lossBuffer = new Uint8Array(options.seqLength);
    for (let i = 0; i < (options.ring ?? 0); i++) this.ring.push({ text: new Int32Array(options.seqLength), lossMask: new Uint8Array(options.seqLength) });
  }

  state(): PackerState {
    return this.carry ? { nextDocument: this.consumed - 1, carryOffset: this.carryOffset } : { nextDocument: this.consumed, carryOffset: 0 };
  }

  /** Next raw sample, or undefined when the documents are exhausted. */
  next(): RawSample | undefined {
    const S = this.options.seqLength;
    const first = this.takeDocument();
    if (!first) return undefined;
    let length = 0;
    const put = (doc: Int32Array, from: number, room: number): { used: number; last: boolean } => {
      // [ENC] + doc[from…], right-trimmed to `room` tokens with the sentence-end rule.
      const total = 1 + doc.length - from;
      const keep = total > room ? this.trimLength(doc, from, total, room) : total;
      this.buffer[length] = this.options.cls;
      this.lossBuffer[length] = 0;
      this.buffer.set(doc.subarray(from, from + keep - 1), length + 1);
      this.lossBuffer.fill(1, length + 1, length + keep);
      length += keep;
      return { used: keep - 1, last: total >= room };
    };
    let { doc, from } = first;
    for (;;) {
      const { used, last } = put(doc, from, S - length);
      const rest = doc.length - (from + used);
      // What the cut leaves starts the next sample (a lone eos is not worth a sample).
      if (rest > 1 || (rest === 1 && doc[doc.length - 1] !== this.options.eos)) {
        this.carry = doc;
        this.carryOffset = from + used;
      }
      if (last || length >= S) break;
      const nextDoc = this.takeDocument();
      if (!nextDoc) break;
      ({ doc, from } = nextDoc);
    }
    if (this.ring.length === 0) return { text: this.buffer.slice(0, length), lossMask: this.lossBuffer.slice(0, length) };
    const slot = this.ring[this.ringNext]!;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    const text = new Int32Array(slot.text.buffer, 0, length);
    const lossMask = new Uint8Array(slot.lossMask.buffer, 0, length);
    text.set(this.buffer.subarray(0, length));
    lossMask.set(this.lossBuffer.subarray(0, length));
    return { text, lossMask };
  }

  /** How many of `total` tokens ([ENC] + doc[from…]) to keep in `room` (right_strip_seq). */
  private trimLength(doc: Int32Array, from: number, total: number, room: number): number {
    const table = this.options.sentenceEnd;
    return rightStripKeep(
      total,
      room,
      (p) => (p === 0 ? this.options.cls : doc[from + p - 1]!),
      (id) => table[id] === 1,
    );
  }

  private takeDocument(): { doc: Int32Array; from: number } | undefined {
    if (this.carry) {
      const doc = this.carry;
      const from = this.carryOffset;
      this.carry = null;
      this.carryOffset = 0;
      return { doc, from };
    }
    for (;;) {
      const raw = this.pull();
      if (raw === undefined) return undefined;
      this.consumed++;
      if (raw.length === 0) continue;
      return { doc: withEos(raw, this.options.eos), from: 0 };
    }
  }
}

function withEos(tokens: ArrayLike<number>, eos: number): Int32Array {
  const doc = new Int32Array(tokens.length + 1);
  doc.set(tokens);
  doc[tokens.length] = eos;
  return doc;
}
