// A seq2seq task: source (+ answer) → Part A with a blank, target → Part B, in the original's
// layout: inputs Part A + [sop] + target[:-1], targets target + eop, loss on Part B only,
// position of the blank and block positions 1, 2, … over Part B (GLM.md §5.3).
import { GlmjsError } from "@glmjs/common";
import { standardizePunctuation } from "@glmjs/tokenizer";
import { requireSpecialIds, type TaskSpecialIds } from "../special-ids.js";
import type { TaskTokenizer } from "../cloze/cloze-task.js";
import { type MaskKind, type PartA, type Seq2seqFormat, buildPartA } from "./seq2seq-format.js";

export interface Seq2seqExample {
  source: string;
  /** Absent for prediction. */
  target?: string;
  /** Question generation: the answer the question asks for (appended as " Answer: …"). */
  answer?: string;
  /** Reference outputs for generation metrics (default: [target]). */
  references?: readonly string[];
}

export interface Seq2seqTaskOptions {
  format: Seq2seqFormat;
  /** Part A length (the original's --src-seq-length). */
  sourceLength: number;
  /** Part B length: target tokens + eop, cut beyond (the original's --tgt-seq-length). */
  targetLength: number;
  /** The blank: "MASK" (default), or "sMASK" for models pretrained with task masks. */
  mask?: MaskKind;
  /** Pad Part A to sourceLength as the original (default true); false keeps Part A unpadded (cheaper, not the original's numbers). */
  padSource?: boolean;
  /** GLM's English punctuation standardisation (default: true for "summary", as the original's summary reader; false otherwise). */
  standardizePunctuation?: boolean;
}

/** One training sample, unpadded (Part A, then Part B). */
export interface Seq2seqSample {
  inputIds: number[];
  positionIds: number[];
  blockPositionIds: number[];
  targets: number[];
  lossMask: number[];
  sep: number;
  /** Source and target tokens removed to fit the lengths. */
  truncatedSource: number;
  truncatedTarget: number;
}

export class Seq2seqTask {
  readonly format: Seq2seqFormat;
  readonly sourceLength: number;
  readonly targetLength: number;
  readonly mask: MaskKind;
  readonly padSource: boolean;
  readonly special: TaskSpecialIds;
  private readonly prepare: (text: string) => string;

  constructor(
    private readonly tokenizer: TaskTokenizer,
    options: Seq2seqTaskOptions,
  ) {
    requireSpecialIds(tokenizer?.special, ["cls", "eos", "pad", "sop", "eop"], "Seq2seqTask");
    this.special = tokenizer.special;
    if (!["summary", "question-generation", "custom"].includes(options.format)) {
      throw new GlmjsError("OPTION_INVALID", `Seq2seqTask: format must be "summary", "question-generation" or "custom", got ${JSON.stringify(options.format)}`);
    }
    this.format = options.format;
    for (const [name, v] of [
      ["sourceLength", options.sourceLength],
      ["targetLength", options.targetLength],
    ] as const) {
      if (!Number.isInteger(v) || v < 2) throw new GlmjsError("OPTION_INVALID", `Seq2seqTask: ${name} must be an integer ≥ 2, got ${v}`);
    }
    this.sourceLength = options.sourceLength;
    this.targetLength = options.targetLength;
    this.mask = options.mask ?? "MASK";
    this.padSource = options.padSource ?? true;
    this.prepare = (options.standardizePunctuation ?? this.format === "summary") ? standardizePunctuation : (t) => t;
  }

  /** Part A of an example (what generation starts from). */
  encodeSource(example: Pick<Seq2seqExample, "source" | "answer">): PartA {
    if (typeof example?.source !== "string" || example.source.trim() === "") throw new GlmjsError("EXAMPLE_INVALID", "seq2seq example: the source is empty");
    // Trimmed, as the original's readers strip every line.
    const answer = example.answer === undefined ? undefined : this.prepare(example.answer.trim());
    return buildPartA(this.prepare(example.source.trim()), answer, (t) => this.tokenizer.encode(t), this.special, {
      format: this.format,
      sourceLength: this.sourceLength,
      mask: this.mask,
      padSource: this.padSource,
    });
  }

  /** Target tokens: tok(" " + target) + eop, cut to targetLength (eop is lost when cut, as in the original). */
  encodeTarget(target: string): { ids: number[]; truncated: number } {
    if (typeof target !== "string" || target.trim() === "") throw new GlmjsError("EXAMPLE_INVALID", "seq2seq example: the target is empty");
    const ids = [...this.tokenizer.encode(" " + this.prepare(target.trim())), this.special.eop];
    const truncated = Math.max(0, ids.length - this.targetLength);
    return { ids: truncated > 0 ? ids.slice(0, this.targetLength) : ids, truncated };
  }

  /** The training sample of an example with a target. */
  buildSample(example: Seq2seqExample): Seq2seqSample {
    if (example.target === undefined) throw new GlmjsError("EXAMPLE_INVALID", "seq2seq example: a training example needs a target");
    const a = this.encodeSource(example);
    const t = this.encodeTarget(example.target);
    const sep = a.ids.length;
    const inputIds = [...a.ids, this.special.sop, ...t.ids.slice(0, -1)];
    const positionIds = [...a.ids.map((_, i) => i), ...t.ids.map(() => a.maskPosition)];
    const blockPositionIds = [...a.ids.map(() => 0), ...t.ids.map((_, k) => k + 1)];
    const targets = [...a.ids.map(() => 0), ...t.ids];
    const lossMask = [...a.ids.map(() => 0), ...t.ids.map(() => 1)];
    return { inputIds, positionIds, blockPositionIds, targets, lossMask, sep, truncatedSource: a.truncated, truncatedTarget: t.truncated };
  }

  /** Context ids for the generation API (`infillIds`): Part A exactly as fine-tuning saw it. */
  buildSeq2seqPrompt(source: string | Pick<Seq2seqExample, "source" | "answer">): number[] {
    return this.encodeSource(typeof source === "string" ? { source } : source).ids;
  }
}
