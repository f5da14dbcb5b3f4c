// BLEU's tokenisation. "13a" is the tokenizer of mteval-v13a.pl as sacrebleu implements it (its
// default, the WMT standard): symbols split off; periods and commas split unless between digits;
// a dash split after a digit.
import { GlmjsError } from "@glmjs/common";

/** "13a" (default), "whitespace" (the text is already tokenised), or your own function. */
export type BleuTokenizer = "13a" | "whitespace" | ((text: string) => string[]);

const SYMBOLS = /([{-~[-` -&(-+:-@/])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** mteval-v13a tokenisation of one segment (sacrebleu's `tokenizer_13a`). */
export function tokenize13a(text: string): string[] {
  let line = text.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (line.includes("&")) {
    line = line.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  }
  line = ` ${line} `
    .replace(SYMBOLS, " $1 ")
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, "$1 $2 ")
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, " $1 $2")
    .replace(DASH_AFTER_DIGIT, "$1 $2 ");
  return splitWhitespace(line);
}

/** Python's `str.split()`: runs of whitespace separate tokens; no empty tokens. */
export function splitWhitespace(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

export function bleuTokens(text: string, tokenizer: BleuTokenizer, lowercase: boolean): string[] {
  const t = lowercase ? text.toLowerCase() : text;
  if (typeof tokenizer === "function") return tokenizer(t);
  if (tokenizer === "13a") return tokenize13a(t);
  if (tokenizer === "whitespace") return splitWhitespace(t);
  throw new GlmjsError("OPTION_INVALID", `bleu: unknown tokenizer "${String(tokenizer)}"; use "13a", "whitespace" or a function`);
}
