// The training loop. One optimizer step:
//   for each of K micro-batches: loss and gradients (tf.variableGrads), accumulated by token share
//   global gradient norm → NaN/Inf check (policy: skip the step, or checkpoint and stop)
//   clip to clipNorm → AdamW update with the scheduled learning rate
//   log a metrics row; every N steps: evaluate held-out sets, checkpoint, redraw the plot.
// No Node imports: files go through TrainStorage, so the loop also runs in a browser.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import { AdamW } from "../optimizer/adamw.js";
import { GradientAccumulator } from "../optimizer/gradient-accumulator.js";
import { clipByGlobalNorm, globalNorm } from "../optimizer/clip-by-global-norm.js";
import { learningRateAt } from "../optimizer/schedule.js";
import { MetricsLog, type EvalRow, type TrainRow } from "../metrics/metrics-log.js";
import { lossCurveSvg } from "../metrics/loss-curve-svg.js";
import {
  CHECKPOINT_DIR,
  disposeLoaded,
  loadCheckpoint,
  markBest,
  pruneCheckpoints,
  saveCheckpoint,
  type CheckpointMeta,
} from "../checkpoint/training-checkpoint.js";
import type { TrainStorage } from "../storage/train-storage.js";
import { lossTokens, type BatchSource, type EvalSet } from "./batch-source.js";
import { evaluate } from "./evaluate.js";
import { trainingStepFlops } from "./flops.js";
import type { TrainableModel } from "./trainable-model.js";
import { stepSeed, type StepRngState } from "./step-seed.js";
import { validateTrainerOptions, type TrainerCallbacks, type TrainerOptions } from "./trainer-options.js";

/** Config fields that define the computation; others (and their key order) may change across versions. */
const ARCHITECTURE_KEYS = [
  "num_layers",
  "hidden_size",
  "num_attention_heads",
  "vocab_size",
  "max_sequence_length",
  "block_position_encoding",
  "hidden_act",
  "layernorm_epsilon",
];
const fieldOf = (config: object, key: string): unknown => (config as Record<string, unknown>)[key];

export type StopReason = "completed" | "interrupted" | "non-finite" | "data-exhausted";

export interface TrainResult {
  reason: StopReason;
  step: number;
  /** Train loss of the last completed step. */
  lastLoss: number;
  best?: { step: number; split: string; loss: number };
  message: string;
}

export class Trainer {
  readonly metrics: MetricsLog;
  private readonly optimizer: AdamW;
  private readonly trainable: Map<string, tf.Variable>;
  private readonly namesByVariable = new Map<string, string>();
  private readonly accumulator = new GradientAccumulator();
  private step = 0;
  private best: { step: number; split: string; loss: number } | undefined;
  private stopRequested = false;
  private lastCheckpointStep = -1;

  constructor(
    private readonly model: TrainableModel,
    private readonly data: BatchSource,
    private readonly evalSets: readonly EvalSet[],
    private readonly storage: TrainStorage,
    readonly options: TrainerOptions,
    private readonly callbacks: TrainerCallbacks = {},
  ) {
    validateTrainerOptions(options);
    const frozen = options.frozen ?? (() => false);
    this.trainable = new Map([...model.namedVariables()].filter(([name]) => !frozen(name)));
    if (this.trainable.size === 0) throw new GlmjsError("NOTHING_TO_TRAIN", "Trainer: every parameter is frozen; nothing to train");
    for (const [name, v] of this.trainable) this.namesByVariable.set(v.name, name);
    this.optimizer = new AdamW(this.trainable, options.optimizer);
    this.metrics = new MetricsLog(storage);
  }

  /** Steps completed so far. */
  get currentStep(): number {
    return this.step;
  }

  /** The lowest loss on the first held-out set so far, and its step. */
  get bestEvaluation(): { step: number; split: string; loss: number } | undefined {
    return this.best;
  }

  /** Names of the parameters being trained (frozen ones excluded). */
  trainableNames(): string[] {
    return [...this.trainable.keys()];
  }

