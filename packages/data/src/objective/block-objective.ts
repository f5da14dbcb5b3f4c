// The blank-infilling objective for one batch (the original's ConstructBlockStrategy.
// construct_blocks): choose the mode, choose spans per sample, lay them out, pad.
import { collate, type BuiltBatch, type GLMBatch, type ObjectiveMode } from "../batch.js";
import { BatchMemory } from "../batch-memory.js";
import { Rng } from "../random/rng.js";
import { SampleBuffer, writeBlockSample, writeSuffixSample, type BlockNoise } from "./layout.js";
import { SpanLengthSampler } from "./span-length-sampler.js";
import type { RawSample } from "./raw-sample.js";
import { defaultObjectiveSettings, validateObjectiveSettings, type ObjectiveSettings, type SpecialIds } from "./settings.js";
import { findSentences, SpanPlanner } from "./span-planner.js";
import { splitIntoShortSamples } from "./split-into-short-samples.js";
import { checkSeqLength } from "./pretraining-objective.js";

export interface BlockObjectiveOptions {
  special: SpecialIds;
  /** Table from sentenceEndTable(): 1 where a token ends a sentence. */
  sentenceEnd: Uint8Array;
  /** Target sample length S (512); used by the short-window re-cutting. */
  maxSeqLength: number;
  settings?: Partial<ObjectiveSettings>;
  /** Pad every batch to at least this length (default: to the longest row, as the original). */
  padTo?: number;
}

export class BlockObjective {
  readonly settings: ObjectiveSettings;
  private readonly special: SpecialIds;
  private readonly sentenceEnd: Uint8Array;
  private readonly maxSeqLength: number;
  private readonly padTo: number;
  private readonly lengths: SpanLengthSampler;
  private readonly planner: SpanPlanner;
  private readonly buffers: SampleBuffer[] = [];
  private readonly memory = new BatchMemory();
  private spanLengths = new Int32Array(256);
  private spans = new Int32Array(512);
  private scratch = new Int32Array(512);
  private order = new Int32Array(256);

  constructor(options: BlockObjectiveOptions) {
    this.settings = { ...defaultObjectiveSettings, ...options.settings };
    validateObjectiveSettings(this.settings, options.special);
    checkSeqLength("BlockObjective", "maxSeqLength", options.maxSeqLength, this.settings);
    this.special = options.special;
    this.sentenceEnd = options.sentenceEnd;
    this.maxSeqLength = options.maxSeqLength;
    this.padTo = options.padTo ?? 0;
    this.lengths = new SpanLengthSampler(this.settings.averageBlockLength, this.settings.maxBlockLength);
    this.planner = new SpanPlanner(options.special.eos, options.special.cls);
  }

  /**
   * Hands a batch built here back for memory reuse (optional; saves most of the cost of a
   * batch). Call it only when neither the batch nor any view of its arrays is used any more.
   */
  recycle(batch: GLMBatch): void {
    this.memory.recycle(batch.inputIds);
  }

  /** Builds one batch; every sample of a batch uses the same mode. `rng` advances. */
  buildBatch(input: readonly RawSample[], rng: Rng): BuiltBatch {
    const st = this.settings;
    let samples = input;
    if (st.shortSeqProb > 0 && rng.float() < st.shortSeqProb) {
      samples = splitIntoShortSamples(samples, this.maxSeqLength, this.sentenceEnd, this.special.eos, this.special.cls, rng);
    }
    while (this.buffers.length < samples.length) this.buffers.push(new SampleBuffer());
    const singleSpan = st.singleSpanProb > 0 && rng.float() < st.singleSpanProb;
    const r = rng.float();
    let mode: ObjectiveMode;
    let kept = 0;
    if (singleSpan || r < st.bertProb) {
      mode = "bert";
      for (const sample of samples) if (this.tokenSample(sample, this.buffers[kept]!, rng, singleSpan)) kept++;
    } else if (r < st.bertProb + st.gapSentenceProb) {
      mode = "sentence";
      for (const sample of samples) this.sentenceSample(sample, this.buffers[kept++]!, rng);
    } else {
      mode = "gpt";
      let minLen = Infinity;
      let maxLen = 0;
      for (const s of samples) {
        minLen = Math.min(minLen, s.text.length);
        maxLen = Math.max(maxLen, s.text.length);
      }
      const lo = Math.floor(st.gptMinRatio * minLen);
      const generation = rng.int(Math.min(lo, maxLen - 2), maxLen - 2);
      for (const sample of samples) this.documentSample(sample, this.buffers[kept++]!, generation, rng);
    }
    return collate(this.buffers, kept, mode, samples.length - kept, this.padTo, this.memory);
  }

  private ensureSpans(count: number): void {
    if (this.spans.length < 2 * count) {
      this.spans = new Int32Array(4 * count);
      this.scratch = new Int32Array(4 * count);
    }
  }

