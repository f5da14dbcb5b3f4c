import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { BlockDatasetPacker, type BlockDatasetPackerOptions } from "./block-dataset-packer.js";
import { tokenizedCorpus, type TokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { Rng } from "../random/rng.js";

/** The code of the GlmjsError `f` throws (or what happened instead). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

// Tokens name their place: token j of document d is BASE + d·STRIDE + j, so every piece of a
// sample can be traced back to its document and position. Every 7th position ends a sentence,
// except in documents d ≡ 0 (mod 5), which have no sentence end at all (forcing hard cuts).
const EOS = 0;
const CLS = 1;
const BASE = 100;
const STRIDE = 100_000;
const docOf = (t: number) => Math.floor((t - BASE) / STRIDE);
const posOf = (t: number) => (t - BASE) % STRIDE;
const isSentenceEnd = (t: number) => t >= BASE && docOf(t) % 5 !== 0 && posOf(t) % 7 === 6;

function namedCorpus(lengths: number[]): TokenizedCorpus {
  return tokenizedCorpus(lengths.map((L, d) => Int32Array.from({ length: L }, (_, j) => BASE + d * STRIDE + j)));
}

function mixedLengths(count: number, seed: number): number[] {
  const rng = new Rng(seed);
  // Short documents (many fit in a sample) and long ones (random windows), 1 in 10 empty.
  return Array.from({ length: count }, (_, d) => (d % 10 === 9 ? 0 : rng.float() < 0.85 ? rng.int(1, 40) : rng.int(100, 600)));
}

const base = (S: number, extra: Partial<BlockDatasetPackerOptions> = {}): BlockDatasetPackerOptions => ({
  seqLength: S,
  eos: EOS,
  cls: CLS,
  isSentenceEnd,
  seed: 11,
  ...extra,
});

/** The pieces `[ENC] …` of a sample, each with the document it comes from and its first position. */
function pieces(text: Int32Array): { at: number; tokens: number[] }[] {
  const out: { at: number; tokens: number[] }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === CLS) out.push({ at: i, tokens: [] });
    else out[out.length - 1]!.tokens.push(text[i]!);
  }
  return out;
}

