// Test helper: checks that every token's offsets are exact, i.e. that the slice of the input at a
// token's `[start, end)` is that token's text after the tokenizer's normalisation:
// - a command token: its string;
// - WordPiece: the piece without `##`, after BERT's cleaning, lower-casing and accent stripping
//   (a character that normalises to several units may be shared by the pieces it was cut into);
// - byte-level BPE: the token's bytes, where a UTF-8 character split across tokens belongs to the
//   token that completes it (tokens that complete none get an empty span);
// - SentencePiece: the piece, from the slice normalised by the model's character map with spaces
//   collapsed (and the dummy `▁` before the first piece); an unk covers characters the model lacks.
// Spans never overlap (except WordPiece's shared characters) and go left to right.
import { expect } from "vitest";
import { symbolsToBytes } from "../src/bpe/byte-map.js";
import type { GLMTokenizer } from "../src/glm/glm-tokenizer.js";
import { Normalizer } from "../src/sentencepiece/normalizer.js";
import { SentencePieceModel } from "../src/sentencepiece/sentencepiece-model.js";
import { PrefixMatcher } from "../src/sentencepiece/prefix-matcher.js";
import { PieceType } from "../src/sentencepiece/model-proto.js";
import { WordPieceModel } from "../src/wordpiece/wordpiece-model.js";

const utf8 = new TextEncoder();

/** Asserts exact offsets for `text`; returns the number of tokens checked. */
export function expectExactOffsets(tok: GLMTokenizer, text: string): number {
  const { ids, offsets } = tok.encodeWithOffsets(text);
  expect(ids).toEqual(tok.encode(text));
  expect(offsets).toHaveLength(ids.length);
  const where = (i: number): string =>
    `token ${i} (id ${ids[i]}, ${JSON.stringify(tok.idToToken(ids[i]!))}) at ${JSON.stringify(offsets[i])} of ${JSON.stringify(text)}`;
  const isCommand = (i: number): boolean => {
    const [s, e] = offsets[i]!;
    return tok.commandTokens.some((c) => c.id === ids[i] && c.token === text.slice(s, e));
  };
  let prevEnd = 0;
  offsets.forEach(([s, e], i) => {
    expect(s, where(i)).toBeLessThanOrEqual(e);
    expect(e, where(i)).toBeLessThanOrEqual(text.length);
    if (tok.kind !== "wordpiece") expect(s, where(i)).toBeGreaterThanOrEqual(prevEnd);
    prevEnd = e;
  });
  if (tok.model instanceof WordPieceModel) checkWordPiece(tok, tok.model, text, ids, offsets, isCommand, where);
  else if (tok.model instanceof SentencePieceModel) checkSentencePiece(tok, tok.model, text, ids, offsets, isCommand, where);
  else checkByteLevel(tok, text, ids, offsets, isCommand, where);
  return ids.length;
}

type Where = (i: number) => string;

function checkWordPiece(
  tok: GLMTokenizer,
  model: WordPieceModel,
  text: string,
  ids: number[],
  offsets: [number, number][],
  isCommand: (i: number) => boolean,
  where: Where,
): void {
  const unk = model.tokenToId(model.unkToken);
  const norm = (s: string): string => {
    let t = "";
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || (/\p{C}/u.test(ch) && !/[\t\n\r]/.test(ch))) continue;
      t += ch;
    }
    if (model.lowerCase)
      t = t
        .toLowerCase()
        .normalize("NFD")
        .replace(/\p{Mn}/gu, "");
    return t.replace(/ς/g, "σ"); // final sigma depends on the whole word, not on the slice
  };
  ids.forEach((id, i) => {
    if (isCommand(i)) return;
    const [s, e] = offsets[i]!;
    const slice = norm(text.slice(s, e));
    expect(slice.length, where(i)).toBeGreaterThan(0);
    if (id === unk) return;
    const piece = tok.idToToken(id)!.replace(/^##/, "").replace(/ς/g, "σ");
    if (slice === piece) return;
    // Only a character that normalises to several units may be cut between two pieces.
    const shared = (i > 0 && offsets[i - 1]![1] > s) || (i + 1 < ids.length && offsets[i + 1]![0] < e);
    expect({ slice, shared }, where(i)).toEqual({ slice: expect.stringContaining(piece), shared: true });
  });
}

