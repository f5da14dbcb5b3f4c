// metrics.jsonl: one JSON object per line. Training rows carry at least `step` and `loss`;
// evaluation rows carry `split` (the held-out set's name).
import type { TrainStorage } from "../storage/train-storage.js";

export interface TrainRow {
  step: number;
  loss: number;
  lr: number;
  grad_norm: number;
  /** The factor global-norm clipping scaled the gradients by (1: not clipped). */
  clip_scale: number;
  /** Input tokens (batch × sequence, padding included, as the PyTorch baseline counts) per second. */
  tokens_per_s: number;
  /** Achieved FLOP/s ÷ the active backend's measured matmul FLOP/s. */
  mfu: number;
  loss_tokens: number;
  num_tensors: number;
  memory_bytes: number;
  elapsed_s: number;
  /** Set when the NaN policy skipped this step's update. */
  skipped?: boolean;
}

export interface EvalRow {
  step: number;
  split: string;
  loss: number;
  perplexity: number;
  /** Top-1 accuracy on the loss-masked (blank) tokens. */
  accuracy: number;
  tokens: number;
  /** Cross-entropy of a unigram model on the same tokens, when the run knows one. */
  unigram_loss?: number;
  /** Task metrics of a set scored by `EvalSet.score` (macro_f1, …). */
  metrics?: Record<string, number>;
}

export type MetricsRow = TrainRow | EvalRow;

export function isEvalRow(row: MetricsRow): row is EvalRow {
  return "split" in row && typeof row.split === "string";
}

export class MetricsLog {
  private readonly rows: MetricsRow[] = [];

  constructor(
    private readonly storage: TrainStorage,
    readonly path = "metrics.jsonl",
  ) {}

  /** Rows logged so far (including those read back on resume). */
  all(): readonly MetricsRow[] {
    return this.rows;
  }

  async append(row: MetricsRow): Promise<void> {
    this.rows.push(row);
    await this.storage.appendText(this.path, JSON.stringify(row, roundFloats) + "\n");
  }

  /**
   * On resume: reads the existing log and keeps only rows up to `step` (the checkpoint's), so a
   * crash after the last checkpoint does not leave duplicate steps. Unparseable lines (a line cut
   * by a kill) are dropped with a warning.
   */
  async restore(step: number, warn: (msg: string) => void = () => {}): Promise<void> {
    this.rows.length = 0;
    if (!(await this.storage.exists(this.path))) return;
    const lines = (await this.storage.readText(this.path)).split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        const row = JSON.parse(line) as MetricsRow;
        if (typeof row.step === "number" && row.step <= step) this.rows.push(row);
      } catch {
        warn(`${this.path} line ${i + 1} is not JSON (cut by a crash?); dropped`);
      }
    });
    await this.storage.writeTextAtomic(this.path, this.rows.map((r) => JSON.stringify(r, roundFloats) + "\n").join(""));
  }
}

/** Seven significant digits keep the log readable without hiding float32 differences. */
function roundFloats(_key: string, value: unknown): unknown {
  if (typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value)) return Number(value.toPrecision(7));
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
