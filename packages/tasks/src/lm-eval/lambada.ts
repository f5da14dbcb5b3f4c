// LAMBADA passages and their rows (GLM.md §5.5; the original's LambadaDataset, strict mode):
// the target is the passage's last whitespace-separated word.
import { GlmjsError } from "@glmjs/common";
import { buildLmRow, type LmRow, type LmSpecialIds, type LmTokenizer } from "./lm-row.js";

/** "bidirectional": the context in Part A; "unidirectional": only its first token there, the rest left-to-right in Part B. */
export type LmEvalMode = "bidirectional" | "unidirectional";

/**
 * Passages of a LAMBADA file: one per non-blank line, either plain text (the original release)
 * or JSON lines with a "text" field (the form the original code reads).
 */
export function parseLambada(content: string): string[] {
  const passages: string[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    if (line.trimStart().startsWith("{")) {
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch (e) {
        throw new GlmjsError("DATASET_INVALID", `LAMBADA line ${i + 1}: starts with "{" but is not valid JSON (${(e as Error).message})`);
      }
      const text = (doc as { text?: unknown }).text;
      if (typeof text !== "string") throw new GlmjsError("DATASET_INVALID", `LAMBADA line ${i + 1}: a JSON line needs a string "text" field`);
      passages.push(text);
    } else {
      passages.push(line);
    }
  });
  return passages;
}

/** The last whitespace-separated word and the text before it (stripped), as the original splits a passage. */
export function splitLastWord(passage: string): { context: string; lastWord: string } {
  const words = passage.trim().split(/\s+/);
  const lastWord = words[words.length - 1];
  if (!lastWord) throw new GlmjsError("EXAMPLE_INVALID", "LAMBADA: an empty passage has no last word");
  return { context: passage.slice(0, passage.lastIndexOf(lastWord)).trim(), lastWord };
}

/**
 * Context and answer ids: `tok(context)` and `tok(" " + lastWord)`. The leading space makes a
 * byte-level BPE or SentencePiece tokenizer encode the word as it appears after a space inside
 * text; WordPiece splits on whitespace first, so there the space changes nothing.
 */
export function lambadaIds(tokenizer: LmTokenizer, passage: string): { contextIds: number[]; answerIds: number[] } {
  const { context, lastWord } = splitLastWord(passage);
  const answerIds = tokenizer.encode(" " + lastWord);
  if (answerIds.length === 0) throw new GlmjsError("EXAMPLE_INVALID", `LAMBADA: the last word ${JSON.stringify(lastWord)} encodes to no tokens`);
  return { contextIds: context === "" ? [] : tokenizer.encode(context), answerIds };
}

/**
 * The scoring row of one passage, left-truncated (oldest context tokens dropped) to `seqLength`:
 * - bidirectional: Part A = [CLS] context [M] [eos], Part B = [sop] answer[:-1], targets = answer;
 * - unidirectional: Part A = [CLS] context[0] [M] [eos], Part B = [sop] (context[1:] + answer)[:-1],
 *   loss on the answer tokens only.
 * Both take |context| + |answer| + 3 positions. (The original truncates the unidirectional row by
 * cutting Part A, which drops [M] and fails; here the context's first remaining token moves into Part A.)
 */
export function lambadaRow(
  contextIds: readonly number[],
  answerIds: readonly number[],
  special: LmSpecialIds,
  options: { mode?: LmEvalMode; seqLength: number },
): { row: LmRow; truncated: number } {
  const mode = options.mode ?? "bidirectional";
  if (mode !== "bidirectional" && mode !== "unidirectional")
    throw new GlmjsError("OPTION_INVALID", `mode must be "bidirectional" or "unidirectional", got ${JSON.stringify(mode)}`);
  if (answerIds.length === 0) throw new GlmjsError("INPUT_INVALID", "lambadaRow: the answer has no tokens");
  const excess = contextIds.length + answerIds.length + 3 - options.seqLength;
  if (excess > contextIds.length) {
    throw new GlmjsError(
      "SEQUENCE_TOO_LONG",
      `lambadaRow: the answer (${answerIds.length} tokens) does not fit in seqLength ${options.seqLength} with [CLS], [M], eos and sop`,
    );
  }
  const truncated = Math.max(excess, 0);
  const context = contextIds.slice(truncated);
  if (mode === "bidirectional") return { row: buildLmRow([...context, special.mask], answerIds, special, { eos: true }), truncated };
  const rest = [...context.slice(1), ...answerIds];
  const row = buildLmRow([...context.slice(0, 1), special.mask], rest, special, { eos: true, scoreFrom: rest.length - answerIds.length });
  return { row, truncated };
}
