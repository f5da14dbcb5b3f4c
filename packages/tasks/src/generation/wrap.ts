// Text → the context ids the original builds for generation (GLM.md §3.6): [CLS] + text + eos,
// no eos when the text ends with [gMASK]; and the filled text put back together.
import { GlmjsError } from "@glmjs/common";
import type { Tokenizer } from "@glmjs/tokenizer";
import { type TaskSpecialIds, taskSpecialIds } from "../special-ids.js";
import { blankIds } from "../decoding/special-ids.js";

export interface WrappedText {
  ids: number[];
  /** For each blank, in order: its `[start, end)` in the text (the mask string). */
  blanks: { start: number; end: number }[];
}

/** The special ids generation needs, from a GLM tokenizer. */
export function tokenizerSpecialIds(tokenizer: Tokenizer): TaskSpecialIds {
  return taskSpecialIds(tokenizer.special);
}

/** Encodes `text` as the original's generation context. */
export function wrapForGeneration(tokenizer: Tokenizer, text: string): WrappedText {
  if (typeof text !== "string") throw new GlmjsError("INPUT_INVALID", `expected a text, got ${typeof text}`);
  const special = tokenizerSpecialIds(tokenizer);
  const { ids, offsets } = tokenizer.encodeWithOffsets(text);
  const gMaskText = special.gMask >= 0 ? tokenizer.idToToken(special.gMask) : undefined;
  const endsWithGMask = gMaskText !== undefined && text.endsWith(gMaskText);
  const masks = new Set(blankIds(special));
  const blanks = ids.flatMap((id, i) => (masks.has(id) ? [{ start: offsets[i]![0], end: offsets[i]![1] }] : []));
  return { ids: [special.cls, ...ids, ...(endsWithGMask ? [] : [special.eos])], blanks };
}

/**
 * The text with each blank's mask string replaced by its fill. A mask token that swallowed the
 * whitespace on its left (GPT-2's `[MASK]`) gets it back unless the fill brings its own (` Paris`).
 */
export function spliceFills(text: string, blanks: readonly { start: number; end: number }[], fills: readonly string[]): string {
  let out = "";
  let at = 0;
  blanks.forEach((b, i) => {
    let before = text.slice(at, b.start);
    const fill = fills[i] ?? "";
    if (/^\s/u.test(fill)) before = before.replace(/\s+$/u, "");
    out += before + fill;
    at = b.end;
  });
  return out + text.slice(at);
}

/**
 * Decodes ids that may include rows of the padded vocabulary no token owns (an undertrained or
 * random model can emit them): those decode as the tokenizer's unk token (or nothing).
 */
export function decodeSafely(tokenizer: Tokenizer, ids: readonly number[]): string {
  const unk = tokenizer.special.unk;
  const known = ids.flatMap((id) => (tokenizer.idToToken(id) !== undefined ? [id] : unk >= 0 ? [unk] : []));
  return tokenizer.decode(known);
}
