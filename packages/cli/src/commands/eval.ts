// `glm eval cloze|seq2seq|lm|lambada`: evaluate a GLM (any model folder, run folder or
// checkpoint). Progress goes to stderr, results to stdout (--json: one JSON object).
import { CLOZE_PRESETS, SEQ2SEQ_PRESETS } from "@glmjs/tasks";
import { type Command, Option } from "commander";
import { intFlag } from "../flags.js";
import { type EvalClozeFlags, evalCloze } from "../evaluation/eval-cloze.js";
import { type EvalLmFlags, type LmFlags, evalLambada, evalLm } from "../evaluation/eval-lm.js";
import { type EvalSeq2seqFlags, evalSeq2seq } from "../evaluation/eval-seq2seq.js";
import { addDecodingOptions } from "./decoding-flags.js";
import { addModelOptions } from "./model-flags.js";

function common(command: Command, what: string): Command {
  addModelOptions(command);
  return command
    .option("--json", "print the result as one JSON object")
    .option("--limit <n>", `evaluate only the first n ${what}`, intFlag(1))
    .option("--batch-size <n>", "rows per forward pass", intFlag(1))
    .option("--no-progress", "no progress on stderr");
}

const splitOption = () => new Option("--split <name>", "which split of a folder to evaluate").choices(["dev", "train"]).default("dev");

export function registerEval(program: Command): void {
  const evaluate = program
    .command("eval")
    .description("evaluate a GLM: cloze (accuracy, macro-F1, baselines), seq2seq (ROUGE, BLEU), lm (perplexity), lambada (last-word accuracy)");

  const cloze = evaluate
    .command("cloze")
    .description(
      "accuracy and macro-F1 of cloze classification (zero-shot on any model, or fine-tuned), with --baselines: majority class and bag-of-words logistic regression trained on the training split",
    )
    .option(
      "--data <path>",
      "a preset's folder (e.g. ../shared/data/sentence_polarity), a folder with train/dev .tsv/.jsonl, or the TSV/JSONL file to evaluate",
    )
    .option("--train <file>", "training file for --baselines when --data is a file")
    .option("--preset <name>", `${Object.keys(CLOZE_PRESETS).join(", ")} (default: the model's task.json, written by glm finetune)`)
    .option("--pattern <template>", 'e.g. "{sentence} It was [MASK]."')
    .option("--labels <pairs>", 'e.g. "0=terrible,1=great"')
    .option("--label-field <name>", "the field holding the label [default: label]")
    .option("--max-length <n>", "longest input in tokens", intFlag(8))
    .addOption(splitOption())
    .option("--baselines", "also score the majority class and a bag-of-words logistic regression trained on the training split")
    .option("--skip-invalid", "skip malformed data lines");
  common(cloze, "examples").action(async (f: EvalClozeFlags) => {
    process.exitCode = await evalCloze(f);
  });

  const seq2seq = evaluate
    .command("seq2seq")
    .description(
      "generate outputs for held-out sources and score them: ROUGE-1/2/L (and BLEU-4 outside summaries), teacher-forced loss; --baselines: the lead sentence",
    )
    .option(
      "--data <path>",
      "a preset's folder (e.g. ../shared/data/scitldr), a folder of dev.source/dev.target or dev .jsonl/.tsv files, or the file to evaluate",
    )
    .option("--preset <name>", `${Object.keys(SEQ2SEQ_PRESETS).join(", ")} (layout, lengths, decoding; default: the model's task.json)`)
    .addOption(new Option("--format <layout>", "input layout").choices(["summary", "question-generation", "custom"]))
    .option("--source-length <n>", "Part A length in tokens", intFlag(2))
    .option("--target-length <n>", "target tokens (+ eop); also the most new tokens", intFlag(2))
    .addOption(new Option("--mask <token>", "the blank").choices(["MASK", "sMASK"]))
    .option("--source-field <name>", "source field of a .jsonl/.tsv file")
    .option("--target-field <name>", "target field of a .jsonl/.tsv file")
    .addOption(splitOption())
    .option("--baselines", "also score the lead sentence (the source's first sentence)")
    .option("--predictions <file>", "write {source, prediction, references} per example as JSON lines")
    .option("--skip-invalid", "skip malformed data lines");
  addDecodingOptions(seq2seq, {
    strategy: "the preset's beam search (scitldr: 6 beams, length penalty 1, min 10 tokens, no-repeat 3)",
    maxNewTokens: "the target length",
  });
  common(seq2seq, "examples").action(async (f: EvalSeq2seqFlags) => {
    process.exitCode = await evalSeq2seq(f);
  });

  const lmOptions = (command: Command) =>
    command
      .addOption(
        new Option("--mode <mode>", "bidirectional: the context in Part A; unidirectional: left to right")
          .choices(["bidirectional", "unidirectional"])
          .default("bidirectional"),
      )
      .addOption(new Option("--mask <token>", "the blank of Part A [default: gMASK when the tokenizer has it]").choices(["gMASK", "MASK"]))
      .option("--seq-len <n>", "longest row [default: the model's max_sequence_length]", intFlag(3));

  const lm = lmOptions(evaluate.command("lm").description("perplexity of a text file (the original's overlapping windows; per token and word-adjusted)"))
    .requiredOption("--data <file>", "a text file (e.g. ../shared/data/wikitext2/valid.txt)")
    .addOption(
      new Option("--detokenize <kind>", 'undo WikiText\'s tokenisation (" @-@ ", spaces before punctuation) first, as the original does for WikiText')
        .choices(["wikitext", "none"])
        .default("none"),
    )
    .option("--stride <n>", "tokens between window starts [default: 256, or a quarter window]", intFlag(1));
  common(lm, "lines").action(async (f: EvalLmFlags) => {
    process.exitCode = await evalLm(f);
  });

  const lambada = lmOptions(
    evaluate.command("lambada").description("LAMBADA last-word accuracy (a passage counts only if every token of its last word is the argmax)"),
  ).requiredOption("--data <path>", "the LAMBADA file (one passage per line) or its folder (e.g. ../shared/data/lambada)");
  common(lambada, "passages").action(async (f: LmFlags) => {
    process.exitCode = await evalLambada(f);
  });
}