  /** Asks the loop to checkpoint and return after the current step (e.g. on SIGINT). */
  requestStop(): void {
    this.stopRequested = true;
  }

  /**
   * Continues from the latest checkpoint in storage, if any: weights, optimizer moments, data
   * position, RNG, step, best evaluation and the metrics log (trimmed to the checkpoint's step).
   * Returns the step resumed from (0 when there was no checkpoint).
   */
  async resume(): Promise<number> {
    // A kill during a checkpoint write leaves its temporary file (as large as a checkpoint).
    const stale = [
      ...((await this.storage.removeStaleTemporaries?.(CHECKPOINT_DIR)) ?? []).map((n) => `${CHECKPOINT_DIR}/${n}`),
      ...((await this.storage.removeStaleTemporaries?.("")) ?? []),
    ];
    if (stale.length > 0)
      this.callbacks.onMessage?.(`removed ${stale.length} temporary file${stale.length > 1 ? "s" : ""} left by an interrupted write: ${stale.join(", ")}`);
    const loaded = await loadCheckpoint(this.storage);
    if (!loaded) return 0;
    try {
      const { meta } = loaded;
      const differ = ARCHITECTURE_KEYS.filter((k) => JSON.stringify(fieldOf(meta.modelConfig, k)) !== JSON.stringify(fieldOf(this.model.config, k)));
      if (differ.length) {
        const list = differ.map((k) => `${k} ${JSON.stringify(fieldOf(meta.modelConfig, k))} → ${JSON.stringify(fieldOf(this.model.config, k))}`).join(", ");
        throw new GlmjsError(
          "CHECKPOINT_MISMATCH",
          `checkpoint step ${meta.step} was trained with another model (${list}); resume with the model configuration and tokenizer of that run, or start a new run in another folder`,
        );
      }
      const all = this.model.namedVariables();
      for (const [name, v] of all) {
        const saved = loaded.params.get(name);
        if (!saved) throw new GlmjsError("CHECKPOINT_MISMATCH", `checkpoint step ${meta.step} has no parameter "${name}"`);
        if (!tf.util.arraysEqual(saved.shape, v.shape)) {
          throw new GlmjsError(
            "CHECKPOINT_MISMATCH",
            `checkpoint parameter "${name}" has shape [${saved.shape.join(",")}], the model has [${v.shape.join(",")}]`,
          );
        }
        v.assign(saved);
      }
      this.optimizer.setState(loaded.optimizer);
      await this.data.restore(meta.dataState);
      this.step = meta.step;
      this.lastCheckpointStep = meta.step;
      this.best = meta.best;
      await this.metrics.restore(meta.step, (m) => this.callbacks.onMessage?.(m));
      this.callbacks.onMessage?.(`resumed from step ${meta.step}`);
      return meta.step;
    } finally {
      disposeLoaded(loaded);
    }
  }

