// The flags of `glm finetune cloze|seq2seq` and the library options they set.
import { CLOZE_FINETUNE_DEFAULTS, CLOZE_PRESETS, SEQ2SEQ_FINETUNE_DEFAULTS, SEQ2SEQ_PRESETS } from "@glmjs/tasks";
import { InvalidArgumentError, Option, type Command } from "commander";
import { intFlag, numFlag, positiveFlag } from "../flags.js";
import { addModelOptions, type ModelFlags } from "../commands/model-flags.js";
import type { ClozeFlags } from "../task-data/cloze-data.js";
import type { Seq2seqFlags } from "../task-data/seq2seq-data.js";

export interface FinetuneFlags extends ModelFlags {
  out: string;
  steps?: number;
  epochs?: number;
  batch?: number;
  accum: number;
  lr?: number;
  warmup?: number;
  weightDecay?: number;
  clip: number;
  dropout: number;
  seed: number;
  evalEvery?: number;
  evalLimit?: number;
  checkpointEvery?: number;
  resume: boolean;
  deterministic: boolean;
  timeBudget?: number;
  logEvery: number;
}

export type ClozeFinetuneFlags = FinetuneFlags & ClozeFlags;
export type Seq2seqFinetuneFlags = FinetuneFlags & Seq2seqFlags & { labelSmoothing: number };

/** Library option paths (resolveRun → Trainer options, task options) → the flags that set them. */
export const FINETUNE_FLAGS: Readonly<Record<string, string>> = {
  steps: "--steps",
  accumulation: "--accum",
  clipNorm: "--clip",
  seed: "--seed",
  evalEvery: "--eval-every",
  checkpointEvery: "--checkpoint-every",
  "schedule.peakLr": "--lr",
  "schedule.warmupFraction": "--warmup",
  "optimizer.weightDecay": "--weight-decay",
  batchSize: "--batch",
  labelSmoothing: "--label-smoothing",
  task: "the task (glm finetune cloze|seq2seq)",
  maxLength: "--max-length",
  sourceLength: "--source-length",
  targetLength: "--target-length",
};

function dropoutFlag(value: string): number {
  const p = numFlag(value);
  if (!(p >= 0 && p < 1)) throw new InvalidArgumentError("expected a number from 0 up to (not including) 1");
  return p;
}

/** Flags common to both tasks (after the task's own). */
function addRunOptions(command: Command, defaults: { lr: string; batch: number; warmup: number; weightDecay: number }): Command {
  addModelOptions(command);
  return command
    .requiredOption("--out <dir>", "run folder: metrics.jsonl, loss.svg, checkpoints/, summary.json, model/ (weights, config, tokenizer, task.json)")
    .option("--steps <n>", "optimizer steps (default: --epochs passes over the training data)", intFlag(1))
    .option("--epochs <n>", "passes over the training data when --steps is not given [default: 3]", positiveFlag)
    .option("--batch <n>", `examples per micro-batch [default: ${defaults.batch}]`, intFlag(1))
    .option("--accum <n>", "micro-batches per optimizer step", intFlag(1), 1)
    .option("--lr <lr>", `peak learning rate [default: ${defaults.lr}]`, positiveFlag)
    .option("--warmup <fraction>", `linear warm-up as a fraction of the steps, then linear decay to 10 % [default: ${defaults.warmup}]`, numFlag)
    .option("--weight-decay <wd>", `AdamW weight decay (not on biases and LayerNorm) [default: ${defaults.weightDecay}]`, numFlag)
    .option("--clip <norm>", "global gradient-norm limit (0: off)", numFlag, 1)
    .option(
      "--dropout <p>",
      "dropout while training (embeddings, attention, outputs), seeded per step so --resume stays exact (the original: 0.1)",
      dropoutFlag,
      0.1,
    )
    .option("--seed <n>", "seed of the data order and dropout", intFlag(0, 2 ** 32 - 1), 1234)
    .option("--eval-every <n>", "evaluate the held-out set every n steps (0: only at the end) [default: once per epoch]", intFlag(0))
    .option("--eval-limit <n>", "score only the first n held-out examples at each evaluation", intFlag(1))
    .option("--checkpoint-every <n>", "checkpoint every n steps [default: as --eval-every]", intFlag(0))
    .option("--resume", "continue the run in --out from its latest checkpoint (same flags as the first run)", false)
    .option("--no-deterministic", "on webgpu: use tfjs's atomics-based kernels (--resume is then no longer exact)")
    .option("--time-budget <minutes>", "stop (with a checkpoint and a final evaluation) after this wall-clock time", positiveFlag)
    .option("--log-every <n>", "print a line every n steps when not on a terminal", intFlag(1), 1)
    .option("--skip-invalid", "skip malformed data lines (reported) instead of stopping at the first");
}