function checkByteLevel(tok: GLMTokenizer, text: string, ids: number[], offsets: [number, number][], isCommand: (i: number) => boolean, where: Where): void {
  let carry: number[] = [];
  ids.forEach((id, i) => {
    if (isCommand(i)) {
      expect(carry, where(i)).toEqual([]);
      return;
    }
    const all = [...carry, ...symbolsToBytes(tok.idToToken(id)!)!];
    // The complete characters among carry + this token's bytes; the rest waits for the next token.
    let complete = 0;
    for (let k = 0; k < all.length;) {
      const b = all[k]!;
      const n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (k + n > all.length) break;
      k += n;
      complete = k;
    }
    carry = all.slice(complete);
    const [s, e] = offsets[i]!;
    expect(Array.from(utf8.encode(text.slice(s, e))), where(i)).toEqual(all.slice(0, complete));
  });
  expect(carry, "bytes of an unfinished character at the end").toEqual([]);
}

/**
 * SentencePiece, as the library reports offsets: pieces tile the input (each from where its
 * first normalised unit came from to where the next piece's did), so an input character that
 * normalises to several units (ﬁ → fi) belongs to the piece that completes it, and the pieces
 * before get empty or shorter spans. Checked by normalising each slice and matching it against
 * the pieces' text in order; what a slice does not cover yet carries over to the next piece.
 * An unk stands for a run of characters the model lacks.
 */
function checkSentencePiece(
  tok: GLMTokenizer,
  model: SentencePieceModel,
  text: string,
  ids: number[],
  offsets: [number, number][],
  isCommand: (i: number) => boolean,
  where: Where,
): void {
  const spec = model.proto.normalizer;
  const space = spec.escapeWhitespaces ? "▁" : " ";
  const userDefined = model.proto.pieces.filter((p) => p.type === PieceType.USER_DEFINED).map((p) => p.piece);
  // The character map alone: no dummy prefix, no whitespace rules, spaces kept as spaces.
  const charMap = new Normalizer(
    { ...spec, addDummyPrefix: false, removeExtraWhitespaces: false, escapeWhitespaces: false },
    userDefined.length ? new PrefixMatcher(userDefined) : null,
  );
  const known = (ch: string): boolean => model.tokenToId(ch) !== undefined && model.proto.pieces[model.tokenToId(ch)!]!.type !== PieceType.UNKNOWN;
  const UNK = null;
  let carry: (string | null)[] = []; // pending units of earlier pieces; null = an unk's run
  let runSeen = false; // the pending unk run has matched at least one character
  let first = true; // the next slice starts a command-free segment
  let afterSpace = true;
  /** At the end of a command-free segment nothing may be left, except an unk run that matched. */
  const settle = (what: string): void => {
    if (carry.length === 1 && carry[0] === UNK && runSeen) carry = [];
    expect(carry, `${what}: units no slice covered`).toEqual([]);
    runSeen = false;
  };
  ids.forEach((id, i) => {
    if (isCommand(i)) {
      settle(where(i));
      first = true;
      afterSpace = true;
      return;
    }
    const [s, e] = offsets[i]!;
    if (!first) expect(s, `${where(i)} starts where the previous piece ended`).toBe(offsets[i - 1]![1]);
    let t = charMap.normalize(text, s, e, false).text;
    if (spec.removeExtraWhitespaces) {
      t = t.replace(/ {2,}/g, " ");
      if (afterSpace) t = t.replace(/^ +/, "");
    }
    if (spec.escapeWhitespaces) t = t.replaceAll(" ", "▁");
    if (first && spec.addDummyPrefix) t = space + t;
    if (t.length > 0) afterSpace = t.endsWith(space);
    first = false;
    const unk = model.proto.pieces[id]?.type === PieceType.UNKNOWN;
    const pending: (string | null)[] = [...carry, ...(unk ? [UNK] : [...tok.idToToken(id)!])];
    // The slice's units must be the next pending ones.
    let k = 0;
    for (const ch of t) {
      while (pending[k] === UNK && runSeen && known(ch)) {
        k++;
        runSeen = false;
      }
      const want = pending[k];
      if (want === UNK) {
        expect({ char: ch, known: known(ch) }, `${where(i)}: an unk run holds only characters the model lacks`).toEqual({ char: ch, known: false });
        runSeen = true;
      } else {
        expect({ slice: t, char: ch }, where(i)).toEqual({ slice: t, char: want });
        k++;
      }
    }
    carry = pending.slice(k);
  });
  settle(`the end of ${JSON.stringify(text)}`);
}
