// What `glm finetune cloze|seq2seq` share once the task is known: flags checked against the model
// before any work, the run folder (--resume), the backend, the model with the requested dropout,
// the Trainer with a progress bar, Ctrl-C / time budget / closed stdout, and a complete model
// folder at the end (weights, config, tokenizer.json, task.json) with summary.json.
import { GlmjsError } from "@glmjs/common";
import { join, resolve } from "node:path";
import type { GLMConfig } from "@glmjs/core";
import { type FinetuneRunOptions, type TaskDefaults, resolveRun } from "@glmjs/tasks";
import { type EvalRow, type Trainer, type TrainerCallbacks, isEvalRow, validateTrainerOptions } from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";
import { withFlags } from "../flags.js";
import { activateBackend } from "../run/backend.js";
import { type ModelArg, loadModelArg, readModelConfig, resolveModelArg, sourceName } from "../run/model-arg.js";
import { trainProgress } from "../run/progress.js";
import { flagOf, openRunFolder } from "../run/run-folder.js";
import { evaluatesAtEnd, exitCode, reportEnd, trainUntilStopped } from "../run/train-loop.js";
import { printLine } from "../terminal/stdout.js";
import { type TaskRecord, writeTaskRecord } from "../task-data/task-record.js";
import { FINETUNE_FLAGS, type FinetuneFlags } from "./finetune-options.js";

/** What a task adds to the shared fine-tuning run. */
export interface FinetunePlan {
  kind: "cloze" | "seq2seq";
  /** The task's own defining options (data, task, loss), recorded in run.json. */
  defining: Record<string, unknown>;
  /** The task's lengths against the model, in flag terms. */
  checkSizes(config: GLMConfig): void;
  defaults: TaskDefaults;
  /** Reads the data, builds the task and the Trainer. */
  prepare(
    loaded: ModelArg,
    run: FinetuneRunOptions & { storage: NodeStorage; callbacks: TrainerCallbacks; dropout: boolean },
    log: (l: string) => void,
  ): Promise<PreparedFinetune>;
  /** One held-out evaluation row as text. */
  evalLine(row: EvalRow): string;
}

export interface PreparedFinetune {
  trainer: Trainer;
  steps: number;
  stepsPerEpoch: number;
  record: TaskRecord;
  /** The held-out set's name in metrics.jsonl (absent: no held-out data). */
  evalSplit?: string;
  /** What `glm eval` command checks the result (printed at the end). */
  evalHint?: string;
}

/** The Trainer-facing run options the flags give. */
export function runOptionsOf(o: FinetuneFlags): FinetuneRunOptions {
  const options: FinetuneRunOptions = {
    steps: o.steps,
    epochs: o.epochs,
    batchSize: o.batch,
    accumulation: o.accum,
    lr: o.lr,
    warmupFraction: o.warmup,
    weightDecay: o.weightDecay,
    clipNorm: o.clip,
    seed: o.seed,
    evalEvery: o.evalEvery,
    checkpointEvery: o.checkpointEvery,
  };
  for (const k of Object.keys(options) as (keyof FinetuneRunOptions)[]) if (options[k] === undefined) delete options[k];
  return options;
}

/** A value of the model's config checked against a flag: "--max-length 600 exceeds …". */
export function checkLength(config: GLMConfig, flag: string, value: number): void {
  if (value > config.max_sequence_length) {
    throw new GlmjsError(
      "SEQUENCE_TOO_LONG",
      `${flag} ${value} exceeds the model's max_sequence_length ${config.max_sequence_length} (its position embeddings); use at most ${config.max_sequence_length}`,
    );
  }
}