describe("BlockDatasetPacker", () => {
  it("builds [ENC] doc [eos] [ENC] doc [eos] … from whole documents and stops at S", () => {
    const corpus = namedCorpus([3]);
    const sample = new BlockDatasetPacker(corpus, base(10)).next()!;
    const d = (j: number) => BASE + j;
    expect(Array.from(sample.text)).toEqual([CLS, d(0), d(1), d(2), EOS, CLS, d(0), d(1), d(2), EOS]);
    expect(Array.from(sample.lossMask)).toEqual([0, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
    // Room 2 with no sentence end: right_strip_seq keeps only the [ENC] (1 is not < floor(2/2)).
    expect(Array.from(new BlockDatasetPacker(corpus, base(7)).next()!.text)).toEqual([CLS, d(0), d(1), d(2), EOS, CLS]);
    // A document of exactly S − 2 tokens is a whole sample on its own.
    expect(Array.from(new BlockDatasetPacker(namedCorpus([8]), base(10)).next()!.text)).toEqual([CLS, ...Array.from({ length: 8 }, (_, j) => d(j)), EOS]);
  });

  it("keeps the original's layout rules on a mixed corpus (every sample checked)", () => {
    const lengths = mixedLengths(80, 3);
    const corpus = namedCorpus(lengths);
    const S = 128;
    const packer = new BlockDatasetPacker(corpus, base(S));
    const errors: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && errors.length < 10) errors.push(what);
    };
    let windows = 0;
    let sentenceCuts = 0;
    let hardCuts = 0;
    let loneEnc = 0;
    for (let n = 0; n < 1000; n++) {
      const { text, lossMask } = packer.next()!;
      const where = `sample ${n}: ${Array.from(text).join(" ")}`;
      check(text.length <= S, `${where}: longer than S`);
      check(text[0] === CLS, `${where}: does not start with [ENC]`);
      for (let i = 0; i < text.length; i++) check(lossMask[i] === (text[i] === CLS ? 0 : 1), `${where}: loss mask at ${i}`);
      const ps = pieces(text);
      for (const [k, p] of ps.entries()) {
        const isLast = k === ps.length - 1;
        // Documents are separated by eos + [ENC]: every piece but the last ends with its eos.
        if (!isLast) check(p.tokens[p.tokens.length - 1] === EOS, `${where}: piece ${k} does not end with eos`);
        check(p.tokens.indexOf(EOS) === (p.tokens.includes(EOS) ? p.tokens.length - 1 : -1), `${where}: eos inside piece ${k}`);
        const textTokens = p.tokens.filter((t) => t !== EOS);
        if (textTokens.length === 0) {
          // right_strip_seq can keep just the [ENC] of a last document (room 2, no sentence end).
          check(isLast && p.tokens.length === 0 && S - p.at <= 3, `${where}: empty piece ${k}`);
          loneEnc++;
          continue;
        }
        const doc = docOf(textTokens[0]!);
        const start = posOf(textTokens[0]!);
        const L = lengths[doc]!;
        check(L > 0, `${where}: an empty document was drawn`);
        // A contiguous run of one document.
        textTokens.forEach((t, j) => check(t === BASE + doc * STRIDE + start + j, `${where}: piece ${k} is not contiguous`));
        if (k === 0 && L + 2 > S) {
          // A first document that does not fit gives a window, and it is the sample's only piece.
          check(ps.length === 1, `${where}: a window with more pieces`);
          windows++;
          // Moved to just after a sentence end (one is never more than 7 < S/2 tokens away).
          if (start > 0 && doc % 5 !== 0) check(isSentenceEnd(BASE + doc * STRIDE + start - 1), `${where}: window starts mid-sentence`);
        } else {
          // Otherwise every piece is a document from its start (a long one appended last is cut).
          check(start === 0, `${where}: piece ${k} does not start at its document's start`);
        }
        const full = 1 + (L - start) + 1; // [ENC] + rest + eos
        const kept = 1 + p.tokens.length;
        if (!isLast) check(kept === full, `${where}: piece ${k} cut but not last`);
        if (kept < full) {
          // Right cut: the latest sentence end within the room when that keeps ≥ room/2, else hard.
          const room = S - p.at;
          const tokenAt = (q: number) => (q === 0 ? CLS : start + q - 1 === L ? EOS : BASE + doc * STRIDE + start + q - 1);
          let latest = -1;
          for (let q = 1; q < room && q < full; q++) if (isSentenceEnd(tokenAt(q))) latest = q;
          if (latest >= 0 && latest + 1 >= Math.floor(room / 2)) {
            check(kept === latest + 1, `${where}: not cut after the latest sentence end (${latest})`);
            sentenceCuts++;
          } else {
            check(kept === room, `${where}: not a hard cut at the room (${room})`);
            hardCuts++;
          }
        }
      }
    }
    expect(errors).toEqual([]);
    // The corpus exercises every branch.
    expect(windows).toBeGreaterThan(100);
    expect(sentenceCuts).toBeGreaterThan(100);
    expect(hardCuts).toBeGreaterThan(20);
    expect(loneEnc).toBeGreaterThan(0);
  });

  it("starts a window right after a sentence end when one is within S/2 of the drawn start", () => {
    // One long document with sentence ends every 7 tokens: every window starts after one.
    const corpus = namedCorpus([0, 5000]);
    const packer = new BlockDatasetPacker(corpus, base(64));
    for (let n = 0; n < 300; n++) {
      const text = packer.next()!.text;
      const start = posOf(text[1]!);
      if (start > 0) expect(isSentenceEnd(BASE + STRIDE + start - 1)).toBe(true);
      // Cut after a sentence end too (one is always within the last 7 tokens of the room).
      const last = text[text.length - 1]!;
      expect(last === EOS || isSentenceEnd(last)).toBe(true);
    }
    // With nonSentenceStart = 1 the drawn start is kept: most starts are mid-sentence.
    const raw = new BlockDatasetPacker(corpus, base(64, { nonSentenceStart: 1 }));
    let midSentence = 0;
    for (let n = 0; n < 300; n++) {
      const start = posOf(raw.next()!.text[1]!);
      if (start > 0 && !isSentenceEnd(BASE + STRIDE + start - 1)) midSentence++;
    }
    expect(midSentence).toBeGreaterThan(200);
  });

  it("draws a window's start from [0, len − S] (len with the eos), as the original's randint(len − S + 1)", () => {
    // Documents without sentence ends and nonSentenceStart = 1: the drawn start is kept as is.
    const S = 64;
    for (const [length, starts] of [
      [S - 1, [0]], // len = S: the only start is 0, so the sample is [ENC] + the first S − 1 tokens (hard cut)
      [S, [0, 1]],
      [S + 5, [0, 1, 2, 3, 4, 5, 6]],
    ] as const) {
      const packer = new BlockDatasetPacker(namedCorpus([length]), base(S, { nonSentenceStart: 1 }));
      const seen = new Set<number>();
      for (let n = 0; n < 400; n++) {
        const text = packer.next()!.text;
        seen.add(posOf(text[1]!));
        expect(text.length, `document of ${length}`).toBe(S);
      }
      expect(
        [...seen].sort((a, b) => a - b),
        `document of ${length}`,
      ).toEqual(starts);
    }
  });

  it("draws documents in proportion to their token counts", () => {
    const lengths = [10, 20, 40, 0, 80];
    const corpus = namedCorpus(lengths);
    const packer = new BlockDatasetPacker(corpus, base(256, { seed: 5 }));
    const counts = lengths.map(() => 0);
    let pieceCount = 0;
    for (let n = 0; n < 1000; n++) {
      for (const p of pieces(packer.next()!.text)) {
        counts[docOf(p.tokens[0]!)]!++;
        pieceCount++;
      }
    }
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(counts[3]).toBe(0);
    for (const [d, L] of lengths.entries()) {
      // Thousands of draws: the binomial standard error is under 0.01; allow 0.03.
      expect(Math.abs(counts[d]! / pieceCount - L / total)).toBeLessThan(0.03);
    }
    expect(pieceCount).toBeGreaterThan(3000);
  });

  it("is deterministic for a seed, random-access by sample index, and different for another seed", () => {
    const corpus = namedCorpus(mixedLengths(50, 8));
    const run = (seed: number) => {
      const p = new BlockDatasetPacker(corpus, base(100, { seed }));
      return Array.from({ length: 40 }, () => Array.from(p.next()!.text));
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    const direct = new BlockDatasetPacker(corpus, base(100, { seed: 1 }));
    expect(Array.from(direct.sample(37).text)).toEqual(a[37]);
  });

  it("resumes exactly from a JSON state taken mid-stream", () => {
    const corpus = namedCorpus(mixedLengths(50, 9));
    const packer = new BlockDatasetPacker(corpus, base(100));
    for (let n = 0; n < 23; n++) packer.next();
    const state = JSON.parse(JSON.stringify(packer.state()));
    expect(state).toEqual({ kind: "block", nextSample: 23, documents: 50, tokens: corpus.tokens.length });
    const rest = Array.from({ length: 30 }, () => Array.from(packer.next()!.text));
    const resumed = new BlockDatasetPacker(corpus, base(100), state);
    expect(Array.from({ length: 30 }, () => Array.from(resumed.next()!.text))).toEqual(rest);
    // Resuming on another corpus is refused.
    expect(() => new BlockDatasetPacker(namedCorpus(mixedLengths(51, 9)), base(100), state)).toThrow(/saved on a corpus of 50 documents/);
    expect(thrownCode(() => new BlockDatasetPacker(namedCorpus(mixedLengths(51, 9)), base(100), state))).toBe("STATE_INVALID");
  });

  it("shards sample indices disjointly, ends after `samples`, and reuses a ring of buffers", () => {
    const corpus = namedCorpus(mixedLengths(40, 4));
    const single = new BlockDatasetPacker(corpus, base(90));
    const readers = [0, 1, 2].map((index) => new BlockDatasetPacker(corpus, base(90, { shard: { index, count: 3 }, samples: 5, ring: 3 })));
    for (let k = 0; k < 5; k++) {
      for (const [index, r] of readers.entries()) expect(Array.from(r.next()!.text)).toEqual(Array.from(single.sample(3 * k + index).text));
    }
    for (const r of readers) expect(r.next()).toBeUndefined();
  });

  it("rejects an empty corpus and bad options", () => {
    expect(() => new BlockDatasetPacker(namedCorpus([0, 0]), base(64))).toThrow(/no tokens/);
    expect(() => new BlockDatasetPacker(namedCorpus([5]), base(3))).toThrow(/seqLength/);
    expect(() => new BlockDatasetPacker(namedCorpus([5]), base(64, { shard: { index: 2, count: 2 } }))).toThrow(/shard/);
    expect(() => new BlockDatasetPacker({ tokens: new Int32Array(3), offsets: Float64Array.of(0, 2) }, base(64))).toThrow(/last offset/);
  });
});
