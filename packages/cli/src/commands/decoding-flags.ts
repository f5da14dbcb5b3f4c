// The decoding flags shared by `glm fill`, `glm generate` and `glm eval seq2seq`, and their
// translation into @glmjs/tasks' DecodingOptions. Flags that would do nothing with the chosen
// strategy are refused before any work, naming both flags.
import { GlmjsError } from "@glmjs/common";
import type { DecodingOptions, DecodingStrategy } from "@glmjs/tasks";
import { type Command, InvalidArgumentError, Option } from "commander";
import { intFlag, numFlag, positiveFlag } from "../flags.js";

export interface DecodingFlags {
  strategy?: DecodingStrategy;
  maxNewTokens?: number;
  minNewTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  numBeams?: number;
  lengthPenalty?: number;
  /** commander's name for --no-repeat-ngram (a "no-" flag): `true` when absent. */
  repeatNgram?: number | boolean;
  repetitionPenalty?: number;
}

/** Library option names → the flags that set them (for errors in flag terms). */
export const DECODING_FLAGS: Readonly<Record<string, string>> = {
  strategy: "--strategy",
  maxNewTokens: "--max-new-tokens",
  minNewTokens: "--min-new-tokens",
  minLength: "--min-new-tokens",
  temperature: "--temperature",
  topK: "--top-k",
  topP: "--top-p",
  seed: "--seed",
  numBeams: "--num-beams",
  lengthPenalty: "--length-penalty",
  noRepeatNgramSize: "--no-repeat-ngram",
  repetitionPenalty: "--repetition-penalty",
};

function probability(value: string): number {
  const n = numFlag(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

/** Adds the decoding flags; `defaults` says what the command does without them (for the help). */
export function addDecodingOptions(command: Command, defaults: { strategy: string; maxNewTokens: string }): Command {
  return command
    .addOption(
      new Option("--strategy <name>", `greedy, sample (seeded) or beam (the original's beam search) [default: ${defaults.strategy}]`).choices([
        "greedy",
        "sample",
        "beam",
      ]),
    )
    .option("--max-new-tokens <n>", `most tokens generated per blank [default: ${defaults.maxNewTokens}]`, intFlag(1))
    .option("--min-new-tokens <n>", "fewest tokens per blank before it may end", intFlag(0))
    .option("--temperature <t>", "sampling: divide the logits by t", positiveFlag)
    .option("--top-k <k>", "sampling / beam: keep the k most probable tokens", intFlag(0))
    .option("--top-p <p>", "sampling / beam: keep the smallest set of tokens whose probability exceeds p", probability)
    .option("--seed <n>", "sampling: the same seed gives the same text on every backend (several texts: text i uses seed + i)", intFlag(0, 2 ** 32 - 1))
    .option("--num-beams <n>", "beam search: beams", intFlag(1))
    .option("--length-penalty <x>", "beam search: hypothesis score = log-probability / length^x", numFlag)
    .option("--no-repeat-ngram <n>", "never repeat an n-gram of the generated tokens", intFlag(0))
    .option("--repetition-penalty <x>", "CTRL-style penalty (> 1 discourages) on tokens of the context and of the output", positiveFlag);
}

/**
 * DecodingOptions from the flags over `base` (a preset's decoding, or nothing). Refuses flags the
 * strategy does not use (`--temperature` without `--strategy sample`, …).
 */
export function decodingOptions(f: DecodingFlags, base: DecodingOptions = {}): DecodingOptions {
  const strategy: DecodingStrategy = f.strategy ?? base.strategy ?? "greedy";
  const noRepeat = typeof f.repeatNgram === "number" ? f.repeatNgram : undefined;
  const only = (flag: string, given: boolean, allowed: DecodingStrategy[]) => {
    if (given && !allowed.includes(strategy)) {
      throw new GlmjsError("OPTION_INVALID", `${flag} does nothing with --strategy ${strategy}; use it with --strategy ${allowed.join(" or ")}`);
    }
  };
  only("--temperature", f.temperature !== undefined, ["sample"]);
  only("--seed", f.seed !== undefined, ["sample"]);
  only("--top-k", f.topK !== undefined, ["sample", "beam"]);
  only("--top-p", f.topP !== undefined, ["sample", "beam"]);
  only("--num-beams", f.numBeams !== undefined, ["beam"]);
  only("--length-penalty", f.lengthPenalty !== undefined, ["beam"]);
  if (f.minNewTokens !== undefined && f.maxNewTokens !== undefined && f.minNewTokens > f.maxNewTokens) {
    throw new GlmjsError("OPTION_INVALID", `--min-new-tokens (${f.minNewTokens}) exceeds --max-new-tokens (${f.maxNewTokens})`);
  }
  // A preset's beam settings do not carry over to another strategy.
  const inherited: DecodingOptions =
    base.strategy === undefined || base.strategy === strategy
      ? base
      : { maxNewTokens: base.maxNewTokens, minNewTokens: base.minNewTokens, noRepeatNgramSize: base.noRepeatNgramSize };
  const out: DecodingOptions = { ...inherited, strategy };
  const set = <K extends keyof DecodingOptions>(key: K, value: DecodingOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set("maxNewTokens", f.maxNewTokens);
  set("minNewTokens", f.minNewTokens);
  set("temperature", f.temperature);
  set("topK", f.topK);
  set("topP", f.topP);
  set("seed", f.seed);
  set("numBeams", f.numBeams);
  set("lengthPenalty", f.lengthPenalty);
  set("noRepeatNgramSize", noRepeat);
  set("repetitionPenalty", f.repetitionPenalty);
  // A preset's minimum yields to a smaller --max-new-tokens (a given --min-new-tokens was checked above).
  if (f.minNewTokens === undefined && out.minNewTokens !== undefined && out.maxNewTokens !== undefined && out.minNewTokens > out.maxNewTokens)
    out.minNewTokens = out.maxNewTokens;
  for (const k of Object.keys(out) as (keyof DecodingOptions)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** A decoding error of @glmjs/tasks ("fillBatch: topK must be …") in the terms of the flags. */
export function inDecodingFlagTerms(e: unknown): unknown {
  // Every error of @glmjs/tasks carries a code; anything else is not a decoding option's.
  if (!GlmjsError.is(e)) return e;
  let message = e.message.replace(/^(?:fill\w*|generate|infill\w*|streamInfillIds|prepareInfill): /, "");
  const names = Object.keys(DECODING_FLAGS)
    .filter((k) => /[A-Z]/.test(k))
    .sort((a, b) => b.length - a.length);
  let changed = message !== e.message;
  for (const name of names) {
    const re = new RegExp(`\\b${name}\\b`, "g");
    if (re.test(message)) {
      message = message.replace(re, DECODING_FLAGS[name]!);
      changed = true;
    }
  }
  return changed ? new GlmjsError(e.code, message, { cause: e }) : e;
}
