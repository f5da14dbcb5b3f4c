// `glm finetune cloze`: the cloze task (preset or pattern + label words), its examples and
// @glmjs/tasks' createClozeTrainer.
import { GlmjsError } from "@glmjs/common";
import { CLOZE_FINETUNE_DEFAULTS, ClozeTask, DEFAULT_CLOZE_MAX_LENGTH, createClozeTrainer } from "@glmjs/tasks";
import type { EvalRow } from "@glmjs/train";
import { resolve } from "node:path";
import { type ClozeFlags, clozeTaskFromFlags, clozeTaskRecord, readClozeData } from "../task-data/cloze-data.js";
import type { FinetunePlan } from "./run-finetune.js";
import { checkLength } from "./run-finetune.js";

export function clozeEvalLine(r: EvalRow): string {
  return `loss ${r.loss.toFixed(4)} accuracy ${(100 * r.accuracy).toFixed(2)}% over ${r.tokens} examples`;
}

export function clozePlan(f: ClozeFlags & { evalLimit?: number; model: string }): FinetunePlan {
  const { task: taskOptions, presetName } = clozeTaskFromFlags(f);
  const maxLength = taskOptions.maxLength ?? DEFAULT_CLOZE_MAX_LENGTH;
  return {
    kind: "cloze",
    defaults: CLOZE_FINETUNE_DEFAULTS,
    defining: {
      data: f.data !== undefined ? resolve(f.data) : null,
      dev: f.dev !== undefined ? resolve(f.dev) : null,
      preset: presetName ?? null,
      pattern: typeof taskOptions.pattern === "string" ? taskOptions.pattern : taskOptions.pattern.template,
      labels: f.labels ?? null,
      labelField: taskOptions.labelField ?? "label",
      maxLength,
    },
    checkSizes: (config) => checkLength(config, "--max-length", maxLength),
    evalLine: clozeEvalLine,
    async prepare(loaded, run, log) {
      const data = await readClozeData(f, taskOptions, presetName, "train");
      if (!data.train) throw new GlmjsError("DATASET_INVALID", `--data ${f.data}: no training examples (a folder needs train.tsv or train.jsonl)`);
      const task = new ClozeTask(loaded.tokenizer, taskOptions);
      const dev = data.dev ? data.dev.examples.slice(0, f.evalLimit ?? data.dev.examples.length) : undefined;
      log(
        `task: "${task.pattern.template}" with ${task.labels.map((l, i) => `${l}=${JSON.stringify(task.verbalizer.words[i])}`).join(", ")} (${task.mode === "single" ? "single-token head" : "multi-token answers"}, inputs up to ${task.maxLength} tokens)`,
      );
      log(
        `data: ${data.train.examples.length} training examples (${data.train.name})${dev ? `, ${dev.length} held out (${data.dev!.name})` : ", no held-out set"}${data.skipped ? `; ${data.skipped} invalid lines skipped` : ""}`,
      );
      const f2 = createClozeTrainer({
        ...run,
        model: loaded.model,
        tokenizer: loaded.tokenizer,
        task,
        train: data.train.examples,
        ...(dev ? { evalSets: [{ name: "dev", examples: dev }] } : {}),
        runInfo: { model: f.model },
      });
      return {
        trainer: f2.trainer,
        steps: f2.steps,
        stepsPerEpoch: f2.stepsPerEpoch,
        record: clozeTaskRecord(task, presetName),
        ...(dev ? { evalSplit: "dev" } : {}),
        evalHint: `glm eval cloze --model <out>/model --data ${f.data ?? "<data>"}${f.dev ? ` --dev ${f.dev}` : ""} --baselines`,
      };
    },
  };
}
