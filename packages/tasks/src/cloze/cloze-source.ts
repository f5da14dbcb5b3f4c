// Training batches for cloze fine-tuning: the examples encoded once, visited in seeded shuffled
// epochs; a BatchSource whose state() restores the exact position (Trainer.resume).
import { GlmjsError } from "@glmjs/common";
import type { BatchSource } from "@glmjs/train";
import { EpochOrder, type EpochOrderOptions } from "../datasets/epoch-order.js";
import { type ClozeBatch, buildClozeBatch } from "./cloze-batch.js";
import type { ClozeExample, ClozeTask, EncodedCloze } from "./cloze-task.js";

export interface ClozeSourceOptions extends Partial<EpochOrderOptions> {
  /** Examples per batch (the original's SuperGLUE batch: 16). */
  batchSize: number;
}

export class ClozeBatchSource implements BatchSource {
  readonly order: EpochOrder;
  private readonly encoded: EncodedCloze[];

  constructor(
    readonly task: ClozeTask,
    examples: readonly ClozeExample[],
    readonly options: ClozeSourceOptions,
  ) {
    this.encoded = encodeAll(task, examples, "training");
    const unlabeled = this.encoded.findIndex((e) => e.label < 0);
    if (unlabeled >= 0) throw new GlmjsError("EXAMPLE_INVALID", `training example ${unlabeled + 1} has no "${task.labelField}" field`);
    this.order = new EpochOrder(this.encoded.length, {
      seed: options.seed ?? 1234,
      shuffle: options.shuffle,
      epochs: options.epochs,
      dropLast: options.dropLast,
    });
  }

  /** Number of training examples. */
  get size(): number {
    return this.encoded.length;
  }

  /** Fields shortened to fit the task's maximum length (a count of examples). */
  get truncatedExamples(): number {
    return this.encoded.filter((e) => e.truncated > 0).length;
  }

  next(): ClozeBatch | undefined {
    const indices = this.order.next(this.options.batchSize);
    return (
      indices &&
      buildClozeBatch(
        this.task,
        indices.map((i) => this.encoded[i]!),
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

/** Encodes every example; an error names the example (1-based) and what was wrong. */
export function encodeAll(task: ClozeTask, examples: readonly ClozeExample[], what: string): EncodedCloze[] {
  if (!Array.isArray(examples) || examples.length === 0) throw new GlmjsError("INPUT_INVALID", `no ${what} examples`);
  return examples.map((ex, i) => {
    try {
      return task.encode(ex);
    } catch (e) {
      throw new GlmjsError(GlmjsError.is(e) ? e.code : "EXAMPLE_INVALID", `${what} example ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
  });
}
