// `glm pretrain`: pretrain a GLM from scratch on a text corpus with the blank-infilling objective.
// The recipe (split, tokenizer, batches, held-out sets, baseline) is @glmjs/train's
// preparePretraining and the loop its Trainer; this file turns flags into their options and owns
// what belongs to a terminal: messages in flag terms, the progress bar, SIGINT, a closed stdout,
// the time budget and the exit code.
import { access, readFile } from "node:fs/promises";
import { totalmem } from "node:os";
import { join, resolve } from "node:path";
import { GLMModel, autoBackend, measureMatmulSpeed, useBackend } from "@glmjs/core";
import { readCorpus } from "@glmjs/data/node";
import { loadTokenizer, trainTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import {
  DEFAULT_TRAINER_OPTIONS,
  GLM_ADAMW,
  RUN_EXISTS,
  Trainer,
  checkPretrainingShape,
  isEvalRow,
  openRun,
  preparePretraining,
  pretrainingRecord,
  scheduleForRun,
  validateTrainerOptions,
  wikitextArticles,
  type PretrainingShape,
  type ScheduleOptions,
  type TrainResult,
  type TrainerOptions,
} from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";
import type { Command } from "commander";
import { configureWasm } from "@glmjs/backend-wasm";
import { setWebGPUDeterministic } from "@glmjs/backend-webgpu";
import { withFlags } from "../flags.js";
import { EXIT_STDOUT_CLOSED, onStdoutClosed, printLine } from "../terminal/stdout.js";
import { quietTfjs } from "../terminal/quiet.js";
import { loadBackendPackages } from "./backends.js";
import { progressCallbacks, writeSummary } from "./pretrain-report.js";
import { FLAGS, definePretrainOptions, type PretrainOptions } from "./pretrain-options.js";

export function registerPretrain(program: Command): void {
  definePretrainOptions(program.command("pretrain"))
    .action(async (opts: PretrainOptions, command: Command) => {
      if (command.getOptionValueSource("tokenizerType") === "cli" && opts.tokenizer) {
        throw new Error("--tokenizer-type goes with --train-tokenizer, not with --tokenizer (a loaded tokenizer has its own type)");
      }
      process.exitCode = await runPretrain(opts);
    });
}

/** Runs `glm pretrain`; resolves to the process exit code. */
export async function runPretrain(o: PretrainOptions, log: (line: string) => void = printLine): Promise<number> {
  if (o.tokenizer !== undefined && o.trainTokenizer !== undefined) {
    throw new Error("give --tokenizer or --train-tokenizer, not both (one tokenizer is loaded, the other would be trained)");
  }
  // Every size and hyper-parameter is checked before any work, in the terms of the flags.
  const shape: PretrainingShape = {
    model: o.preset,
    dropout: o.dropout,
    objective: o.objective,
    packing: o.packing,
    batchSize: o.batch,
    seqLength: o.seqLen,
    seed: o.seed,
    evalBatches: o.evalBatches,
    heldOut: { every: o.heldOutEvery },
  };
  const fresh: ScheduleOptions = { peakLr: o.lr, decaySteps: o.decaySteps ?? o.steps, warmupFraction: o.warmup, style: o.decay, decayRatio: o.decayRatio };
  const trainerOptions = (schedule: ScheduleOptions): TrainerOptions => ({
    ...DEFAULT_TRAINER_OPTIONS,
    steps: o.steps,
    accumulation: o.accum,
    clipNorm: o.clip,
    seed: o.seed,
    optimizer: { ...GLM_ADAMW, weightDecay: o.weightDecay },
    schedule,
    evalEvery: o.evalEvery,
    checkpointEvery: o.checkpointEvery,
    nanPolicy: o.nanPolicy,
    lossOptions: { training: o.dropout > 0 },
  });
  const checked = await withFlags(FLAGS, () => {
    validateTrainerOptions(trainerOptions(fresh));
    return checkPretrainingShape({ ...shape, memoryLimitBytes: totalmem() });
  });

  for (const [flag, path] of [["--tokenizer", o.tokenizer], ["--valid-wikitext", o.validWikitext]] as const) {
    if (path !== undefined) await access(path).catch((e: NodeJS.ErrnoException) => Promise.reject(new Error(`${flag} ${path}: ${e.code === "ENOENT" ? "no such file or folder" : e.message}`)));
  }

  const out = resolve(o.out);
  const storage = new NodeStorage(out);
  const defining = {
    corpus: o.corpus,
    tokenizer: o.tokenizer ?? null,
    trainTokenizer: o.trainTokenizer ?? null,
    tokenizerType: o.tokenizerType,
    ...pretrainingRecord({ ...shape, keepPunctuation: o.keepPunctuation }),
    accum: o.accum,
    validWikitext: o.validWikitext ?? null,
  };
  const flagOf = (k: string) => FLAGS[k] ?? `--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`;
  // Runs recorded before --packing / --keep-punctuation existed packed sequentially and kept punctuation.
  const opened = await openRun(storage, { defining, resume: o.resume, flag: flagOf, recordedBefore: { packing: "sequential", keepPunctuation: true } }).catch(
    (e: { code?: string }) => {
      throw e.code === RUN_EXISTS ? new Error(`${out} already holds a run (checkpoints/latest.json); pass --resume to continue it, or choose another --out`) : e;
    },
  );
  if (opened.mode === "fresh" && o.resume) {
    log(`--resume: ${out} has no checkpoint, so this is a fresh start${opened.replaced ? ` (replacing ${opened.replaced.join(", ")} of the earlier attempt)` : ""}`);
  }
  if (opened.mode === "fresh" && o.tokenizer === undefined && o.trainTokenizer === undefined) {
    throw new Error("give --tokenizer <path> or --train-tokenizer <vocabulary size>");
  }

  quietTfjs(o.verbose);
  await loadBackendPackages();
  // Threads must be chosen before the wasm backend initialises; they do not change the numbers.
  if (o.threads !== undefined) configureWasm({ threads: o.threads });
  // cpu and wasm always repeat bit for bit; WebGPU does in its deterministic mode.
  setWebGPUDeterministic(o.deterministic);
  const provider = o.backend === "auto" ? await autoBackend({ log }) : await useBackend(o.backend);
  const backend = provider.name;

  const texts: string[] = [];
  for await (const doc of readCorpus({ paths: o.corpus })) texts.push(doc.text);
  if (texts.length === 0) throw new Error(`--corpus ${o.corpus.join(" ")}: no documents found`);
  const extraEvalSets = o.validWikitext ? [{ name: "wikitext", documents: wikitextArticles(await readFile(o.validWikitext, "utf8")) }] : [];
  let tokenizer: Tokenizer | undefined;
  const prepared = await withFlags(FLAGS, () =>
    preparePretraining({
      ...shape,
      documents: texts,
      keepPunctuation: o.keepPunctuation,
      extraEvalSets,
      tokenizer: async (train) => (tokenizer = await obtainTokenizer(o, out, opened.mode === "resume", train, log)),
    }),
  );
  log(`corpus: ${texts.length} documents (${prepared.train.length} train, ${prepared.heldOut.length} held out)`);
  log(`tokens: ${prepared.tokens.train} train, ${prepared.tokens.heldOut} held out (vocabulary ${prepared.tokenizer.vocabSize}); rows of up to ${checked.maxRowLength} tokens`);
  for (const note of prepared.notes) log(`note: ${note}`);

  const schedule = await scheduleForRun(storage, fresh, opened.mode === "resume", o.decaySteps !== undefined);
  // The best of three medians: on a busy machine one measurement can land in a slow moment.
  let peak = 0;
  for (let i = 0; i < 3; i++) peak = Math.max(peak, (await measureMatmulSpeed(512)).gflops);
  const probed = await provider.probe();
  const detail = probed.available ? probed.detail : undefined;
  log(`backend ${backend}${detail ? ` (${detail})` : ""}: matmul 512² ${peak.toFixed(1)} GFLOP/s (the MFU reference)`);
  const model = GLMModel.fromConfig(prepared.config, { seed: o.seed });
  const progress = progressCallbacks(o.steps, o.logEvery, log);
  const trainer = new Trainer(
    model,
    prepared.source,
    prepared.evalSets,
    storage,
    {
      ...trainerOptions(schedule),
      flopsShape: prepared.config,
      peakFlops: peak * 1e9,
      runInfo: { preset: o.preset, objective: o.objective, batch: o.batch, seqLen: o.seqLen, backend },
    },
    progress,
  );
  if (opened.mode === "resume") {
    await trainer.resume();
    const stale = (await storage.removeStaleTemporaries("model")).map((n) => `model/${n}`);
    if (stale.length) log(`removed ${stale.join(", ")} (left by an interrupted write)`);
  }

  const stopped = await trainUntilStopped(trainer, o, log);
  progress.stop();
  const { result, by } = stopped;
  if (by === "stdout") process.stderr.write(`glm: standard output was closed: stopped at step ${result.step} with a checkpoint; continue with --resume\n`);
  else log(resultLine(result, by, o));

  // An interrupted run skips the final evaluation (Ctrl-C means "now"); a budget stop does not.
  const evaluate = result.reason !== "interrupted" || by === "budget";
  if (evaluate && !trainer.metrics.all().some((r) => r.step === result.step && isEvalRow(r))) await trainer.evaluateAll();
  await trainer.writePlot();
  // The model folder is complete (weights, config, tokenizer) however the run ended.
  await model.save(join(out, "model"));
  await (tokenizer ?? (await loadTokenizer(join(out, "tokenizer.json")))).save(join(out, "model", "tokenizer.json"));
  if (evaluate) await writeSummary(storage, out, o, { ...result, ...(trainer.bestEvaluation ? { best: trainer.bestEvaluation } : {}) }, trainer.metrics.all(), log);
  trainer.dispose();
  model.dispose();
  if (by === "SIGINT") return 130;
  if (by === "stdout") return EXIT_STDOUT_CLOSED;
  return result.reason === "non-finite" ? 1 : 0;
}

type StopCause = "SIGINT" | "budget" | "stdout";

/** Runs the trainer until it finishes or Ctrl-C, the time budget or a closed stdout stops it (with a checkpoint). */
async function trainUntilStopped(trainer: Trainer, o: PretrainOptions, log: (l: string) => void): Promise<{ result: TrainResult; by?: StopCause }> {
  let by: StopCause | undefined;
  const stop = (cause: StopCause) => {
    if (by) return;
    by = cause;
    trainer.requestStop();
  };
  const onSigint = () => {
    if (by === "SIGINT") process.exit(130); // a second Ctrl-C: leave now
    log("\nSIGINT: finishing this step, then saving a checkpoint (Ctrl-C again to quit at once)");
    by = undefined;
    stop("SIGINT");
  };
  process.on("SIGINT", onSigint);
  const unsubscribe = onStdoutClosed(() => stop("stdout"));
  const budget = o.timeBudget ? setTimeout(() => stop("budget"), o.timeBudget * 60_000) : undefined;
  try {
    const result = await trainer.run();
    return { result, ...(result.reason === "interrupted" && by ? { by } : {}) };
  } finally {
    process.off("SIGINT", onSigint);
    unsubscribe();
    if (budget) clearTimeout(budget);
  }
}

function resultLine(result: TrainResult, by: StopCause | undefined, o: PretrainOptions): string {
  if (by === "budget") return `time budget of ${o.timeBudget} min reached at step ${result.step}; checkpoint saved`;
  if (by === "SIGINT") return `interrupted at step ${result.step}; checkpoint saved, continue with --resume`;
  if (result.reason === "completed") return `completed ${result.step} steps`;
  return result.message;
}

/** The run's tokenizer: the saved one when resuming, else loaded or trained (on the training split) and saved. */
async function obtainTokenizer(o: PretrainOptions, out: string, resuming: boolean, trainTexts: readonly string[], log: (l: string) => void): Promise<Tokenizer> {
  const saved = join(out, "tokenizer.json");
  if (resuming) {
    try {
      return await loadTokenizer(saved);
    } catch {
      // No tokenizer saved by the first run: fall through to the options (run.json says they repeat).
    }
  }
  let tokenizer: Tokenizer;
  if (o.tokenizer !== undefined) tokenizer = await loadTokenizer(o.tokenizer);
  else if (o.trainTokenizer !== undefined) {
    const t0 = performance.now();
    tokenizer = await trainTokenizer(trainTexts, { type: o.tokenizerType, vocabSize: o.trainTokenizer });
    log(`trained a tokenizer of ${tokenizer.vocabSize} tokens on the training split in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else throw new Error("give --tokenizer <path> or --train-tokenizer <vocabulary size>");
  await tokenizer.save(saved);
  return tokenizer;
}
