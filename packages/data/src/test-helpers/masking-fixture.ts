// Test-only loader for ../shared/fixtures/masking (safetensors I32/I64 reader, samples,
// settings, sentence-end tables from the vocabulary the fixture's tokenizer used).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedPath } from "@glmjs/test-utils";
import { rawSample, type RawSample } from "../objective/raw-sample.js";
import type { ObjectiveSettings, SpecialIds } from "../objective/settings.js";
import { sentenceEndTable } from "../objective/sentence-end.js";
import type { TokenizedCorpus } from "../indexed/tokenized-corpus.js";

export interface Tensor {
  dtype: string;
  shape: number[];
  data: Int32Array | BigInt64Array;
}

export function readSafetensors(path: string): Map<string, Tensor> {
  const buf = readFileSync(path);
  const headerLength = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLength).toString("utf8")) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, Tensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [b, e] = info.data_offsets;
    const bytes = buf.subarray(base + b, base + e);
    const copy = new Uint8Array(bytes).buffer;
    if (info.dtype === "I32") out.set(name, { dtype: info.dtype, shape: info.shape, data: new Int32Array(copy) });
    else if (info.dtype === "I64") out.set(name, { dtype: info.dtype, shape: info.shape, data: new BigInt64Array(copy) });
  }
  return out;
}

interface CommandIds {
  pad: number;
  eos: number;
  ENC: number;
  MASK: number;
  sop: number;
  eop: number;
  gMASK?: number;
  sMASK?: number;
  dBLOCK?: number;
}

export interface FixtureSetting {
  name: string;
  settings: Record<string, unknown> & {
    seq_length: number;
    tokenizer: { class: string; model_type: string; num_tokens: number; command_token_ids: CommandIds };
    ConstructBlockStrategy_kwargs: Record<string, number | boolean>;
  };
  stats: Record<string, unknown>;
}

export function loadStats(dir: string): { settings: Record<string, { settings: FixtureSetting["settings"]; stats: Record<string, unknown> }> } {
  return JSON.parse(readFileSync(join(dir, "masking_stats.json"), "utf8"));
}

export function specialIdsOf(setting: FixtureSetting["settings"]): SpecialIds {
  const c = setting.tokenizer.command_token_ids;
  return { eos: c.eos, cls: c.ENC, mask: c.MASK, sop: c.sop, eop: c.eop, sMask: c.sMASK, gMask: c.gMASK, dBlock: c.dBLOCK };
}

export function objectiveSettingsOf(setting: FixtureSetting["settings"]): Partial<ObjectiveSettings> {
  const k = setting.ConstructBlockStrategy_kwargs;
  const num = (key: string, fallback: number): number => (typeof k[key] === "number" ? (k[key] as number) : fallback);
  const bool = (key: string, fallback: boolean): boolean => (typeof k[key] === "boolean" ? (k[key] as boolean) : fallback);
  return {
    bertProb: num("bert_prob", 1),
    gapSentenceProb: num("gap_sentence_prob", 0),
    bertRatio: num("bert_ratio", 0.15),
    gapSentenceRatio: num("gap_sentence_ratio", 0.15),
    averageBlockLength: num("average_block_length", 3),
    maxBlockLength: num("max_block_length", 40),
    gptInfillProb: num("gpt_infill_prob", 0.5),
    gptMinRatio: num("gpt_min_ratio", 0.5),
    blockMaskProb: num("block_mask_prob", 0),
    shortSeqProb: num("short_seq_prob", 0),
    singleSpanProb: num("single_span_prob", 0),
    taskMask: bool("task_mask", false),
    shuffleBlocks: bool("shuffle_blocks", true),
    blockPositionEncoding: bool("block_position_encoding", true),
  };
}

/**
 * Vocabulary strings of the fixture's text tokenizer (command tokens come after it and never
 * end a sentence). Returns undefined when ../shared/vocab lacks the file.
 */
export function vocabularyOf(setting: FixtureSetting["settings"]): string[] | undefined {
  const cls = setting.tokenizer.class;
  if (cls.startsWith("Bert")) {
    const p = sharedPath("vocab", "bert-base-uncased-vocab.txt");
    return p
      ? readFileSync(p, "utf8")
          .split("\n")
          .filter((_, i, a) => i < a.length - 1 || a[i] !== "")
      : undefined;
  }
  if (cls.startsWith("GPT2")) {
    const p = sharedPath("vocab", "gpt2-vocab.json");
    if (!p) return undefined;
    const vocab = JSON.parse(readFileSync(p, "utf8")) as Record<string, number>;
    const out: string[] = [];
    for (const [tok, id] of Object.entries(vocab)) out[id] = tok;
    return out;
  }
  if (cls.startsWith("ChineseSP")) {
    const p = sharedPath("vocab", "cog-pretrain.vocab");
    return p
      ? readFileSync(p, "utf8")
          .split("\n")
          .map((l) => l.split("\t")[0]!)
      : undefined;
  }
  return undefined;
}

export function sentenceEndOf(setting: FixtureSetting["settings"]): Uint8Array | undefined {
  const vocab = vocabularyOf(setting);
  if (!vocab) return undefined;
  return sentenceEndTable(Math.max(setting.tokenizer.num_tokens, vocab.length), (id) => vocab[id]);
}

interface SamplesFile {
  settings: Record<string, { batch_size: number; num_batches: number; eos_id: number; ENC_id: number; samples: [number, number, number][][] }>;
}

/** The reference's BlockDataset samples of a setting: per sample, its [document, start, end] pieces. */
export function loadReferenceSamples(dir: string, name: string): SamplesFile["settings"][string] {
  const all = JSON.parse(readFileSync(join(dir, "samples.json"), "utf8")) as SamplesFile;
  return all.settings[name]!;
}

/** The setting's documents (without the eos BlockDataset appends) as a TokenizedCorpus. */
export function loadCorpus(dir: string, name: string): TokenizedCorpus {
  const tensors = readSafetensors(join(dir, "corpus.safetensors"));
  const tokens = tensors.get(`${name}.tokens`)!.data as Int32Array;
  const offsets = Float64Array.from(tensors.get(`${name}.doc_offsets`)!.data as BigInt64Array, Number);
  return { tokens, offsets };
}

/** `[ENC] + (document + [eos])[start:end]` for each piece, concatenated: the reference's raw sample. */
export function referenceSampleTokens(corpus: TokenizedCorpus, pieces: readonly [number, number, number][], eos: number, cls: number): number[] {
  const ids: number[] = [];
  for (const [doc, start, end] of pieces) {
    const docTokens = [...corpus.tokens.subarray(corpus.offsets[doc]!, corpus.offsets[doc + 1]!), eos];
    ids.push(cls, ...docTokens.slice(start, end));
  }
  return ids;
}

/** The exact raw samples given to construct_blocks, batch by batch. */
export function loadSampleBatches(dir: string, name: string): { batches: RawSample[][]; batchSize: number } {
  const s = loadReferenceSamples(dir, name);
  const corpus = loadCorpus(dir, name);
  const samples = s.samples.map((pieces) => rawSample(referenceSampleTokens(corpus, pieces, s.eos_id, s.ENC_id), s.ENC_id));
  const batches: RawSample[][] = [];
  for (let b = 0; b < s.num_batches; b++) batches.push(samples.slice(b * s.batch_size, (b + 1) * s.batch_size));
  return { batches, batchSize: s.batch_size };
}

export function hasFile(dir: string, file: string): boolean {
  return existsSync(join(dir, file));
}
