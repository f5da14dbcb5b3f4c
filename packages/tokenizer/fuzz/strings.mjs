// Seeded random strings for comparing tokenizers with their reference libraries: mixed scripts,
// emoji (ZWJ sequences, skin tones, flags), whitespace runs of every kind, control characters,
// compatibility characters that NFKC rewrites, and strings a tokenizer treats specially.
// Shared by the fuzz scripts in this folder and the seeded property tests.

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const range = (lo, hi) => (r) => String.fromCodePoint(lo + Math.floor(r() * (hi - lo + 1)));
const oneOf = (list) => (r) => list[Math.floor(r() * list.length)];
const words = ["the", "GLM", "model", "Hello", "world", "pretrained", "don't", "e.g.", "x86_64", "2023", "3.14", "naïve", "Café", "ﬁne", "ＧＬＭ"];

/** Kinds of fragments, each a function of the PRNG. */
const FRAGMENTS = [
  oneOf(words),
  range(0x61, 0x7a), // a-z
  range(0x41, 0x5a), // A-Z
  range(0x30, 0x39), // digits
  range(0x21, 0x2f), // ASCII punctuation
  range(0x3a, 0x40),
  oneOf([
    " ",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u3000",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0085",
    "\u2003",
    "\u000b",
    "\u000c",
  ]),
  range(0x4e00, 0x9fff), // CJK ideographs
  range(0x4e00, 0x4fff),
  oneOf(["，", "。", "！", "？", "：", "；", "（", "）", "“", "”", "《", "》", "、", "……", "——"]),
  range(0xff01, 0xff5e), // full-width ASCII
  range(0xff61, 0xff9f), // half-width katakana
  range(0x3041, 0x3096), // hiragana
  range(0x30a1, 0x30fa), // katakana
  range(0xac00, 0xd7a3), // Hangul syllables
  range(0x1100, 0x11ff), // Hangul jamo
  range(0x0410, 0x044f), // Cyrillic
  range(0x0391, 0x03c9), // Greek
  range(0x05d0, 0x05ea), // Hebrew
  range(0x0621, 0x064a), // Arabic
  range(0x0900, 0x097f), // Devanagari
  range(0x0e01, 0x0e5b), // Thai
  range(0x00c0, 0x00ff), // Latin-1 letters
  range(0x0300, 0x036f), // combining marks
  range(0x2460, 0x24ff), // circled / enclosed
  range(0x2150, 0x218b), // number forms (Ⅻ)
  range(0x2070, 0x209c), // super/subscripts
  range(0x1d400, 0x1d7ff), // mathematical alphanumerics (NFKC → ASCII)
  range(0x20000, 0x2a6df), // CJK extension B
  range(0x1f300, 0x1faff), // emoji
  oneOf(["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇩🇪", "❤️", "☺︎", "1️⃣", "🏳️‍🌈"]),
  range(0x0000, 0x001f), // C0 controls
  range(0x007f, 0x009f), // DEL, C1 controls
  range(0xe000, 0xe0ff), // private use
  oneOf(["\ufffd", "\u2581", "▁▁", "<n>", "<unk>", "<s>", "</s>", "[MASK]", "<|endoftext|>", "\u00ad", "\u2060", "\ufe0f"]),
];

/** One random string: 0 to `maxFragments` fragments, some repeated into runs. */
export function randomString(r, maxFragments = 24) {
  const n = Math.floor(r() * (maxFragments + 1));
  let s = "";
  for (let i = 0; i < n; i++) {
    const f = FRAGMENTS[Math.floor(r() * FRAGMENTS.length)](r);
    s += r() < 0.08 ? f.repeat(2 + Math.floor(r() * 12)) : f;
  }
  return s;
}

/** `count` strings from `seed`. */
export function randomStrings(seed, count, maxFragments = 24) {
  const r = rng(seed);
  return Array.from({ length: count }, () => randomString(r, maxFragments));
}
