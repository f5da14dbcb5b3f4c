// `glm eval cloze`: accuracy and macro-F1 of a GLM answering a cloze question (zero-shot on any
// model, or fine-tuned), against the majority class and a bag-of-words logistic regression
// trained on the training split of the same data (--baselines).
import { GlmjsError } from "@glmjs/common";
import { BagOfWordsClassifier, ClozeTask, DEFAULT_CLOZE_MAX_LENGTH, type ClozeExample, classificationReport, evaluateCloze, majorityClass } from "@glmjs/tasks";
import { type ClozeFlags, clozeTaskFromFlags, readClozeData } from "../task-data/cloze-data.js";
import { readTaskRecord } from "../task-data/task-record.js";
import { taskProgress } from "../run/task-progress.js";
import { checkLength } from "../finetune/run-finetune.js";
import { readModelConfig } from "../run/model-arg.js";
import { type EvalFlags, limited, log, modelOf, percent, printResult, table } from "./common.js";

export interface EvalClozeFlags extends EvalFlags, ClozeFlags {
  split: "dev" | "train";
  baselines?: boolean;
}

export async function evalCloze(f: EvalClozeFlags): Promise<number> {
  const { source, load } = await modelOf(f);
  const record = await readTaskRecord(source);
  const { task: taskOptions, presetName } = clozeTaskFromFlags(f, record?.kind === "cloze" ? record : undefined);
  checkLength(await readModelConfig(source), "--max-length", taskOptions.maxLength ?? DEFAULT_CLOZE_MAX_LENGTH);
  const data = await readClozeData(f, taskOptions, presetName, "dev");
  const evaluated = f.split === "train" ? data.train : data.dev;
  if (!evaluated)
    throw new GlmjsError(
      "DATASET_INVALID",
      `--data ${f.data}: no ${f.split} split to evaluate${f.split === "dev" ? " (a folder needs dev.tsv or dev.jsonl)" : ""}`,
    );
  if (f.baselines && !data.train)
    throw new GlmjsError("OPTION_INVALID", "--baselines trains on the training split: give a folder with train.tsv (or a preset folder), or --train <file>");
  const examples = limited(evaluated.examples, f.limit);

  const loaded = await load();
  const task = new ClozeTask(loaded.tokenizer, taskOptions);
  log(
    `task: "${task.pattern.template}" with ${task.labels.map((l, i) => `${l}=${JSON.stringify(task.verbalizer.words[i])}`).join(", ")} on ${examples.length} examples of ${evaluated.name}`,
  );
  const progress = taskProgress("cloze", f.progress !== false);
  const r = await evaluateCloze(loaded.model, task, examples, { batchSize: f.batchSize ?? 16, onProgress: (done, total) => progress.update(done, total) });
  progress.stop();
  loaded.dispose();
  const gold = examples.map((e) => e[task.labelField]!);
  const options = { labels: [...task.labels] };
  const model = classificationReport(
    r.predictions.map((p) => p.label),
    gold,
    options,
  );

  let baselines:
    | {
        majority: { label: string; accuracy: number; macroF1: number };
        bagOfWords: { accuracy: number; macroF1: number; features: number; trainExamples: number };
      }
    | undefined;
  if (f.baselines && data.train) {
    const train = data.train.examples;
    const trainLabels = train.map((e) => e[task.labelField]!);
    const majority = majorityClass(trainLabels);
    const m = classificationReport(
      gold.map(() => majority.label),
      gold,
      options,
    );
    const textOf = (e: ClozeExample) => task.pattern.fields.map((name) => e[name] ?? "").join(" ");
    const t0 = performance.now();
    const bow = BagOfWordsClassifier.train(train.map(textOf), trainLabels);
    log(`bag-of-words baseline: ${bow.featureCount} features from ${train.length} training examples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const b = classificationReport(
      examples.map((e) => bow.predict(textOf(e)).label),
      gold,
      options,
    );
    baselines = {
      majority: { label: majority.label, accuracy: m.accuracy, macroF1: m.macroF1 },
      bagOfWords: { accuracy: b.accuracy, macroF1: b.macroF1, features: bow.featureCount, trainExamples: train.length },
    };
  }

  const json = {
    task: "cloze",
    model: loaded.description,
    data: evaluated.name,
    ...(presetName ? { preset: presetName } : {}),
    pattern: task.pattern.template,
    labels: task.labels,
    words: task.verbalizer.words,
    examples: examples.length,
    accuracy: model.accuracy,
    macroF1: model.macroF1,
    loss: r.loss,
    perClass: model.perClass,
    ...(baselines ? { baselines } : {}),
  };
  const rows = [
    ["", "accuracy", "macro-F1"],
    ["model", percent(model.accuracy), percent(model.macroF1)],
    ...(baselines
      ? [
          [`majority class (${JSON.stringify(baselines.majority.label)})`, percent(baselines.majority.accuracy), percent(baselines.majority.macroF1)],
          ["bag-of-words logistic regression", percent(baselines.bagOfWords.accuracy), percent(baselines.bagOfWords.macroF1)],
        ]
      : []),
  ];
  printResult(f, json, [`cloze: ${examples.length} examples of ${evaluated.name}`, ...table(rows)]);
  return 0;
}
