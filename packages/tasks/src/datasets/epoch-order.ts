// The order in which fine-tuning visits its examples: epoch after epoch, each a fresh seeded
// permutation. The whole state is (seed, epoch, position), so a checkpoint restores the exact
// place in the stream and a resumed run sees the batches an uninterrupted one would.
import { GlmjsError } from "@glmjs/common";
import { Rng } from "@glmjs/data";

export interface EpochOrderState {
  seed: number;
  size: number;
  epoch: number;
  /** Examples of the current epoch already handed out. */
  position: number;
}

export interface EpochOrderOptions {
  seed: number;
  /** Shuffle every epoch (default true); false visits 0, 1, 2, … each epoch. */
  shuffle?: boolean;
  /** Stop after this many epochs (default: never). */
  epochs?: number;
  /** Skip an epoch's last, smaller batch (default false). */
  dropLast?: boolean;
}

export class EpochOrder {
  private epoch = 0;
  private position = 0;
  private permutation: Int32Array;

  constructor(
    readonly size: number,
    readonly options: EpochOrderOptions,
  ) {
    if (!Number.isInteger(size) || size <= 0) throw new GlmjsError("INPUT_INVALID", `EpochOrder: need at least one example (got ${size})`);
    if (!Number.isInteger(options.seed)) throw new GlmjsError("OPTION_INVALID", `EpochOrder: seed must be an integer, got ${options.seed}`);
    if (options.epochs !== undefined && !(options.epochs > 0)) throw new GlmjsError("OPTION_INVALID", `EpochOrder: epochs must be > 0, got ${options.epochs}`);
    this.permutation = this.permutationOf(0);
  }

  /** Epochs completed so far (fractional: position within the current one). */
  get epochsDone(): number {
    return this.epoch + this.position / this.size;
  }

  /** The next batch's example indices; `undefined` once the configured epochs are done. */
  next(batchSize: number): number[] | undefined {
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new GlmjsError("OPTION_INVALID", `EpochOrder: batch size must be a positive integer, got ${batchSize}`);
    for (;;) {
      if (this.options.epochs !== undefined && this.epoch >= this.options.epochs) return undefined;
      const left = this.size - this.position;
      if (left > 0 && (left >= batchSize || !this.options.dropLast || batchSize > this.size)) {
        const take = Math.min(batchSize, left);
        const out = Array.from(this.permutation.subarray(this.position, this.position + take));
        this.position += take;
        return out;
      }
      this.epoch += 1;
      this.position = 0;
      this.permutation = this.permutationOf(this.epoch);
    }
  }

  state(): EpochOrderState {
    return { seed: this.options.seed, size: this.size, epoch: this.epoch, position: this.position };
  }

  restore(state: unknown): void {
    const s = state as Partial<EpochOrderState> | null;
    if (!s || typeof s !== "object" || !Number.isInteger(s.epoch) || !Number.isInteger(s.position)) {
      throw new GlmjsError("STATE_INVALID", `EpochOrder.restore: not a saved order state: ${JSON.stringify(state)}`);
    }
    if (s.size !== this.size || s.seed !== this.options.seed) {
      throw new GlmjsError(
        "STATE_INVALID",
        `the checkpoint's data order was saved for ${s.size} examples with seed ${s.seed}; this run has ${this.size} with seed ${this.options.seed} (resume with the same data and seed)`,
      );
    }
    this.epoch = s.epoch!;
    this.position = s.position!;
    this.permutation = this.permutationOf(this.epoch);
  }

  private permutationOf(epoch: number): Int32Array {
    const p = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) p[i] = i;
    if (this.options.shuffle ?? true) Rng.forItem(this.options.seed, epoch).shuffle(p);
    return p;
  }
}
