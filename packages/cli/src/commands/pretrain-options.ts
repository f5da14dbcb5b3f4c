// The flags of `glm pretrain` and the library options they set (for errors in flag terms).
import { availableParallelism } from "node:os";
import { objectiveNames } from "@glmjs/data";
import { DEFAULT_TRAINER_OPTIONS, GLM_ADAMW, GLM_PRETRAIN_SCHEDULE } from "@glmjs/train";
import { Option, type Command } from "commander";
import { intFlag, numFlag, positiveFlag } from "../flags.js";

export interface PretrainOptions {
  corpus: string[];
  tokenizer?: string;
  trainTokenizer?: number;
  tokenizerType: "wordpiece" | "bpe";
  preset: string;
  objective: string;
  packing: "block" | "sequential";
  keepPunctuation: boolean;
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
  verbose?: boolean;
}

/** Library option paths (preparePretraining, Trainer) → the flags that set them. */
export const FLAGS: Readonly<Record<string, string>> = {
  model: "--preset",
  objective: "--objective",
  packing: "--packing",
  batchSize: "--batch",
  seqLength: "--seq-len",
  seed: "--seed",
  dropout: "--dropout",
  evalBatches: "--eval-batches",
  "heldOut.every": "--held-out-every",
  steps: "--steps",
  accumulation: "--accum",
  clipNorm: "--clip",
  evalEvery: "--eval-every",
  checkpointEvery: "--checkpoint-every",
  nanPolicy: "--nan-policy",
  "schedule.peakLr": "--lr",
  "schedule.warmupFraction": "--warmup",
  "schedule.decayRatio": "--decay-ratio",
  "schedule.decaySteps": "--decay-steps",
  "schedule.style": "--decay",
  "optimizer.weightDecay": "--weight-decay",
};

/** Adds the command's description and options to `command`. */
export function definePretrainOptions(command: Command): Command {
  return command
    .description("pretrain a GLM from scratch on text with the blank-infilling objective (resumable)")
    .requiredOption("--corpus <paths...>", "text files, folders or globs (blank lines separate documents)")
    .option("--tokenizer <path>", "tokenizer file or folder (tokenizer.json, vocab.txt, ...)")
    .option("--train-tokenizer <vocab>", "train a tokenizer of this vocabulary size on the training split", intFlag(1))
    .addOption(new Option("--tokenizer-type <type>", "kind of tokenizer --train-tokenizer learns").choices(["wordpiece", "bpe"]).default("wordpiece"))
    .option("--preset <name>", "model shape (tiny, small, base, glm-base, ...)", "small")
    .option("--objective <name>", `${objectiveNames().slice(0, 4).join(", ")} (token+sentence+document), or a data preset`, "mixed")
    .addOption(
      new Option(
        "--packing <kind>",
        "block: the original's BlockDataset (documents drawn in proportion to their length, windows start after a sentence end); sequential: shuffled documents back to back",
      )
        .choices(["block", "sequential"])
        .default("block"),
    )
    .option(
      "--keep-punctuation",
      "do not standardise English punctuation (curly quotes, en dash) as the original's preprocessing does; for Chinese text",
      false,
    )
    .requiredOption("--steps <n>", "optimizer steps (with --resume: continue up to this step)", intFlag(1))
    .option("--batch <n>", "samples per micro-batch", intFlag(1), 8)
    .option("--seq-len <n>", "raw sample length in tokens, at most the preset's positions (rows grow by Part B)", intFlag(1), 256)
    .option("--accum <n>", "micro-batches per optimizer step", intFlag(1), 1)
    .option("--lr <lr>", "peak learning rate", numFlag, GLM_PRETRAIN_SCHEDULE.peakLr)
    .option("--warmup <fraction>", "warm-up as a fraction of the decay steps", numFlag, GLM_PRETRAIN_SCHEDULE.warmupFraction)
    .addOption(new Option("--decay <style>", "learning-rate decay").choices(["cosine", "linear"]).default("cosine"))
    .option("--decay-ratio <r>", "final learning rate as a fraction of the peak", numFlag, GLM_PRETRAIN_SCHEDULE.decayRatio)
    .option("--decay-steps <n>", "steps of the decay (default: --steps of the first run)", intFlag(1))
    .option("--weight-decay <wd>", "AdamW weight decay (not on biases and LayerNorm)", numFlag, GLM_ADAMW.weightDecay)
    .option("--clip <norm>", "global gradient-norm limit (0: off)", numFlag, DEFAULT_TRAINER_OPTIONS.clipNorm)
    .option("--dropout <p>", "dropout probability (0: off; the original used 0.1)", numFlag, 0)
    .option("--seed <n>", "seed of initialisation, data order, masking and dropout", intFlag(0, 2 ** 32 - 1), DEFAULT_TRAINER_OPTIONS.seed)
    .requiredOption("--out <dir>", "run folder: metrics.jsonl, loss.svg, checkpoints/, tokenizer.json, model/")
    .option("--resume", "continue the run in --out from its latest checkpoint (a folder without one starts afresh)", false)
    .option("--backend <name>", "tfjs backend (auto, wasm, cpu, webgpu, ...)", "auto")
    .option(
      "--threads <n>",
      "wasm backend threads in Node (default: the free cores, or GLMJS_WASM_THREADS; 1 = single-threaded build)",
      intFlag(1, Math.max(64, availableParallelism())),
    )
    .option("--no-deterministic", "on webgpu: use tfjs's atomics-based kernels (runs then differ in the last bits, and --resume is no longer exact)")
    .option("--eval-every <n>", "evaluate the held-out sets every n steps (0: only at the end)", intFlag(0), DEFAULT_TRAINER_OPTIONS.evalEvery)
    .option("--eval-batches <n>", "batches per held-out set (0: no held-out evaluation)", intFlag(0), 8)
    .option("--checkpoint-every <n>", "checkpoint every n steps", intFlag(0), DEFAULT_TRAINER_OPTIONS.checkpointEvery)
    .option("--held-out-every <n>", "hold out every n-th run of 10 corpus documents for validation", intFlag(2), 20)
    .option("--valid-wikitext <file>", "also evaluate on a WikiText file (e.g. wikitext2/valid.txt)")
    .option("--time-budget <minutes>", "stop (with a checkpoint and a final evaluation) after this wall-clock time", positiveFlag)
    .addOption(new Option("--nan-policy <policy>", "on NaN/Inf loss or gradients").choices(["skip", "stop"]).default("skip"))
    .option("--log-every <n>", "print a line every n steps when not on a terminal", intFlag(1), 1)
    .option("--verbose", "also show native libraries' warnings (Dawn, Mesa) and tfjs's notices");
}
