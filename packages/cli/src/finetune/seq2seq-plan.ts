// `glm finetune seq2seq`: the seq2seq task (preset or layout + lengths), its examples and
// @glmjs/tasks' createSeq2seqTrainer (label smoothing, seeded dropout).
import { GlmjsError } from "@glmjs/common";
import { resolve } from "node:path";
import { SEQ2SEQ_FINETUNE_DEFAULTS, SEQ2SEQ_PRESETS, Seq2seqTask, createSeq2seqTrainer } from "@glmjs/tasks";
import type { EvalRow } from "@glmjs/train";
import { type Seq2seqFlags, readSeq2seqData, seq2seqTaskFromFlags, seq2seqTaskRecord } from "../task-data/seq2seq-data.js";
import type { FinetunePlan } from "./run-finetune.js";
import { checkLength } from "./run-finetune.js";

export function seq2seqEvalLine(r: EvalRow): string {
  return `loss ${r.loss.toFixed(4)} ppl ${r.perplexity.toFixed(2)} token accuracy ${(100 * r.accuracy).toFixed(2)}% over ${r.tokens} target tokens`;
}

export function seq2seqPlan(f: Seq2seqFlags & { evalLimit?: number; labelSmoothing: number; model: string }): FinetunePlan {
  const { task: taskOptions, presetName, decoding } = seq2seqTaskFromFlags(f);
  const defaults = presetName
    ? { ...SEQ2SEQ_FINETUNE_DEFAULTS, lr: SEQ2SEQ_PRESETS[presetName as keyof typeof SEQ2SEQ_PRESETS].lr }
    : SEQ2SEQ_FINETUNE_DEFAULTS;
  if (!(f.labelSmoothing >= 0 && f.labelSmoothing < 1))
    throw new GlmjsError("OPTION_INVALID", `--label-smoothing must be at least 0 and below 1, got ${f.labelSmoothing}`);
  return {
    kind: "seq2seq",
    defaults,
    defining: {
      data: f.data !== undefined ? resolve(f.data) : null,
      dev: f.dev !== undefined ? resolve(f.dev) : null,
      preset: presetName ?? null,
      format: taskOptions.format,
      sourceLength: taskOptions.sourceLength,
      targetLength: taskOptions.targetLength,
      mask: taskOptions.mask ?? "MASK",
      sourceField: f.sourceField ?? null,
      targetField: f.targetField ?? null,
      labelSmoothing: f.labelSmoothing,
    },
    checkSizes: (config) => {
      checkLength(config, "--source-length", taskOptions.sourceLength);
      checkLength(config, "--target-length", taskOptions.targetLength);
    },
    evalLine: seq2seqEvalLine,
    async prepare(loaded, run, log) {
      const data = await readSeq2seqData(f, presetName, "train");
      if (!data.train)
        throw new GlmjsError(
          "DATASET_INVALID",
          `--data ${f.data}: no training examples (a folder needs train.source + train.target, train.jsonl or train.tsv)`,
        );
      const task = new Seq2seqTask(loaded.tokenizer, taskOptions);
      const dev = data.dev ? data.dev.examples.slice(0, f.evalLimit ?? data.dev.examples.length) : undefined;
      log(`task: ${task.format} layout, source ${task.sourceLength} tokens, target ${task.targetLength} tokens, blank [${task.mask}]`);
      log(
        `data: ${data.train.examples.length} training examples (${data.train.name})${dev ? `, ${dev.length} held out (${data.dev!.name})` : ", no held-out set"}${data.skipped ? `; ${data.skipped} invalid lines skipped` : ""}`,
      );
      const f2 = createSeq2seqTrainer({
        ...run,
        model: loaded.model,
        tokenizer: loaded.tokenizer,
        task,
        train: data.train.examples,
        ...(dev ? { evalSets: [{ name: "dev", examples: dev }] } : {}),
        labelSmoothing: f.labelSmoothing,
        runInfo: { model: f.model },
      });
      return {
        trainer: f2.trainer,
        steps: f2.steps,
        stepsPerEpoch: f2.stepsPerEpoch,
        record: seq2seqTaskRecord(taskOptions, decoding, presetName),
        ...(dev ? { evalSplit: "dev" } : {}),
        evalHint: `glm eval seq2seq --model <out>/model --data ${f.data ?? "<data>"}${presetName ? "" : f.dev ? ` --dev ${f.dev}` : ""} --limit 100`,
      };
    },
  };
}
