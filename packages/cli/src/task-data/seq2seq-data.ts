// The seq2seq task and its examples from the command line: a preset (layout, lengths, decoding,
// files in --data), or the user's files — a folder of {split}.source/{split}.target line files
// (the original's layout) or train/dev TSV/JSONL, or one TSV/JSONL file — with the "custom"
// layout unless --format says otherwise; a fine-tuned model's task.json fills in the rest.
import { GlmjsError } from "@glmjs/common";
import { resolve } from "node:path";
import {
  type DecodingOptions,
  type Seq2seqExample,
  type Seq2seqTaskOptions,
  SEQ2SEQ_CUSTOM_DECODING,
  SEQ2SEQ_PRESETS,
  resolveSeq2seqTaskOptions,
} from "@glmjs/tasks";
import { loadSeq2seqPreset, readSeq2seqFiles } from "@glmjs/tasks/node";
import type { Seq2seqTaskRecord } from "./task-record.js";
import { firstFile, pathKind } from "./files.js";

export interface Seq2seqFlags {
  data?: string;
  preset?: string;
  dev?: string;
  train?: string;
  format?: Seq2seqTaskOptions["format"];
  sourceLength?: number;
  targetLength?: number;
  mask?: "MASK" | "sMASK";
  sourceField?: string;
  targetField?: string;
  skipInvalid?: boolean;
}

export interface Seq2seqExamples {
  name: string;
  examples: Seq2seqExample[];
}

export interface Seq2seqTaskChoice {
  task: Seq2seqTaskOptions;
  presetName?: string;
  /** The decoding evaluation uses unless flags change it (the preset's, or the user-data default). */
  decoding: DecodingOptions;
}

/** Task options from a preset and/or flags, or a model's task.json (flags win). */
export function seq2seqTaskFromFlags(f: Seq2seqFlags, record?: Seq2seqTaskRecord): Seq2seqTaskChoice {
  if (f.preset !== undefined && !(f.preset in SEQ2SEQ_PRESETS))
    throw new GlmjsError("PRESET_UNKNOWN", `--preset ${f.preset}: no such seq2seq preset; presets: ${Object.keys(SEQ2SEQ_PRESETS).join(", ")}`);
  const given = { format: f.format, sourceLength: f.sourceLength, targetLength: f.targetLength, mask: f.mask };
  const explicit = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Seq2seqTaskOptions>;
  if (f.preset === undefined && record !== undefined) {
    const { kind: _kind, preset, decoding, ...recorded } = record;
    const task = resolveSeq2seqTaskOptions({ ...recorded, ...explicit });
    return { task, ...(preset ? { presetName: preset } : {}), decoding: { ...decoding, maxNewTokens: task.targetLength } };
  }
  const task = resolveSeq2seqTaskOptions({ preset: f.preset, ...explicit });
  const decoding = f.preset !== undefined ? SEQ2SEQ_PRESETS[f.preset as keyof typeof SEQ2SEQ_PRESETS].decoding : SEQ2SEQ_CUSTOM_DECODING;
  return { task, ...(f.preset ? { presetName: f.preset } : {}), decoding: { ...decoding, maxNewTokens: task.targetLength } };
}

/** Reads the examples; a single --data file is the training data (`fileRole` "train") or the evaluated data ("dev"). */
export async function readSeq2seqData(
  f: Seq2seqFlags,
  presetName: string | undefined,
  fileRole: "train" | "dev",
): Promise<{ train?: Seq2seqExamples; dev?: Seq2seqExamples; skipped: number }> {
  if (f.data === undefined)
    throw new GlmjsError(
      "OPTION_INVALID",
      `give --data: ${presetName ? `the ${presetName} folder (e.g. ../shared/data/${presetName})` : "a folder of train.source/train.target (and dev.*) files, or a TSV/JSONL file with source and target fields"}`,
    );
  const data = resolve(f.data);
  const kind = await pathKind(data);
  if (kind === "missing") throw new GlmjsError("FILE_NOT_FOUND", `--data ${f.data}: no such file or folder`);
  const skipInvalid = f.skipInvalid === true;
  if (presetName !== undefined && kind === "folder") {
    const r = await loadSeq2seqPreset(presetName, data, { skipInvalid });
    return {
      train: { name: `${data} (${presetName} train)`, examples: r.train },
      dev: { name: `${data} (${presetName} held-out)`, examples: r.dev },
      skipped: r.skipped.length,
    };
  }
  let skipped = 0;
  const fields = { ...(f.sourceField ? { sourceField: f.sourceField } : {}), ...(f.targetField ? { targetField: f.targetField } : {}), skipInvalid };
  const read = async (path: string): Promise<Seq2seqExamples> => {
    const r = path.endsWith(".source")
      ? await readSeq2seqFiles(path, path.replace(/\.source$/, ".target"), fields)
      : await readSeq2seqFiles(path, undefined, fields);
    skipped += r.skipped;
    if (r.examples.length === 0) throw new GlmjsError("DATASET_INVALID", `${path}: no examples`);
    return { name: path, examples: r.examples };
  };
  if (kind === "folder") {
    const pick = async (split: readonly string[]) =>
      firstFile(
        data,
        split.flatMap((s) => [`${s}.source`, `${s}.jsonl`, `${s}.tsv`]),
      );
    const trainPath = await pick(["train"]);
    const devPath = await pick(["dev", "val", "valid", "validation", "test"]);
    if (!trainPath && !devPath)
      throw new GlmjsError("FILE_NOT_FOUND", `--data ${f.data}: the folder has no train.source/train.target, train.jsonl or train.tsv (nor dev.*)`);
    return { ...(trainPath ? { train: await read(trainPath) } : {}), ...(devPath ? { dev: await read(devPath) } : {}), skipped };
  }
  const other = fileRole === "train" ? f.dev : f.train;
  const own = await read(data);
  const second = other !== undefined ? await read(resolve(other)) : undefined;
  return fileRole === "train" ? { train: own, ...(second ? { dev: second } : {}), skipped } : { dev: own, ...(second ? { train: second } : {}), skipped };
}

export function seq2seqTaskRecord(task: Seq2seqTaskOptions, decoding: DecodingOptions, presetName?: string): Seq2seqTaskRecord {
  return { kind: "seq2seq", ...(presetName ? { preset: presetName } : {}), ...task, decoding };
}
