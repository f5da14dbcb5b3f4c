// The cloze task and its examples from the command line: a preset (its pattern, label words and
// files in --data), or the user's pattern, label words and TSV/JSONL files; a fine-tuned model's
// task.json fills in what the flags leave out.
import { GlmjsError } from "@glmjs/common";
import { join, resolve } from "node:path";
import { type ClozeExample, type ClozeTaskOptions, CLOZE_PRESETS, parsePattern, resolveClozeTaskOptions } from "@glmjs/tasks";
import { loadClozePreset, readClozeFile } from "@glmjs/tasks/node";
import type { ClozeTaskRecord } from "./task-record.js";
import { firstFile, pathKind } from "./files.js";

export interface ClozeFlags {
  data?: string;
  preset?: string;
  /** Fine-tuning: held-out file when --data is the training file. */
  dev?: string;
  /** Evaluation: training file for the baselines when --data is the evaluated file. */
  train?: string;
  pattern?: string;
  labels?: string;
  labelField?: string;
  maxLength?: number;
  skipInvalid?: boolean;
}

export interface NamedExamples {
  /** The file they came from (or preset/split). */
  name: string;
  examples: ClozeExample[];
}

export interface ClozeData {
  task: ClozeTaskOptions;
  presetName?: string;
  train?: NamedExamples;
  dev?: NamedExamples;
  /** Lines skipped by --skip-invalid. */
  skipped: number;
}

/** Task options from a preset, a pattern + label words, or a model's task.json (flags win). */
export function clozeTaskFromFlags(f: ClozeFlags, record?: ClozeTaskRecord): { task: ClozeTaskOptions; presetName?: string } {
  if (f.preset !== undefined && !(f.preset in CLOZE_PRESETS))
    throw new GlmjsError("PRESET_UNKNOWN", `--preset ${f.preset}: no such cloze preset; presets: ${Object.keys(CLOZE_PRESETS).join(", ")}`);
  const usesRecord = f.preset === undefined && f.pattern === undefined && f.labels === undefined && record !== undefined;
  const presetName = f.preset ?? (usesRecord ? record.preset : undefined);
  if (usesRecord) {
    return {
      task: {
        pattern: record.pattern,
        verbalizer: { labels: record.verbalizer.labels, words: record.verbalizer.words },
        labelField: f.labelField ?? record.labelField,
        maxLength: f.maxLength ?? record.maxLength,
      },
      ...(presetName ? { presetName } : {}),
    };
  }
  if (f.preset === undefined && (f.pattern === undefined || f.labels === undefined)) {
    throw new GlmjsError(
      "OPTION_INVALID",
      `give --preset (${Object.keys(CLOZE_PRESETS).join(", ")}) or both --pattern (e.g. "{sentence} It was [MASK].") and --labels (e.g. "0=terrible,1=great")`,
    );
  }
  const task = resolveClozeTaskOptions({ preset: f.preset, pattern: f.pattern, labelWords: f.labels, labelField: f.labelField, maxLength: f.maxLength });
  return { task, ...(presetName ? { presetName } : {}) };
}

/**
 * Reads the examples. `fileRole` says what a single --data file is: the training data
 * (fine-tuning) or the evaluated data (evaluation).
 */
export async function readClozeData(
  f: ClozeFlags,
  task: ClozeTaskOptions,
  presetName: string | undefined,
  fileRole: "train" | "dev",
): Promise<Omit<ClozeData, "task" | "presetName">> {
  if (f.data === undefined)
    throw new GlmjsError(
      "OPTION_INVALID",
      `give --data: ${presetName ? `the ${presetName} folder (e.g. ../shared/data/${presetName})` : "a TSV/JSONL file or a folder with train.tsv and dev.tsv"}`,
    );
  const data = resolve(f.data);
  const kind = await pathKind(data);
  if (kind === "missing") throw new GlmjsError("FILE_NOT_FOUND", `--data ${f.data}: no such file or folder`);
  const skipInvalid = f.skipInvalid === true;
  if (presetName !== undefined && kind === "folder") {
    const r = await loadClozePreset(presetName, data, { skipInvalid });
    const p = CLOZE_PRESETS[presetName as keyof typeof CLOZE_PRESETS];
    return {
      train: { name: join(data, p.files.train), examples: r.train },
      dev: { name: join(data, p.files.dev), examples: r.dev },
      skipped: r.skipped.length,
    };
  }
  const labelField = task.labelField ?? "label";
  const pattern = typeof task.pattern === "string" ? parsePattern(task.pattern) : task.pattern;
  const fields = [...pattern.fields, labelField];
  let skipped = 0;
  const read = async (path: string): Promise<NamedExamples> => {
    const r = await readClozeFile(path, { fields, skipInvalid });
    skipped += r.skipped.length;
    if (r.examples.length === 0) throw new GlmjsError("DATASET_INVALID", `${path}: no examples`);
    return { name: path, examples: r.examples };
  };
  if (kind === "folder") {
    const trainPath = await firstFile(data, ["train.tsv", "train.jsonl"]);
    const devPath = await firstFile(data, ["dev.tsv", "dev.jsonl", "validation.tsv", "validation.jsonl", "test.tsv", "test.jsonl"]);
    if (!trainPath && !devPath) throw new GlmjsError("FILE_NOT_FOUND", `--data ${f.data}: the folder has no train.tsv/train.jsonl or dev.tsv/dev.jsonl`);
    return { ...(trainPath ? { train: await read(trainPath) } : {}), ...(devPath ? { dev: await read(devPath) } : {}), skipped };
  }
  const other = fileRole === "train" ? f.dev : f.train;
  const own = await read(data);
  const second = other !== undefined ? await read(resolve(other)) : undefined;
  return fileRole === "train" ? { train: own, ...(second ? { dev: second } : {}), skipped } : { dev: own, ...(second ? { train: second } : {}), skipped };
}

/** The task as task.json records it. */
export function clozeTaskRecord(
  task: { pattern: { template: string }; labels: readonly string[]; verbalizer: { words: readonly string[] }; labelField: string; maxLength: number },
  presetName?: string,
): ClozeTaskRecord {
  return {
    kind: "cloze",
    ...(presetName ? { preset: presetName } : {}),
    pattern: task.pattern.template,
    verbalizer: { labels: [...task.labels], words: [...task.verbalizer.words] },
    labelField: task.labelField,
    maxLength: task.maxLength,
  };
}
