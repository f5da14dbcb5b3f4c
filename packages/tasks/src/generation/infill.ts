// The id-level entry points of blank infilling: one context, many contexts (batched), streamed.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import { type DecodingOptions, type ResolvedDecoding, resolveDecoding } from "../decoding/options.js";
import type { TaskSpecialIds } from "../special-ids.js";
import { checkSpecialIds } from "../decoding/special-ids.js";
import { infillBeam } from "./beam-infill.js";
import { checkContext, checkSpanLength } from "./context.js";
import { infillGreedyOrSample } from "./infill-engine.js";
import { type EventStream, drain, eventStream } from "./stream.js";
import type { InfillEvent, InfillResult } from "./types.js";

export interface InfillOptions extends DecodingOptions {
  /** `{ sop, eop, eos, pad, cls, mask, sMask, gMask }` (a GLMTokenizer's `special` has them). */
  specialIds: TaskSpecialIds;
  /** Called for every generated token and every finished blank. */
  onToken?: (event: InfillEvent) => void;
}

/**
 * Fills every `[MASK]`, `[sMASK]` and `[gMASK]` of `contextIds` (already wrapped: `[CLS] … [eos]`
 * as the original builds it), left to right, each blank seeing the context and the spans before it.
 * Returns the final sequence (context, then `[sop]` + span for each blank) and each span.
 */
export async function infillIds(model: GLMModel, contextIds: readonly number[], options: InfillOptions): Promise<InfillResult> {
  const [result] = await infillBatchIds(model, [contextIds], options);
  return result!;
}

/**
 * Batched infilling: every row gives what `infillIds` gives for it alone (rows are padded and
 * the padding masked; rows finish independently). Beam search runs the rows one after another.
 */
export async function infillBatchIds(model: GLMModel, contexts: readonly (readonly number[])[], options: InfillOptions): Promise<InfillResult[]> {
  return drain(prepareInfill(model, contexts, options, "infillBatchIds"), options?.onToken);
}

/** Like `infillBatchIds` (one or many contexts), as an async iterator of token/span events plus `result`. */
export function streamInfillIds(model: GLMModel, contexts: readonly (readonly number[])[], options: InfillOptions): EventStream<InfillEvent, InfillResult[]> {
  return eventStream(prepareInfill(model, contexts, options, "streamInfillIds"), options?.onToken);
}

/** Validates everything up front (so bad input fails before any work) and returns the run. */
export function prepareInfill(
  model: GLMModel,
  contexts: readonly (readonly number[])[],
  options: InfillOptions,
  where: string,
): AsyncGenerator<InfillEvent, InfillResult[]> {
  if (!Array.isArray(contexts)) throw new GlmjsError("INPUT_INVALID", `${where}: contexts must be an array of id arrays`);
  if (contexts.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: no contexts`);
  const config = model.config;
  const special = checkSpecialIds(options?.specialIds, config.vocab_size, where);
  const d = resolveDecoding(options, special, config.vocab_size, where);
  checkSpanLength(d, config, where);
  const rows = contexts.map((c, i) => checkContext(c, config, contexts.length > 1 ? `${where} (context ${i})` : where));
  return runChecked(model, rows, special, d);
}

async function* runChecked(model: GLMModel, contexts: number[][], special: TaskSpecialIds, d: ResolvedDecoding): AsyncGenerator<InfillEvent, InfillResult[]> {
  if (d.strategy !== "beam") return yield* infillGreedyOrSample(model, contexts, special, d);
  const results: InfillResult[] = [];
  for (const [row, context] of contexts.entries()) results.push(yield* infillBeam(model, context, row, special, d));
  return results;
}
