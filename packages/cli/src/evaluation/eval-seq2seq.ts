// `glm eval seq2seq`: generate an output for every held-out source (the preset's beam search by
// default, any decoding by flags) and score it: ROUGE-1/2/L F1 (rouge_score with stemming, as
// the original's evaluation), BLEU-4 for question generation and data-to-text, the target
// cross-entropy and token accuracy; --baselines adds the lead sentence (summaries).
import { GlmjsError } from "@glmjs/common";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type CorpusRouge, Seq2seqTask, corpusBleu, parseJsonl, evaluateSeq2seq, generateSeq2seq, rougeScores } from "@glmjs/tasks";
import { type DecodingFlags, decodingOptions, inDecodingFlagTerms } from "../commands/decoding-flags.js";
import { checkLength } from "../finetune/run-finetune.js";
import { readModelConfig } from "../run/model-arg.js";
import { taskProgress } from "../run/task-progress.js";
import { type Seq2seqFlags, readSeq2seqData, seq2seqTaskFromFlags } from "../task-data/seq2seq-data.js";
import { readTaskRecord } from "../task-data/task-record.js";
import { type EvalFlags, limited, log, modelOf, printResult, table } from "./common.js";
import { leadSentence } from "./lead-sentence.js";

export interface EvalSeq2seqFlags extends EvalFlags, Seq2seqFlags, DecodingFlags {
  split: "dev" | "train";
  baselines?: boolean;
  predictions?: string;
}

interface Scores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
  bleu4?: number;
}

/** Mean F1 × 100 per ROUGE type (what GLM's evaluation reports), BLEU-4 × 100 when asked. */
function scores(predictions: string[], references: (readonly string[])[], bleu: boolean): Scores {
  const r: CorpusRouge = rougeScores(predictions, references, { types: ["rouge1", "rouge2", "rougeL", "rougeLsum"], useStemmer: true });
  const f = (t: "rouge1" | "rouge2" | "rougeL" | "rougeLsum") => 100 * r.scores[t]!.fmeasure;
  return {
    rouge1: f("rouge1"),
    rouge2: f("rouge2"),
    rougeL: f("rougeL"),
    rougeLsum: f("rougeLsum"),
    ...(bleu ? { bleu4: 100 * corpusBleu(predictions, references).bleu } : {}),
  };
}

export async function evalSeq2seq(f: EvalSeq2seqFlags): Promise<number> {
  const { source, load } = await modelOf(f);
  const record = await readTaskRecord(source);
  const choice = seq2seqTaskFromFlags(f, record?.kind === "seq2seq" ? record : undefined);
  const decoding = decodingOptions(f, choice.decoding);
  const config = await readModelConfig(source);
  checkLength(config, "--source-length", choice.task.sourceLength);
  checkLength(config, "--target-length", choice.task.targetLength);
  const data = await readSeq2seqData(f, choice.presetName, "dev");
  const evaluated = f.split === "train" ? data.train : data.dev;
  if (!evaluated) throw new GlmjsError("DATASET_INVALID", `--data ${f.data}: no ${f.split} split to evaluate`);
  const examples = limited(evaluated.examples, f.limit);
  const references = examples.map((e) => e.references ?? (e.target !== undefined ? [e.target] : []));
  const missing = references.findIndex((r) => r.length === 0);
  if (missing >= 0) throw new GlmjsError("EXAMPLE_INVALID", `${evaluated.name}: example ${missing + 1} has no target to score against`);
  const bleu = choice.task.format !== "summary";

  const loaded = await load();
  const task = new Seq2seqTask(loaded.tokenizer, choice.task);
  const describe = Object.entries(decoding)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
  log(
    `task: ${task.format} layout (source ${task.sourceLength}, target ${task.targetLength} tokens) on ${examples.length} examples of ${evaluated.name}; decoding: ${describe}`,
  );
  const progress = taskProgress("generating", f.progress !== false);
  let predictions: string[];
  try {
    predictions = await generateSeq2seq(loaded.model, loaded.tokenizer, task, examples, {
      ...decoding,
      batchSize: f.batchSize ?? 8,
      onProgress: (done, total) => progress.update(done, total),
    });
  } catch (e) {
    throw inDecodingFlagTerms(e);
  } finally {
    progress.stop();
  }
  const teacherForced = await evaluateSeq2seq(
    loaded.model,
    task,
    examples.map((e, i) => ({ ...e, target: e.target ?? references[i]![0]! })),
    { batchSize: f.batchSize ?? 8 },
  );
  loaded.dispose();
  if (f.predictions) {
    await writeFile(
      f.predictions,
      examples.map((e, i) => JSON.stringify({ source: e.source, prediction: predictions[i], references: references[i] })).join("\n") + "\n",
    );
    log(`predictions: ${f.predictions}`);
  }
  const model = scores(predictions, references, bleu);
  const firstSentences = f.baselines ? await scitldrFirstSentences(f, choice.presetName) : undefined;
  const lead = f.baselines
    ? scores(
        examples.map((e) => firstSentences?.get(e.source) ?? leadSentence(e.source)),
        references,
        bleu,
      )
    : undefined;
  if (f.baselines && task.format !== "summary")
    log("note: the lead-sentence baseline is meant for summaries; for other layouts it is the source's first sentence all the same");

  const json = {
    task: "seq2seq",
    model: loaded.description,
    data: evaluated.name,
    ...(choice.presetName ? { preset: choice.presetName } : {}),
    format: task.format,
    examples: examples.length,
    decoding,
    ...model,
    loss: teacherForced.loss,
    perplexity: teacherForced.perplexity,
    tokenAccuracy: teacherForced.accuracy,
    ...(lead ? { baselines: { leadSentence: lead } } : {}),
  };
  const header = ["", "ROUGE-1", "ROUGE-2", "ROUGE-L", ...(bleu ? ["BLEU-4"] : [])];
  const row = (name: string, s: Scores) => [name, s.rouge1.toFixed(2), s.rouge2.toFixed(2), s.rougeL.toFixed(2), ...(bleu ? [s.bleu4!.toFixed(2)] : [])];
  printResult(f, json, [
    `seq2seq: ${examples.length} examples of ${evaluated.name} (F1 × 100, rouge_score with stemming${bleu ? "; BLEU-4 with 13a tokens" : ""})`,
    ...table([header, row("model", model), ...(lead ? [row("lead sentence", lead)] : [])]),
    `target loss ${teacherForced.loss.toFixed(4)} (ppl ${teacherForced.perplexity.toFixed(2)}), token accuracy ${(100 * teacherForced.accuracy).toFixed(2)}% (teacher-forced)`,
  ]);
  return 0;
}

/**
 * SciTLDR gives each abstract as a list of sentences: its lead sentence is the first of them,
 * keyed by the joined source the preset reader builds (undefined for other data).
 */
async function scitldrFirstSentences(f: EvalSeq2seqFlags, presetName: string | undefined): Promise<Map<string, string> | undefined> {
  if (presetName !== "scitldr" || f.data === undefined) return undefined;
  const text = await readFile(join(resolve(f.data), f.split === "train" ? "train.jsonl" : "dev.jsonl"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const map = new Map<string, string>();
  for (const row of parseJsonl(text, { skipInvalid: true }).rows) {
    const sentences = row["source"];
    if (Array.isArray(sentences) && sentences.length > 0 && sentences.every((x) => typeof x === "string")) {
      map.set((sentences as string[]).map((x) => x.trim()).join(" "), (sentences[0] as string).trim());
    }
  }
  return map;
}