export async function runFinetune(o: FinetuneFlags, plan: FinetunePlan, log: (line: string) => void = printLine): Promise<number> {
  if (o.steps !== undefined && o.epochs !== undefined) throw new GlmjsError("OPTION_INVALID", "give --steps or --epochs, not both");
  const run = runOptionsOf(o);
  // Everything the flags decide is checked before any work, in the flags' terms.
  await withFlags(FINETUNE_FLAGS, () => validateTrainerOptions(resolveRun(run, plan.defaults, 1).trainer));
  const source = await resolveModelArg(o.model);
  const config = await readModelConfig(source);
  plan.checkSizes(config);

  const out = resolve(o.out);
  const storage = new NodeStorage(out);
  const defining = {
    task: plan.kind,
    model: sourceName(source),
    ...plan.defining,
    steps: o.steps ?? null,
    epochs: o.epochs ?? null,
    batch: o.batch ?? null,
    accum: o.accum,
    lr: o.lr ?? null,
    warmup: o.warmup ?? null,
    weightDecay: o.weightDecay ?? null,
    clip: o.clip,
    dropout: o.dropout,
    seed: o.seed,
  };
  const opened = await openRunFolder(storage, out, { defining, resume: o.resume, flag: flagOf(FINETUNE_FLAGS) }, log);

  const provider = await activateBackend(o, log);
  const probed = await provider.probe();
  log(`backend ${provider.name}${probed.available && probed.detail ? ` (${probed.detail})` : ""}`);
  const p = o.dropout;
  const loaded = await loadModelArg(source, { configOverrides: { embedding_dropout_prob: p, attention_dropout_prob: p, output_dropout_prob: p } });
  log(
    `model: ${loaded.description} (${loaded.model.config.num_layers} layers, hidden ${loaded.model.config.hidden_size}, ${(loaded.model.parameterCount() / 1e6).toFixed(2)} M parameters)`,
  );
  const { model, tokenizer } = loaded;

  // The bar needs the step count, known once the trainer exists; the callbacks reach it through this.
  const shown: { progress?: ReturnType<typeof trainProgress> } = {};
  const callbacks: TrainerCallbacks = {
    onStep: (r) => shown.progress?.onStep(r),
    onEval: (r) => shown.progress?.onEval(r),
    onMessage: (m) => (shown.progress ? shown.progress.onMessage(m) : log(m)),
  };
  const prepared = await withFlags(FINETUNE_FLAGS, () => plan.prepare(loaded, { ...run, storage, callbacks, dropout: p > 0 }, log));
  const { trainer } = prepared;
  const progress = (shown.progress = trainProgress({ steps: prepared.steps, logEvery: o.logEvery, log, evalLine: plan.evalLine }));
  log(`${prepared.steps} steps (${prepared.stepsPerEpoch} per epoch), run folder ${out}`);
  // The tokenizer and task beside the checkpoints from the start: the run folder loads as a model while it trains.
  await tokenizer.save(join(out, "tokenizer.json"));
  await writeTaskRecord(prepared.record, [out]);
  if (opened.mode === "resume") {
    await trainer.resume();
    const stale = (await storage.removeStaleTemporaries("model")).map((n) => `model/${n}`);
    if (stale.length) log(`removed ${stale.join(", ")} (left by an interrupted write)`);
  }

  const stopped = await trainUntilStopped(trainer, o.timeBudget, log);
  progress.stop();
  reportEnd(stopped, o.timeBudget, log);
  const { result } = stopped;
  const evaluate = evaluatesAtEnd(stopped) && prepared.evalSplit !== undefined;
  if (evaluate && !trainer.metrics.all().some((r) => r.step === result.step && isEvalRow(r))) await trainer.evaluateAll();
  await trainer.writePlot();
  // The model folder is complete (weights, config, tokenizer, task) however the run ended.
  const modelDir = join(out, "model");
  await model.save(modelDir);
  await tokenizer.save(join(modelDir, "tokenizer.json"));
  await writeTaskRecord(prepared.record, [modelDir]);
  const final = trainer.metrics.all().filter((r): r is EvalRow => isEvalRow(r) && r.step === result.step);
  const best = trainer.bestEvaluation;
  await storage.writeTextAtomic(
    "summary.json",
    JSON.stringify({ step: result.step, reason: result.reason, final, ...(best ? { best } : {}), command: o }, null, 2) + "\n",
  );
  if (stopped.by !== "stdout") {
    for (const r of final) log(`final @ step ${r.step}: ${r.split}: ${plan.evalLine(r)}`);
    if (best) log(`best held-out loss at step ${best.step} (checkpoints/best.json)`);
    log(`model folder: ${modelDir} (weights, config.json, tokenizer.json, task.json)`);
    if (prepared.evalHint) log(`evaluate it: ${prepared.evalHint.replace("<out>", out)}`);
  }
  trainer.dispose();
  loaded.dispose();
  return exitCode(stopped);
}
