// task.json: what a fine-tuned model was trained for, written by `glm finetune` beside the model
// (in <out>/ and <out>/model/), so `glm eval` on that model needs no task flags.
import { writeFileAtomic } from "@glmjs/common/node";
import { dirname, join } from "node:path";
import type { DecodingOptions, Seq2seqTaskOptions } from "@glmjs/tasks";
import type { ModelSource } from "../run/model-arg.js";
import { readJsonIfExists } from "./files.js";

export const TASK_RECORD = "task.json";

export interface ClozeTaskRecord {
  kind: "cloze";
  preset?: string;
  pattern: string;
  /** "0=terrible,1=great" style, words with their leading space as the task used them. */
  verbalizer: { labels: string[]; words: string[] };
  labelField: string;
  maxLength: number;
}

export interface Seq2seqTaskRecord extends Seq2seqTaskOptions {
  kind: "seq2seq";
  preset?: string;
  decoding: DecodingOptions;
}

export type TaskRecord = ClozeTaskRecord | Seq2seqTaskRecord;

/** Writes task.json into each folder (atomically). */
export async function writeTaskRecord(record: TaskRecord, dirs: readonly string[]): Promise<void> {
  const text = JSON.stringify(record, null, 2) + "\n";
  for (const dir of dirs) {
    await writeFileAtomic(join(dir, TASK_RECORD), text);
  }
}

/** The task.json of a model (its folder, or the run folder of a checkpoint), if any. */
export async function readTaskRecord(source: ModelSource): Promise<TaskRecord | undefined> {
  // A hub model carries no task.json of glmjs (a fine-tuned glmjs model is a folder or run).
  const dirs = source.kind === "folder" ? [source.dir, dirname(source.dir)] : source.kind === "checkpoint" ? [source.runDir] : [];
  for (const dir of dirs) {
    const r = await readJsonIfExists(join(dir, TASK_RECORD));
    if (r && (r["kind"] === "cloze" || r["kind"] === "seq2seq")) return r as unknown as TaskRecord;
  }
  return undefined;
}
