// `glm pretrain`: pretrain a GLM from scratch on a text corpus with the blank-infilling objective.
// This file wires the pieces together (corpus → tokenizer → batches → Trainer) and owns everything
// that belongs to a terminal: the progress bar, SIGINT and the exit code. The loop is @glmjs/train.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  GLMModel,
  autoBackend,
  measureMatmulSpeed,
  presetConfig,
  useBackend,
} from "@glmjs/core";
import {
  arrayDocuments,
  createBatchIterator,
  objectivePresets,
  sentenceEndTable,
  tokenizedCorpus,
  type BatchIteratorState,
  type PackingKind,
  type ObjectiveSettings,
} from "@glmjs/data";
import { readCorpus } from "@glmjs/data/node";
import { loadTokenizer, trainTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import {
  DEFAULT_TRAINER_OPTIONS,
  GLM_ADAMW,
  GLM_PRETRAIN_SCHEDULE,
  IteratorSource,
  Trainer,
  UnigramModel,
  checkRunRecord,
  scheduleForRun,
  isEvalRow,
  splitHeldOut,
  takeBatches,
  wikitextArticles,
  type EvalRow,
  type EvalSet,
  type ScheduleOptions,
  type TrainResult,
  type MetricsRow,
  type TrainRow,
  summarizeRun,
} from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";
import { Presets, SingleBar } from "cli-progress";
import { Option, type Command } from "commander";
import { configureWasm, wasmThreadCount } from "@glmjs/backend-wasm";
import { setWebGPUDeterministic } from "@glmjs/backend-webgpu";
import { loadBackendPackages } from "./backends.js";

export interface PretrainOptions {
  corpus: string[];
  tokenizer?: string;
  trainTokenizer?: number;
  tokenizerType: "wordpiece" | "bpe";
  preset: string;
  objective: string;
  packing: PackingKind;
  steps: number;
  batch: number;
  seqLen: number;
  accum: number;
  lr: number;
  warmup: number;
  decay: "cosine" | "linear";
  decayRatio: number;
  decaySteps?: number;
  weightDecay: number;
  clip: number;
  dropout: number;
  seed: number;
  out: string;
  resume: boolean;
  backend: string;
  threads?: number;
  deterministic: boolean;
  evalEvery: number;
  evalBatches: number;
  checkpointEvery: number;
  heldOutEvery: number;
  validWikitext?: string;
  timeBudget?: number;
  nanPolicy: "skip" | "stop";
  logEvery: number;
}

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${v}"`);
  return n;
};
const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got "${v}"`);
  return n;
};

export function registerPretrain(program: Command): void {
  program
    .command("pretrain")
    .description("pretrain a GLM from scratch on text with the blank-infilling objective (resumable)")
    .requiredOption("--corpus <paths...>", "text files, folders or globs (blank lines separate documents)")
    .option("--tokenizer <path>", "tokenizer file or folder (tokenizer.json, vocab.txt, ...)")
    .option("--train-tokenizer <vocab>", "train a tokenizer of this vocabulary size on the training split", int)
    .addOption(new Option("--tokenizer-type <type>", "kind of tokenizer --train-tokenizer learns").choices(["wordpiece", "bpe"]).default("wordpiece"))
    .option("--preset <name>", "model shape (tiny, small, base, glm-base, ...)", "small")
    .option("--objective <name>", "mixed (token+sentence+document), token, sentence, document, or a data preset", "mixed")
    .addOption(
      new Option("--packing <kind>", "block: the original's BlockDataset (documents drawn in proportion to their length, windows start after a sentence end); sequential: shuffled documents back to back")
        .choices(["block", "sequential"])
        .default("block"),
    )
    .requiredOption("--steps <n>", "optimizer steps (with --resume: continue up to this step)", int)
    .option("--batch <n>", "samples per micro-batch", int, 8)
    .option("--seq-len <n>", "raw sample length in tokens (rows grow by Part B)", int, 256)
    .option("--accum <n>", "micro-batches per optimizer step", int, 1)
    .option("--lr <lr>", "peak learning rate", num, GLM_PRETRAIN_SCHEDULE.peakLr)
    .option("--warmup <fraction>", "warm-up as a fraction of the decay steps", num, GLM_PRETRAIN_SCHEDULE.warmupFraction)
    .addOption(new Option("--decay <style>", "learning-rate decay").choices(["cosine", "linear"]).default("cosine"))
    .option("--decay-ratio <r>", "final learning rate as a fraction of the peak", num, GLM_PRETRAIN_SCHEDULE.decayRatio)
    .option("--decay-steps <n>", "steps of the decay (default: --steps of the first run)", int)
    .option("--weight-decay <wd>", "AdamW weight decay (not on biases and LayerNorm)", num, GLM_ADAMW.weightDecay)
    .option("--clip <norm>", "global gradient-norm limit (0: off)", num, DEFAULT_TRAINER_OPTIONS.clipNorm)
    .option("--dropout <p>", "dropout probability (0: off; the original used 0.1)", num, 0)
    .option("--seed <n>", "seed of initialisation, data order, masking and dropout", int, DEFAULT_TRAINER_OPTIONS.seed)
    .requiredOption("--out <dir>", "run folder: metrics.jsonl, loss.svg, checkpoints/, tokenizer.json, model/")
    .option("--resume", "continue the run in --out from its latest checkpoint", false)
    .option("--backend <name>", "tfjs backend (auto, wasm, cpu, webgpu, ...)", "auto")
    .option("--threads <n>", "wasm backend threads in Node (default: the free cores, or GLMJS_WASM_THREADS; 1 = single-threaded build)", int)
    .option("--no-deterministic", "on webgpu: use tfjs's atomics-based kernels (runs then differ in the last bits, and --resume is no longer exact)")
    .option("--eval-every <n>", "evaluate the held-out sets every n steps (0: only at the end)", int, DEFAULT_TRAINER_OPTIONS.evalEvery)
    .option("--eval-batches <n>", "batches per held-out set", int, 8)
    .option("--checkpoint-every <n>", "checkpoint every n steps", int, DEFAULT_TRAINER_OPTIONS.checkpointEvery)
    .option("--held-out-every <n>", "hold out every n-th run of 10 corpus documents for validation", int, 20)
    .option("--valid-wikitext <file>", "also evaluate on a WikiText file (e.g. wikitext2/valid.txt)")
    .option("--time-budget <minutes>", "stop (with a checkpoint and a final evaluation) after this wall-clock time", num)
    .addOption(new Option("--nan-policy <policy>", "on NaN/Inf loss or gradients").choices(["skip", "stop"]).default("skip"))
    .option("--log-every <n>", "print a line every n steps when not on a terminal", int, 1)
    .action(async (opts: PretrainOptions) => {
      process.exitCode = await runPretrain(opts);
    });
}

/** Runs `glm pretrain`; resolves to the process exit code. */
export async function runPretrain(o: PretrainOptions, log: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const out = resolve(o.out);
  const storage = new NodeStorage(out);
  if (!o.resume && (await storage.exists("checkpoints/latest.json"))) {
    throw new Error(`${out} already holds a run (checkpoints/latest.json); pass --resume to continue it, or choose another --out`);
  }
  await mkdir(out, { recursive: true });
  const defining = Object.fromEntries(RUN_DEFINING.map((k) => [k, o[k] ?? null]));
  // Runs recorded before --packing existed packed sequentially.
  await checkRunRecord(storage, defining, o.resume, (k) => `--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`, { packing: "sequential" });

  await loadBackendPackages();
  // Threads must be chosen before the wasm backend initialises; they do not change the numbers.
  if (o.threads !== undefined) configureWasm({ threads: o.threads });
  // cpu and wasm always repeat bit for bit; WebGPU does in its deterministic mode.
  setWebGPUDeterministic(o.deterministic);
  const backend = o.backend === "auto" ? (await autoBackend({ log })).name : (await useBackend(o.backend)).name;

  // Corpus → documents → held-out split (before any tokenizer training, so validation text is unseen).
  const texts: string[] = [];
  for await (const doc of readCorpus({ paths: o.corpus })) texts.push(doc.text);
  if (texts.length === 0) throw new Error(`--corpus ${o.corpus.join(" ")}: no documents found`);
  const split = splitHeldOut(texts, { every: o.heldOutEvery, run: 10 });
  log(`corpus: ${texts.length} documents (${split.train.length} train, ${split.heldOut.length} held out)`);

  const tokenizer = await obtainTokenizer(o, out, split.train, log);
  const special = tokenizer.special;
  const encode = (docs: string[]) => docs.map((d) => Int32Array.from(tokenizer.encode(d)));
  const trainIds = encode(split.train);
  const heldOutIds = encode(split.heldOut);
  log(`tokens: ${count(trainIds)} train, ${count(heldOutIds)} held out (vocabulary ${tokenizer.vocabSize})`);

  const config = presetConfig(o.preset, {
    vocab_size: tokenizer.paddedVocabSize,
    embedding_dropout_prob: o.dropout,
    attention_dropout_prob: o.dropout,
    output_dropout_prob: o.dropout,
  });
  const model = GLMModel.fromConfig(config, { seed: o.seed });
  const sentenceEnd = sentenceEndTable(tokenizer.vocabSize, (id) => tokenizer.idToToken(id));
  const objective = resolveObjective(o.objective, special.dBlock !== undefined && special.dBlock >= 0);
  // Training batches are packed as --packing says. "once" reads documents a single time in file
  // order: held-out sets are built so, and so their first --eval-batches batches do not depend on
  // the packing.
  const trainCorpus = o.packing === "block" ? tokenizedCorpus(trainIds) : undefined;
  const batchesOf = (docs: Int32Array[], seed: number, mode: "train" | "once", resumeFrom?: BatchIteratorState) =>
    createBatchIterator({
      ...(mode === "train" && trainCorpus
        ? { documents: trainCorpus, packing: "block" as const }
        : { documents: arrayDocuments(docs, { seed, shuffle: mode === "train", epochs: mode === "train" ? Infinity : 1 }), packing: "sequential" as const }),
      batchSize: o.batch,
      seqLength: o.seqLen,
      special,
      sentenceEnd,
      objective,
      seed,
      ...(resumeFrom ? { resumeFrom } : {}),
    });
  const source = new IteratorSource<BatchIteratorState>((from) => batchesOf(trainIds, o.seed, "train", from));

  // The baseline knows what blanks hold (their [eop]s included): a pass's worth of training
  // batches drawn with another seed than the run's (sequential packing: one pass in file order).
  const onePass = Math.ceil(count(trainIds) / (o.batch * o.seqLen));
  const unigram = UnigramModel.fromBatches(await takeBatches(batchesOf(trainIds, o.seed + 2, trainCorpus ? "train" : "once"), onePass), config.vocab_size);
  const evalSets: EvalSet[] = [];
  const addEvalSet = async (name: string, docs: Int32Array[]) => {
    const batches = await takeBatches(batchesOf(docs, o.seed + 1, "once"), o.evalBatches);
    if (batches.length > 0) evalSets.push({ name, batches, unigramLoss: unigram.crossEntropy(batches) });
  };
  await addEvalSet("valid", heldOutIds);
  if (o.validWikitext) await addEvalSet("wikitext", encode(wikitextArticles(await readFile(o.validWikitext, "utf8"))));

  const fresh: ScheduleOptions = { peakLr: o.lr, decaySteps: o.decaySteps ?? o.steps, warmupFraction: o.warmup, style: o.decay, decayRatio: o.decayRatio };
  const schedule = await scheduleForRun(storage, fresh, o.resume, o.decaySteps !== undefined);
  // The best of three medians: on a busy machine one measurement can land in a slow moment.
  let peak = 0;
  for (let i = 0; i < 3; i++) peak = Math.max(peak, (await measureMatmulSpeed(512)).gflops);
  const threads = backend === "wasm" ? wasmThreadCount() : undefined;
  log(`backend ${backend}${threads ? ` (${threads} thread${threads === 1 ? "" : "s"})` : ""}: matmul 512² ${peak.toFixed(1)} GFLOP/s (the MFU reference)`);
  const trainer = new Trainer(
    model,
    source,
    evalSets,
    storage,
    {
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
      flopsShape: config,
      peakFlops: peak * 1e9,
      lossOptions: { training: o.dropout > 0 },
      runInfo: { preset: o.preset, objective: o.objective, batch: o.batch, seqLen: o.seqLen, backend, ...(threads ? { threads } : {}) },
    },
    progressCallbacks(o, log),
  );
  if (o.resume) {
    const from = await trainer.resume();
    if (from === 0) log(`--resume: no checkpoint in ${out}; starting from step 0`);
  }

  let interruptedBy: "SIGINT" | "budget" | undefined;
  const onSigint = () => {
    if (interruptedBy === "SIGINT") process.exit(130); // a second Ctrl-C: leave now
    interruptedBy = "SIGINT";
    log("\nSIGINT: finishing this step, then saving a checkpoint (Ctrl-C again to quit at once)");
    trainer.requestStop();
  };
  process.on("SIGINT", onSigint);
  const budget = o.timeBudget
    ? setTimeout(() => {
        interruptedBy = "budget";
        trainer.requestStop();
      }, o.timeBudget * 60_000)
    : undefined;
  let result: TrainResult;
  try {
    result = await trainer.run();
  } finally {
    process.off("SIGINT", onSigint);
    if (budget) clearTimeout(budget);
  }
  log(interruptedBy === "budget" ? `time budget of ${o.timeBudget} min reached at step ${result.step}; checkpoint saved` : result.message);

  if (result.reason !== "interrupted" || interruptedBy === "budget") {
    if (!trainer.metrics.all().some((r) => r.step === result.step && isEvalRow(r))) await trainer.evaluateAll();
    await trainer.writePlot();
    await model.save(join(out, "model"));
    await writeSummary(out, o, { ...result, best: trainer.bestEvaluation }, trainer.metrics.all(), log);
  }
  trainer.dispose();
  model.dispose();
  if (interruptedBy === "SIGINT") return 130;
  return result.reason === "non-finite" ? 1 : 0;
}

async function obtainTokenizer(o: PretrainOptions, out: string, trainTexts: string[], log: (l: string) => void): Promise<Tokenizer> {
  const saved = join(out, "tokenizer.json");
  if (o.resume) {
    try {
      return await loadTokenizer(saved);
    } catch {
      // No tokenizer saved by the first run: fall through to the options.
    }
  }
  let tokenizer: Tokenizer;
  if (o.tokenizer) tokenizer = await loadTokenizer(o.tokenizer);
  else if (o.trainTokenizer) {
    const t0 = performance.now();
    tokenizer = await trainTokenizer(trainTexts, { type: o.tokenizerType, vocabSize: o.trainTokenizer });
    log(`trained a tokenizer of ${tokenizer.vocabSize} tokens on the training split in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else throw new Error("give --tokenizer <path> or --train-tokenizer <vocabulary size>");
  await tokenizer.save(saved);
  return tokenizer;
}

