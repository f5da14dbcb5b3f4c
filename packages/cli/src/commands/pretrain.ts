// `glm pretrain`: pretrain a GLM from scratch on a text corpus with the blank-infilling objective.
// The recipe (split, tokenizer, batches, held-out sets, baseline) is @glmjs/train's
// preparePretraining and the loop its Trainer; this file turns flags into their options and owns
// what belongs to a terminal: messages in flag terms, the progress bar, SIGINT, a closed stdout,
// the time budget and the exit code.
import { GlmjsError } from "@glmjs/common";
import { access, readFile } from "node:fs/promises";
import { totalmem } from "node:os";
import { join, resolve } from "node:path";
import { GLMModel } from "@glmjs/core";
import { readCorpus } from "@glmjs/data/node";
import { loadTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import {
  DEFAULT_TRAINER_OPTIONS,
  GLM_ADAMW,
  Trainer,
  checkPretrainingShape,
  isEvalRow,
  preparePretraining,
  pretrainingRecord,
  scheduleForRun,
  validateTrainerOptions,
  wikitextArticles,
  type PretrainingShape,
  type ScheduleOptions,
  type TrainerOptions,
} from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";
import type { Command } from "commander";
import { wasmThreadCount } from "@glmjs/backend-wasm";
import { withFlags } from "../flags.js";
import { activateBackend, describeBackend, measurePeakGflops } from "../run/backend.js";
import { saveModelFolder } from "../run/model-folder.js";
import { trainProgress } from "../run/progress.js";
import { flagOf, openRunFolder } from "../run/run-folder.js";
import { obtainTokenizer } from "../run/tokenizer.js";
import { evaluatesAtEnd, exitCode, reportEnd, trainUntilStopped } from "../run/train-loop.js";
import { printLine } from "../terminal/stdout.js";
import { evalLine, writeSummary } from "./pretrain-report.js";
import { FLAGS, definePretrainOptions, type PretrainOptions } from "./pretrain-options.js";

export function registerPretrain(program: Command): void {
  definePretrainOptions(program.command("pretrain")).action(async (opts: PretrainOptions, command: Command) => {
    if (command.getOptionValueSource("tokenizerType") === "cli" && opts.tokenizer) {
      throw new GlmjsError("OPTION_INVALID", "--tokenizer-type goes with --train-tokenizer, not with --tokenizer (a loaded tokenizer has its own type)");
    }
    process.exitCode = await runPretrain(opts);
  });
}

/** Runs `glm pretrain`; resolves to the process exit code. */
export async function runPretrain(o: PretrainOptions, log: (line: string) => void = printLine): Promise<number> {
  if (o.tokenizer !== undefined && o.trainTokenizer !== undefined) {
    throw new GlmjsError("OPTION_INVALID", "give --tokenizer or --train-tokenizer, not both (one tokenizer is loaded, the other would be trained)");
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

  for (const [flag, path] of [
    ["--tokenizer", o.tokenizer],
    ["--valid-wikitext", o.validWikitext],
  ] as const) {
    if (path !== undefined)
      await access(path).catch((e: NodeJS.ErrnoException) =>
        Promise.reject(
          new GlmjsError(
            e.code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE",
            `${flag} ${path}: ${e.code === "ENOENT" ? "no such file or folder" : e.message}`,
            { cause: e },
          ),
        ),
      );
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
  // Runs recorded before --packing / --keep-punctuation existed packed sequentially and kept punctuation.
  const opened = await openRunFolder(
    storage,
    out,
    { defining, resume: o.resume, flag: flagOf(FLAGS), recordedBefore: { packing: "sequential", keepPunctuation: true } },
    log,
  );
  if (opened.mode === "fresh" && o.tokenizer === undefined && o.trainTokenizer === undefined) {
    throw new GlmjsError("OPTION_INVALID", "give --tokenizer <path> or --train-tokenizer <vocabulary size>");
  }

  const provider = await activateBackend(o, log);
  const backend = provider.name;

  const texts: string[] = [];
  for await (const doc of readCorpus({ paths: o.corpus })) texts.push(doc.text);
  if (texts.length === 0) throw new GlmjsError("CORPUS_INVALID", `--corpus ${o.corpus.join(" ")}: no documents found`);
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
  log(
    `tokens: ${prepared.tokens.train} train, ${prepared.tokens.heldOut} held out (vocabulary ${prepared.tokenizer.vocabSize}); rows of up to ${checked.maxRowLength} tokens`,
  );
  for (const note of prepared.notes) log(`note: ${note}`);

  const schedule = await scheduleForRun(storage, fresh, opened.mode === "resume", o.decaySteps !== undefined);
  const peak = await measurePeakGflops();
  const threads = backend === "wasm" ? wasmThreadCount() : undefined;
  log(`backend ${await describeBackend(provider)}: matmul 512² ${peak.toFixed(1)} GFLOP/s (the MFU reference)`);
  const model = GLMModel.fromConfig(prepared.config, { seed: o.seed });
  const progress = trainProgress({ steps: o.steps, logEvery: o.logEvery, log, evalLine, mfu: true });
  const trainer = new Trainer(
    model,
    prepared.source,
    prepared.evalSets,
    storage,
    {
      ...trainerOptions(schedule),
      flopsShape: prepared.config,
      peakFlops: peak * 1e9,
      runInfo: { preset: o.preset, objective: o.objective, batch: o.batch, seqLen: o.seqLen, backend, ...(threads ? { threads } : {}) },
    },
    progress,
  );
  if (opened.mode === "resume") {
    await trainer.resume();
    const stale = (await storage.removeStaleTemporaries("model")).map((n) => `model/${n}`);
    if (stale.length) log(`removed ${stale.join(", ")} (left by an interrupted write)`);
  }

  const stopped = await trainUntilStopped(trainer, o.timeBudget, log);
  progress.stop();
  reportEnd(stopped, o.timeBudget, log);
  const { result } = stopped;

  const evaluate = evaluatesAtEnd(stopped);
  if (evaluate && !trainer.metrics.all().some((r) => r.step === result.step && isEvalRow(r))) await trainer.evaluateAll();
  await trainer.writePlot();
  // The model folder is complete (weights, config, tokenizer) however the run ended.
  await saveModelFolder(model, tokenizer ?? (await loadTokenizer(join(out, "tokenizer.json"))), out);
  if (evaluate)
    await writeSummary(storage, out, o, { ...result, ...(trainer.bestEvaluation ? { best: trainer.bestEvaluation } : {}) }, trainer.metrics.all(), log);
  trainer.dispose();
  model.dispose();
  return exitCode(stopped);
}