  /** Token-level blanks (§4.3). Returns false when the sample is dropped. */
  private tokenSample(sample: RawSample, out: SampleBuffer, rng: Rng, singleSpan: boolean): boolean {
    const text = sample.text;
    const goal = Math.floor(this.settings.bertRatio * text.length);
    let count = 0;
    let total = 0;
    do {
      if (count === this.spanLengths.length) {
        const grown = new Int32Array(count * 2);
        grown.set(this.spanLengths);
        this.spanLengths = grown;
      }
      const len = this.lengths.draw(rng.float());
      this.spanLengths[count++] = len;
      total += len;
    } while (!singleSpan && total < goal);
    if (!singleSpan && goal <= 0) count = 0;
    rng.shuffle(this.spanLengths, count);
    this.ensureSpans(count);
    const placed = this.planner.place(text, this.spanLengths, count, this.settings.bertRatio, rng, this.spans);
    if (placed < count) return false;
    const noise: BlockNoise | null = this.settings.blockMaskProb > 0 ? { prob: this.settings.blockMaskProb, dBlock: this.special.dBlock!, rng } : null;
    this.layout(text, count, this.special.mask, noise, rng, out);
    return true;
  }

  /** Sentence-level blanks (§4.4). */
  private sentenceSample(sample: RawSample, out: SampleBuffer, rng: Rng): void {
    const text = sample.text;
    this.ensureSpans(text.length + 1);
    const sentences = this.scratch.length >= 2 * text.length ? this.scratch : new Int32Array(2 * text.length);
    const found = findSentences(text, this.sentenceEnd, this.special.eos, this.special.cls, sentences);
    // Shuffle sentence pairs.
    for (let i = found - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const s = sentences[2 * i]!;
      const e = sentences[2 * i + 1]!;
      sentences[2 * i] = sentences[2 * j]!;
      sentences[2 * i + 1] = sentences[2 * j + 1]!;
      sentences[2 * j] = s;
      sentences[2 * j + 1] = e;
    }
    const goal = Math.floor(this.settings.gapSentenceRatio * text.length);
    let count = 0;
    let total = 0;
    while (count < found) {
      this.spans[2 * count] = sentences[2 * count]!;
      this.spans[2 * count + 1] = sentences[2 * count + 1]!;
      total += sentences[2 * count + 1]! - sentences[2 * count]!;
      count++;
      if (total >= goal) break;
    }
    const mask = this.settings.taskMask ? this.special.sMask! : this.special.mask;
    this.layout(text, count, mask, null, rng, out);
  }

  /** Document-level blank (§4.5): suffix generation or one long span. */
  private documentSample(sample: RawSample, out: SampleBuffer, maxGeneration: number, rng: Rng): void {
    const text = sample.text;
    const n = text.length;
    const generation = Math.max(1, Math.min(maxGeneration, n - 2));
    const firstEos = text.indexOf(this.special.eos);
    const multipleDocs = firstEos !== -1 && firstEos !== n - 1;
    const gMask = this.settings.taskMask ? this.special.gMask! : this.special.mask;
    if (multipleDocs || rng.float() < this.settings.gptInfillProb) {
      writeSuffixSample(out, text, sample.lossMask, generation, gMask, this.special.sop, this.settings.blockPositionEncoding);
      return;
    }
    this.spanLengths[0] = generation;
    this.ensureSpans(1);
    if (this.planner.place(text, this.spanLengths, 1, this.settings.bertRatio, rng, this.spans) < 1) {
      // Cannot happen for a single document (its length is ≥ n − 2); keep the sample anyway.
      writeSuffixSample(out, text, sample.lossMask, generation, gMask, this.special.sop, this.settings.blockPositionEncoding);
      return;
    }
    this.layout(text, 1, gMask, null, rng, out);
  }

  /** Spans into text order, Part B order (shuffled unless disabled), then the layout. */
  private layout(text: Int32Array, count: number, maskId: number, noise: BlockNoise | null, rng: Rng, out: SampleBuffer): void {
    // Planner output is already sorted within each document, so this is nearly linear.
    sortPairs(this.spans, count);
    const order = this.order.length >= count ? this.order : (this.order = new Int32Array(2 * count));
    for (let i = 0; i < count; i++) order[i] = i;
    if (this.settings.shuffleBlocks) rng.shuffle(order, count);
    writeBlockSample(out, text, this.spans, count, order, maskId, this.special, this.settings.blockPositionEncoding, noise, this.scratch);
  }
}

function sortPairs(spans: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const s = spans[2 * i]!;
    const e = spans[2 * i + 1]!;
    let j = i;
    while (j > 0 && spans[2 * (j - 1)]! > s) {
      spans[2 * j] = spans[2 * (j - 1)]!;
      spans[2 * j + 1] = spans[2 * (j - 1) + 1]!;
      j--;
    }
    spans[2 * j] = s;
    spans[2 * j + 1] = e;
  }
}
