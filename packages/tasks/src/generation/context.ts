// Checks on a context before decoding, and its Part A prefill row.
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "@glmjs/core";
import type { ResolvedDecoding } from "../decoding/options.js";
import type { PrefillRow } from "./session.js";

/** Throws a clear error when `context` cannot be encoded by a model with `config`. */
export function checkContext(context: readonly number[], config: GLMConfig, where: string): number[] {
  if (!Array.isArray(context) && !ArrayBuffer.isView(context)) throw new GlmjsError("INPUT_INVALID", `${where}: the context must be an array of token ids`);
  const ids = Array.from(context as ArrayLike<number>);
  if (ids.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: the context is empty`);
  const V = config.vocab_size;
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= V)
      throw new GlmjsError("INPUT_INVALID", `${where}: context[${i}] = ${String(id)} is not an id of the model's vocabulary of ${V}`);
  });
  // Part A positions run 0..L−1 and the position table has max_sequence_length + 1 rows.
  const limit = config.max_sequence_length + 1;
  if (ids.length > limit)
    throw new GlmjsError("SEQUENCE_TOO_LONG", `${where}: the context has ${ids.length} tokens, the model's positions allow ${limit}; shorten it`);
  return ids;
}

/** Block positions of a span run 1..maxNewTokens (+1 when the truncated token is fed): they must fit the table. */
export function checkSpanLength(d: ResolvedDecoding, config: GLMConfig, where: string): void {
  const highest = d.maxNewTokens + (d.feedTruncatedToken ? 1 : 0);
  if (highest > config.max_sequence_length) {
    throw new GlmjsError(
      "SEQUENCE_TOO_LONG",
      `${where}: maxNewTokens ${d.maxNewTokens} needs block positions up to ${highest}, the model has ${config.max_sequence_length}; lower maxNewTokens`,
    );
  }
}

/** Part A alone: positions 0..L−1, block positions 0, bidirectional (sep = L). */
export function contextRow(context: readonly number[]): PrefillRow {
  return { ids: context, positions: context.map((_, i) => i), blocks: context.map(() => 0), sep: context.length };
}
