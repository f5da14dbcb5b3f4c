// The flags of `glm quickstart`. The defaults were chosen by measuring what a few minutes on two
// CPU cores learn (the README's quickstart section has what a run printed): the tiny preset learns
// more per second than larger ones; short samples of 64 tokens in batches of 16 give the most
// optimizer steps for the time; 4e-3 is the best peak learning rate of those tried (2e-3, 4e-3, 1e-2),
// and a vocabulary of 3,000 or 1,000 learnt no faster than 8,000.
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { intFlag, numFlag, positiveFlag } from "../flags.js";

export interface QuickstartOptions {
  minutes: number;
  steps?: number;
  corpus?: string[];
  out: string;
  preset: string;
  objective: string;
  vocab: number;
  batch: number;
  seqLen: number;
  lr: number;
  seed: number;
  examples: number;
  backend: string;
  threads?: number;
  verbose?: boolean;
}

/** Library option paths (preparePretraining, Trainer) → the flags that set them. */
export const QUICKSTART_FLAGS: Readonly<Record<string, string>> = {
  model: "--preset",
  objective: "--objective",
  batchSize: "--batch",
  seqLength: "--seq-len",
  seed: "--seed",
  "schedule.peakLr": "--lr",
};

export const QUICKSTART_DEFAULTS = {
  minutes: 4,
  out: "runs/quickstart",
  preset: "tiny",
  objective: "mixed",
  vocab: 8000,
  batch: 16,
  seqLen: 64,
  lr: 4e-3,
  seed: 1234,
  examples: 5,
} as const;

export function defineQuickstartOptions(command: Command): Command {
  const d = QUICKSTART_DEFAULTS;
  return command
    .description("train a tokenizer and a small GLM on real English text for a few minutes, then fill blanks in held-out sentences")
    .option("--minutes <m>", "training time (tokenizer training and the final evaluation add about half a minute)", positiveFlag, d.minutes)
    .option("--steps <n>", "train exactly this many steps instead, however long they take (the same run on every machine)", intFlag(1))
    .option("--corpus <paths...>", "train on these text files, folders or globs instead of the Brown corpus (blank lines separate documents)")
    .option("--out <dir>", "run folder (an earlier quickstart run there is replaced)", d.out)
    .option("--preset <name>", "model shape (tiny: 2 layers × 128, small: 6 × 256, ...)", d.preset)
    .option("--objective <name>", "mixed (GLM's words, sentences and document ends to fill), token, sentence, document, or a @glmjs/data preset", d.objective)
    .option("--vocab <n>", "vocabulary size of the WordPiece tokenizer trained on the training split", intFlag(100), d.vocab)
    .option("--batch <n>", "samples per step", intFlag(1), d.batch)
    .option("--seq-len <n>", "sample length in tokens", intFlag(1), d.seqLen)
    .option("--lr <lr>", "peak learning rate (warm-up, then cosine decay over the steps the time allows)", numFlag, d.lr)
    .option("--seed <n>", "seed of initialisation, data order, masking and the sentences shown", intFlag(0, 2 ** 32 - 1), d.seed)
    .option("--examples <n>", "held-out sentences to fill and show", intFlag(0, 100), d.examples)
    .option("--backend <name>", "tfjs backend (auto: the fastest available here; see glm backends)", "auto")
    .option(
      "--threads <n>",
      "wasm backend threads in Node (more than 1 helps on an idle machine with free cores)",
      intFlag(1, Math.max(64, availableParallelism())),
    )
    .option("--verbose", "also show native libraries' warnings and tfjs's notices");
}