export function defineClozeFinetune(command: Command): Command {
  command
    .description("fine-tune a GLM for classification as a cloze question (PET-style: a pattern with one [MASK] and label words)")
    .option(
      "--data <path>",
      "a preset's folder (e.g. ../shared/data/sentence_polarity), a folder with train.tsv/dev.tsv (or .jsonl), or a training TSV/JSONL file",
    )
    .option("--dev <file>", "held-out TSV/JSONL file (when --data is a file)")
    .option("--preset <name>", `${Object.keys(CLOZE_PRESETS).join(", ")} (pattern, label words and files)`)
    .option("--pattern <template>", 'the cloze pattern: {field} is a text field of the example, [MASK] the blank, e.g. "{sentence} It was [MASK]."')
    .option("--labels <pairs>", 'label words: "0=terrible,1=great" (label value = answer) or a JSON object')
    .option("--label-field <name>", "the field holding the label [default: label]")
    .option("--max-length <n>", "longest input in tokens (special tokens and answer included) [default: 128 for presets, else 256]", intFlag(8));
  return addRunOptions(command, {
    lr: String(CLOZE_FINETUNE_DEFAULTS.lr),
    batch: CLOZE_FINETUNE_DEFAULTS.batchSize,
    warmup: CLOZE_FINETUNE_DEFAULTS.warmupFraction,
    weightDecay: CLOZE_FINETUNE_DEFAULTS.weightDecay,
  });
}

export function defineSeq2seqFinetune(command: Command): Command {
  command
    .description("fine-tune a GLM to write a target from a source (summaries, questions, data-to-text): source + [MASK] → target")
    .option(
      "--data <path>",
      "a preset's folder (e.g. ../shared/data/scitldr), a folder of train.source/train.target (+ dev.*) or train/dev .jsonl/.tsv files, or one .jsonl/.tsv file",
    )
    .option("--dev <file>", "held-out .jsonl/.tsv (or .source with its .target) file, when --data is a file")
    .option("--preset <name>", `${Object.keys(SEQ2SEQ_PRESETS).join(", ")} (layout, lengths, learning rate, decoding, files)`)
    .addOption(
      new Option("--format <layout>", "the original's input layout [default: the preset's, else custom]").choices(["summary", "question-generation", "custom"]),
    )
    .option("--source-length <n>", "Part A length in tokens [default: the preset's, else 256]", intFlag(2))
    .option("--target-length <n>", "target tokens (+ eop) [default: the preset's, else 64]", intFlag(2))
    .addOption(new Option("--mask <token>", "the blank: MASK, or sMASK for models pretrained with task masks").choices(["MASK", "sMASK"]))
    .option("--source-field <name>", "source field of a .jsonl/.tsv file [default: source]")
    .option("--target-field <name>", "target field of a .jsonl/.tsv file [default: target]")
    .option("--label-smoothing <e>", "label smoothing of the target cross-entropy (the original: 0.1)", numFlag, 0.1);
  return addRunOptions(command, {
    lr: `${SEQ2SEQ_FINETUNE_DEFAULTS.lr}, or the preset's`,
    batch: SEQ2SEQ_FINETUNE_DEFAULTS.batchSize,
    warmup: SEQ2SEQ_FINETUNE_DEFAULTS.warmupFraction,
    weightDecay: SEQ2SEQ_FINETUNE_DEFAULTS.weightDecay,
  });
}
