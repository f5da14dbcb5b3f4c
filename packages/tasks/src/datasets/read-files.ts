// Dataset files on disk (Node): text, cloze and seq2seq files and the shared presets.
import { GlmjsError } from "@glmjs/common";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type ClozePreset, clozePreset, clozePresetExamples } from "../cloze/cloze-presets.js";
import type { ClozeExample } from "../cloze/cloze-task.js";
import type { SkippedLine } from "./dataset-error.js";
import { type ClozeDataOptions, type Seq2seqDataOptions, clozeExamplesFromText, seq2seqExamplesFromLinePairs, seq2seqExamplesFromText } from "./user-data.js";
import { type PresetSplits, type Seq2seqPreset, seq2seqPreset, seq2seqPresetExamples } from "../seq2seq/seq2seq-presets.js";
import type { Seq2seqExample } from "../seq2seq/seq2seq-task.js";

/** A UTF-8 text file; the error names the path and what to do. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new GlmjsError("FILE_NOT_FOUND", `${path} does not exist`, { cause: e });
    if (code === "EISDIR") throw new GlmjsError("FILE_UNREADABLE", `${path} is a folder; give a data file`, { cause: e });
    throw new GlmjsError("FILE_UNREADABLE", `${path} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

/** Cloze examples from a TSV (header line) or JSONL file (chosen by extension unless `format` is given). */
export async function readClozeFile(path: string, options: Omit<ClozeDataOptions, "source">): Promise<{ examples: ClozeExample[]; skipped: SkippedLine[] }> {
  return clozeExamplesFromText(await readTextFile(path), { ...options, source: path });
}

/** A cloze preset's train and dev examples from its dataset folder (e.g. ../shared/data/sentence_polarity). */
export async function loadClozePreset(
  name: string,
  datasetDir: string,
  options: { skipInvalid?: boolean } = {},
): Promise<{ preset: ClozePreset; train: ClozeExample[]; dev: ClozeExample[]; skipped: SkippedLine[] }> {
  const preset = clozePreset(name);
  const read = async (file: string) => {
    const path = join(datasetDir, file);
    return clozePresetExamples(preset, await readTextFile(path), path, options.skipInvalid);
  };
  const [train, dev] = await Promise.all([read(preset.files.train), read(preset.files.dev)]);
  return { preset, train: train.examples, dev: dev.examples, skipped: [...train.skipped, ...dev.skipped] };
}

/**
 * Seq2seq examples from the user's files: a source/target pair of line files (the original's
 * `train.source` + `train.target`), or one TSV/JSONL file with source/target fields.
 */
export async function readSeq2seqFiles(
  sourceOrTable: string,
  targetPath?: string,
  options: Omit<Seq2seqDataOptions, "source"> = {},
): Promise<{ examples: Seq2seqExample[]; skipped: number }> {
  if (targetPath !== undefined) {
    const [s, t] = await Promise.all([readTextFile(sourceOrTable), readTextFile(targetPath)]);
    return seq2seqExamplesFromLinePairs(s, t, { sourceName: sourceOrTable, targetName: targetPath, skipInvalid: options.skipInvalid });
  }
  const r = seq2seqExamplesFromText(await readTextFile(sourceOrTable), { ...options, source: sourceOrTable });
  return { examples: r.examples, skipped: r.skipped.length };
}

/** A seq2seq preset's train and dev examples from its dataset folder (e.g. ../shared/data/scitldr). */
export async function loadSeq2seqPreset(
  name: string,
  datasetDir: string,
  options: { skipInvalid?: boolean } = {},
): Promise<{ preset: Seq2seqPreset } & PresetSplits> {
  const preset = seq2seqPreset(name);
  const files: Record<string, string> = {};
  await Promise.all(preset.files.map(async (f) => (files[basename(f)] = await readTextFile(join(datasetDir, f)))));
  return { preset, ...seq2seqPresetExamples(preset, files, options.skipInvalid, (f) => join(datasetDir, f)) };
}