  async run(): Promise<TrainResult> {
    const o = this.options;
    const startTime = performance.now();
    let lastLoss = NaN;
    let consecutiveSkips = 0;
    while (this.step < o.steps) {
      if (this.stopRequested) {
        await this.checkpoint();
        return this.result("interrupted", lastLoss, `interrupted at step ${this.step}; checkpoint saved (resume() continues from it)`);
      }
      const t0 = performance.now();
      const stepNumber = this.step + 1;
      let inputTokens = 0;
      let stepFlops = 0;
      for (let micro = 0; micro < o.accumulation; micro++) {
        let batch = await this.data.next();
        // A batch without loss tokens (every blank dropped) carries no gradient: draw the next.
        for (let tries = 0; batch && lossTokens(batch) === 0; tries++) {
          if (tries === 100)
            throw new GlmjsError(
              "NO_LOSS_TOKENS",
              "the data source produced 100 batches in a row without loss tokens (lossMask all 0); check the objective settings",
            );
          batch = await this.data.next();
        }
        if (!batch) {
          this.accumulator.reset();
          await this.checkpoint();
          return this.result("data-exhausted", lastLoss, `the training data ran out at step ${this.step}`);
        }
        inputTokens += batch.batchSize * batch.seqLength;
        if (o.flopsShape) stepFlops += trainingStepFlops(o.flopsShape, batch, lossTokens(batch));
        const seed = stepSeed(o.seed, stepNumber, micro);
        const { value, grads } = tf.variableGrads(() => this.model.loss(batch, { ...o.lossOptions, seed }), [...this.trainable.values()]);
        const loss = (await value.data())[0]!;
        value.dispose();
        const named = new Map<string, tf.Tensor>();
        for (const [varName, g] of Object.entries(grads)) named.set(this.namesByVariable.get(varName)!, g);
        this.accumulator.add(named, loss, lossTokens(batch));
      }
      const loss = this.accumulator.meanLoss();
      const stepLossTokens = this.accumulator.tokens;
      const grads = this.accumulator.take();
      const normTensor = globalNorm([...grads.values()]);
      const gradNorm = (await normTensor.data())[0]!;
      normTensor.dispose();
      const lr = learningRateAt(stepNumber, o.schedule);
      const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
      // The factor clipping scales the gradients by (torch's max_norm / (norm + 1e-6), when below 1).
      const clipScale = finite && o.clipNorm > 0 ? Math.min(1, o.clipNorm / (gradNorm + 1e-6)) : 1;
      if (finite) {
        const clipped = clipByGlobalNorm([...grads.values()], gradNorm, o.clipNorm);
        const names = [...grads.keys()];
        const update = new Map(names.map((n, i) => [n, clipped[i]!]));
        this.optimizer.applyGradients(update, lr);
        for (const t of clipped) t.dispose();
      }
      for (const g of grads.values()) g.dispose();
      this.step = stepNumber;

      const seconds = (performance.now() - t0) / 1000;
      const tokensPerS = inputTokens / seconds;
      const mem = tf.memory();
      const row: TrainRow = {
        step: this.step,
        loss,
        lr,
        grad_norm: gradNorm,
        clip_scale: clipScale,
        tokens_per_s: tokensPerS,
        mfu: stepFlops > 0 && o.peakFlops ? stepFlops / seconds / o.peakFlops : NaN,
        loss_tokens: stepLossTokens,
        num_tensors: mem.numTensors,
        memory_bytes: mem.numBytes,
        elapsed_s: (performance.now() - startTime) / 1000,
      };
      if (!finite) row.skipped = true;
      await this.metrics.append(row);
      this.callbacks.onStep?.(row);

      if (!finite) {
        const what = Number.isFinite(loss) ? `gradient norm is ${gradNorm}` : `loss is ${loss}`;
        if (o.nanPolicy === "stop") {
          // The update was not applied, so the weights are still the last finite ones.
          this.step = stepNumber - 1;
          await this.checkpoint();
          return this.result("non-finite", lastLoss, `step ${stepNumber}: ${what}; stopped with a checkpoint of step ${this.step} (policy "stop")`);
        }
        consecutiveSkips += 1;
        this.callbacks.onMessage?.(`step ${stepNumber}: ${what}; update skipped (policy "skip", ${consecutiveSkips} in a row)`);
        if (consecutiveSkips >= o.maxConsecutiveSkips) {
          await this.checkpoint();
          return this.result("non-finite", lastLoss, `${consecutiveSkips} non-finite steps in a row up to step ${stepNumber}; stopped with a checkpoint`);
        }
        continue;
      }
      consecutiveSkips = 0;
      lastLoss = loss;

      const evalNow = o.evalEvery > 0 && this.step % o.evalEvery === 0;
      if (evalNow) await this.evaluateAll();
      if ((o.checkpointEvery > 0 && this.step % o.checkpointEvery === 0) || this.step === o.steps) await this.checkpoint();
      if (evalNow || this.step % o.plotEvery === 0 || this.step === o.steps) await this.writePlot();
    }
    if (this.lastCheckpointStep !== this.step) await this.checkpoint();
    return this.result("completed", lastLoss, `completed ${this.step} steps`);
  }