/** Options that decide the data, the model or the randomness: a resumed run must repeat them. */
const RUN_DEFINING = ["corpus", "tokenizer", "trainTokenizer", "tokenizerType", "preset", "objective", "packing", "batch", "seqLen", "accum", "dropout", "seed", "heldOutEvery", "validWikitext", "evalBatches"] as const;

/** "mixed" is GLM-10B's mixture of token, sentence and document blanks (GLM.md §4.2). */
function resolveObjective(name: string, hasDBlock: boolean): Partial<ObjectiveSettings> {
  const presets = objectivePresets as Record<string, ObjectiveSettings>;
  const preset = name === "mixed" ? presets["glm-10b-multitask"] : presets[name];
  if (!preset) throw new Error(`unknown --objective "${name}"; use mixed or one of: ${Object.keys(presets).join(", ")}`);
  // [dBLOCK] replacement needs a tokenizer with that token; without it the mixture keeps the rest.
  return hasDBlock ? preset : { ...preset, blockMaskProb: 0 };
}

function progressCallbacks(o: PretrainOptions, log: (l: string) => void) {
  const fmt = (r: TrainRow) =>
    `loss ${r.loss.toFixed(4)} lr ${r.lr.toExponential(2)} gnorm ${r.grad_norm.toFixed(2)} ` +
    `${r.tokens_per_s.toFixed(0)} tok/s MFU ${(100 * r.mfu).toFixed(1)}% tensors ${r.num_tensors} ${(r.memory_bytes / 2 ** 20).toFixed(0)} MiB`;
  const bar = process.stderr.isTTY ? new SingleBar({ format: "{bar} {value}/{total} {info}", hideCursor: true }, Presets.shades_classic) : undefined;
  let started = false;
  return {
    onStep: (r: TrainRow) => {
      if (bar) {
        if (!started) bar.start(o.steps, r.step - 1, { info: "" });
        started = true;
        bar.update(r.step, { info: fmt(r) });
      } else if (r.step % o.logEvery === 0) log(`step ${r.step}/${o.steps} ${fmt(r)}${r.skipped ? " (skipped)" : ""}`);
    },
    onEval: (r: EvalRow) => log(`${bar ? "\n" : ""}eval ${r.split} @ ${r.step}: ${evalLine(r)}`),
    onMessage: (m: string) => log(m),
  };
}

function evalLine(r: EvalRow): string {
  const base = r.unigram_loss !== undefined ? `, unigram ${r.unigram_loss.toFixed(3)}` : "";
  return `loss ${r.loss.toFixed(3)} ppl ${r.perplexity.toFixed(1)} blank acc ${(100 * r.accuracy).toFixed(1)}% over ${r.tokens} tokens${base}`;
}

async function writeSummary(out: string, o: PretrainOptions, result: TrainResult, rows: readonly MetricsRow[], log: (l: string) => void) {
  const summary = summarizeRun(rows, result.step);
  await writeFile(join(out, "summary.json"), JSON.stringify({ ...summary, reason: result.reason, best: result.best, command: o }, null, 2) + "\n");
  log(`final @ step ${result.step} (train loss, mean of the last ${summary.window} steps: ${summary.trainLoss.toFixed(3)}; median ${summary.medianTokensPerS.toFixed(0)} tokens/s):`);
  for (const r of summary.final) log(`  ${r.split}: ${evalLine(r)}`);
  log(`run folder: ${out} (metrics.jsonl, loss.svg, checkpoints/, model/, summary.json)`);
}

function count(docs: Int32Array[]): number {
  return docs.reduce((s, d) => s + d.length, 0);
}

