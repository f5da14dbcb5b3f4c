// Training batches for seq2seq fine-tuning: samples built once, visited in seeded shuffled
// epochs; a BatchSource whose state() restores the exact position (Trainer.resume).
import { GlmjsError } from "@glmjs/common";
import type { GLMBatch } from "@glmjs/data";
import type { BatchSource } from "@glmjs/train";
import { EpochOrder, type EpochOrderOptions } from "../datasets/epoch-order.js";
import { buildSeq2seqBatch } from "./seq2seq-batch.js";
import type { Seq2seqExample, Seq2seqSample, Seq2seqTask } from "./seq2seq-task.js";

export interface Seq2seqSourceOptions extends Partial<EpochOrderOptions> {
  batchSize: number;
}

export class Seq2seqBatchSource implements BatchSource {
  readonly order: EpochOrder;
  private readonly samples: Seq2seqSample[];

  constructor(
    readonly task: Seq2seqTask,
    examples: readonly Seq2seqExample[],
    readonly options: Seq2seqSourceOptions,
  ) {
    this.samples = buildSamples(task, examples, "training");
    this.order = new EpochOrder(this.samples.length, {
      seed: options.seed ?? 1234,
      shuffle: options.shuffle,
      epochs: options.epochs,
      dropLast: options.dropLast,
    });
  }

  get size(): number {
    return this.samples.length;
  }

  /** Examples whose source or target was cut to fit. */
  get truncatedExamples(): { source: number; target: number } {
    return { source: this.samples.filter((s) => s.truncatedSource > 0).length, target: this.samples.filter((s) => s.truncatedTarget > 0).length };
  }

  next(): GLMBatch | undefined {
    const indices = this.order.next(this.options.batchSize);
    return (
      indices &&
      buildSeq2seqBatch(
        indices.map((i) => this.samples[i]!),
        this.task.special.pad,
      )
    );
  }

  state(): unknown {
    return { order: this.order.state() };
  }

  restore(state: unknown): void {
    this.order.restore((state as { order?: unknown } | null)?.order);
  }
}

/** Builds every sample; an error names the example (1-based). */
export function buildSamples(task: Seq2seqTask, examples: readonly Seq2seqExample[], what: string): Seq2seqSample[] {
  if (!Array.isArray(examples) || examples.length === 0) throw new GlmjsError("INPUT_INVALID", `no ${what} examples`);
  return examples.map((ex, i) => {
    try {
      return task.buildSample(ex);
    } catch (e) {
      throw new GlmjsError(GlmjsError.is(e) ? e.code : "EXAMPLE_INVALID", `${what} example ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
  });
}
