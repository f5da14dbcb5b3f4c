// Generation for seq2seq evaluation: each example's Part A exactly as fine-tuning built it (the
// original's evaluation feeds the same padded source), its blank filled with the given decoding
// (the presets' beam search by default), the output decoded and trimmed — what ROUGE and BLEU
// are computed on.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";
import type { DecodingOptions } from "../decoding/options.js";
import { throwIfAborted } from "../decoding/options.js";
import { infillBatchIds } from "../generation/infill.js";
import { decodeSafely } from "../generation/wrap.js";
import type { Seq2seqExample, Seq2seqTask } from "./seq2seq-task.js";

export interface GenerateSeq2seqOptions extends DecodingOptions {
  /** Examples decoded together (greedy and sampling; beam search runs them one by one). Default 8. */
  batchSize?: number;
  /** Called after each batch. */
  onProgress?: (done: number, total: number) => void;
}

/** The generated output (decoded, trimmed) for every example. */
export async function generateSeq2seq(
  model: GLMModel,
  tokenizer: Tokenizer,
  task: Seq2seqTask,
  examples: readonly Seq2seqExample[],
  options: GenerateSeq2seqOptions = {},
): Promise<string[]> {
  const { batchSize = 8, onProgress, ...decoding } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new GlmjsError("OPTION_INVALID", `generateSeq2seq: batchSize must be a positive integer, got ${batchSize}`);
  const outputs: string[] = [];
  for (let first = 0; first < examples.length; first += batchSize) {
    throwIfAborted(decoding.signal);
    const batch = examples.slice(first, first + batchSize);
    const contexts = batch.map((e) => task.buildSeq2seqPrompt(e));
    const seed = decoding.seed;
    const results = await infillBatchIds(model, contexts, {
      maxNewTokens: task.targetLength,
      ...decoding,
      ...(typeof seed === "number" ? { seed: batch.map((_, i) => seed + first + i) } : {}),
      specialIds: task.special,
    });
    for (const r of results) outputs.push(decodeSafely(tokenizer, r.spans[0]?.ids ?? []).trim());
    onProgress?.(outputs.length, examples.length);
  }
  return outputs;
}