  /** Scores every held-out set now and logs an evaluation row per set. */
  async evaluateAll(): Promise<EvalRow[]> {
    const rows: EvalRow[] = [];
    for (const set of this.evalSets) {
      const row = set.score ? await scoredRow(this.model, set, this.step) : await languageModelRow(this.model, set, this.step);
      if (set.unigramLoss !== undefined) row.unigram_loss = set.unigramLoss;
      rows.push(row);
      await this.metrics.append(row);
      this.callbacks.onEval?.(row);
    }
    const first = rows[0];
    if (first && Number.isFinite(first.loss) && (!this.best || first.loss < this.best.loss)) {
      this.best = { step: this.step, split: first.split, loss: first.loss };
      const pointer = await this.checkpoint();
      await markBest(this.storage, pointer);
      this.callbacks.onCheckpoint?.({ step: this.step, file: pointer.file, best: true });
    }
    return rows;
  }

  private async checkpoint(): Promise<{ step: number; file: string }> {
    const file = { step: this.step, file: "" };
    if (this.lastCheckpointStep === this.step) {
      const latest = JSON.parse(await this.storage.readText("checkpoints/latest.json")) as { step: number; file: string };
      return latest;
    }
    const state = this.optimizer.getState();
    try {
      const rng: StepRngState = { algorithm: "hash32(seed, step, micro)", seed: this.options.seed, step: this.step };
      const meta: CheckpointMeta = {
        format: "glmjs-train/1",
        step: this.step,
        optimizerStep: this.optimizer.step,
        dataState: this.data.state(),
        rngState: rng,
        modelConfig: this.model.config,
        schedule: this.options.schedule,
        ...(this.best ? { best: this.best } : {}),
        ...(this.options.runInfo ? { run: this.options.runInfo } : {}),
      };
      const pointer = await saveCheckpoint(this.storage, this.model.namedVariables(), state, meta);
      file.file = pointer.file;
    } finally {
      for (const { m, v } of state.moments.values()) {
        m.dispose();
        v.dispose();
      }
    }
    this.lastCheckpointStep = this.step;
    await pruneCheckpoints(this.storage, this.options.keepCheckpoints);
    this.callbacks.onCheckpoint?.({ step: this.step, file: file.file, best: false });
    return file;
  }

  async writePlot(): Promise<void> {
    const baselines = this.evalSets.filter((s) => s.unigramLoss !== undefined).map((s) => ({ label: `unigram (${s.name})`, value: s.unigramLoss! }));
    await this.storage.writeTextAtomic("loss.svg", lossCurveSvg(this.metrics.all(), { title: "loss (nats per blank token)", baselines }));
  }

  private result(reason: StopReason, lastLoss: number, message: string): TrainResult {
    return { reason, step: this.step, lastLoss, ...(this.best ? { best: this.best } : {}), message };
  }

  /** Frees the optimizer state (the model stays with the caller). */
  dispose(): void {
    this.accumulator.reset();
    this.optimizer.dispose();
  }
}

async function languageModelRow(model: TrainableModel, set: EvalSet, step: number): Promise<EvalRow> {
  const r = await evaluate(model, set);
  return { step, split: set.name, loss: r.loss, perplexity: r.perplexity, accuracy: r.accuracy, tokens: r.tokens };
}

/** A row from the set's own evaluation; perplexity is exp(loss) (for a label cross-entropy: the effective number of labels). */
async function scoredRow(model: TrainableModel, set: EvalSet, step: number): Promise<EvalRow> {
  const s = await set.score!(model);
  if (typeof s?.loss !== "number")
    throw new GlmjsError("EVALUATION_INVALID", `evaluation set "${set.name}": score() must return { loss: number, … }, got ${JSON.stringify(s)}`);
  const row: EvalRow = { step, split: set.name, loss: s.loss, perplexity: Math.exp(s.loss), accuracy: s.accuracy ?? NaN, tokens: s.tokens ?? 0 };
  if (s.metrics && Object.keys(s.metrics).length > 0) row.metrics = { ...s.metrics };
  return row;
}
