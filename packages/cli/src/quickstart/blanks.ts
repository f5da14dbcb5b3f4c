// Held-out sentences with one blank each, for showing what the model learnt: sentences of moderate
// length from held-out documents, one word replaced by [MASK] — a lower-case word (not a name, not
// the first word, whose capital would give it away) that is a single token of the tokenizer, so its
// rank among the model's candidates can be read. The word is drawn at random, function words
// included: what a few minutes of training learn first is which words fit where.
import { Rng } from "@glmjs/data";

export interface HeldOutBlank {
  /** Where the sentence comes from (a document id or number). */
  source: string;
  /** The sentence as written. */
  sentence: string;
  /** The sentence with the chosen word replaced by [MASK]. */
  masked: string;
  /** The word that was masked, and its token id. */
  answer: string;
  answerId: number;
}

/** What blank selection needs of a tokenizer. */
export interface BlankTokenizer {
  encode(text: string): number[];
}

// A period after these ends an abbreviation, not a sentence.
const ABBREVIATION = /^(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Co|Corp|Inc|Ltd|Gen|Gov|Sen|Rep|Lt|Col|Capt|Prof|Rev|No|Vol|Ft|Mt|U\.S|etc|vs|v|e\.g|i\.e)\.$/;

/** A text's sentences: cut after . ! ? (and a closing quote or bracket) before a capital, not after an abbreviation. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    const words = paragraph
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    let current: string[] = [];
    words.forEach((word, i) => {
      current.push(word);
      const next = words[i + 1];
      const ends = /[.!?]["')\]]*$/.test(word) && !ABBREVIATION.test(word);
      if (next === undefined || (ends && /^["'(]*[A-Z]/.test(next))) {
        sentences.push(current.join(" "));
        current = [];
      }
    });
  }
  return sentences;
}

/** Whether a sentence reads well on its own: a capital first, an end mark last, 8–28 words, no brackets or digits-only clutter. */
function goodSentence(s: string, words: string[]): boolean {
  return (
    words.length >= 8 && words.length <= 28 && /^["']?[A-Z]/.test(s) && /[.!?]["']?$/.test(s) && !/[[\]{}()<>|_*=]/.test(s) && (s.match(/\d/g)?.length ?? 0) < 4
  );
}

/** A lower-case word (letters only, at least two of them). */
export function isMaskableWord(word: string): boolean {
  return /^[a-z]{2,}$/.test(word);
}

/**
 * Up to `count` blanks from the documents' sentences, in a seeded order that visits the documents
 * in turn (so the first few come from different documents). A sentence gives at most one blank.
 */
export function chooseBlanks(documents: readonly { source: string; text: string }[], tokenizer: BlankTokenizer, count: number, seed: number): HeldOutBlank[] {
  const rng = new Rng(seed);
  const perDocument = documents.map((d) => {
    const candidates: HeldOutBlank[] = [];
    for (const sentence of splitSentences(d.text)) {
      const words = sentence.split(" ");
      if (!goodSentence(sentence, words)) continue;
      // Words that may be masked (the first word is left alone: its capital would give it away).
      const options: number[] = [];
      for (let i = 1; i < words.length; i++) {
        const bare = words[i]!.replace(/[.,;:!?"']+$/, "");
        if (!isMaskableWord(bare)) continue;
        const ids = tokenizer.encode(" " + bare);
        if (ids.length === 1) options.push(i);
      }
      if (options.length === 0) continue;
      const i = options[rng.below(options.length)]!;
      const word = words[i]!;
      const bare = word.replace(/[.,;:!?"']+$/, "");
      const masked = [...words.slice(0, i), "[MASK]" + word.slice(bare.length), ...words.slice(i + 1)].join(" ");
      candidates.push({ source: d.source, sentence, masked, answer: bare, answerId: tokenizer.encode(" " + bare)[0]! });
    }
    rng.shuffle(candidates);
    return candidates;
  });
  const order = perDocument.filter((c) => c.length > 0);
  rng.shuffle(order);
  const out: HeldOutBlank[] = [];
  for (let round = 0; out.length < count; round++) {
    let any = false;
    for (const list of order) {
      if (round < list.length && out.length < count) {
        out.push(list[round]!);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}
