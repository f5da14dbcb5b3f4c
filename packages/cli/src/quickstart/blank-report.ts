// What the quickstart shows at the end: held-out sentences with their blank filled (greedy) and the
// five best single tokens for it, and over many such blanks how often the masked word is the
// model's first candidate or among its five best, against a guess from word frequencies alone
// (the five most frequent words of the training text, whatever the context).
import type { GLMModel } from "@glmjs/core";
import { fill, topCandidates, type TokenCandidate } from "@glmjs/tasks";
import type { Tokenizer } from "@glmjs/tokenizer";
import { isMaskableWord, type HeldOutBlank } from "./blanks.js";

export interface BlankScore {
  blank: HeldOutBlank;
  /** The `k` most probable single tokens, whatever they are. */
  candidates: TokenCandidate[];
  /** 1-based rank of the masked word among `candidates`, 0 when it is not among them. */
  rank: number;
  /**
   * 1-based rank of the masked word among the model's candidates that are words of the kind masked
   * (lower-case; punctuation and the like skipped), within its 50 best tokens; 0 when not there.
   * The frequency guess is told the blank holds such a word, so this is the rank to compare with it.
   */
  wordRank: number;
}

/** Tokens looked at for `wordRank`. */
const WORD_SEARCH = 50;

/** The `k` best single tokens of each blank, and the masked word's rank among them and among the words. */
export async function scoreBlanks(model: GLMModel, tokenizer: Tokenizer, blanks: readonly HeldOutBlank[], k = 5): Promise<BlankScore[]> {
  const scores: BlankScore[] = [];
  for (const blank of blanks) {
    const [first] = await topCandidates(model, tokenizer, blank.masked, Math.max(k, WORD_SEARCH));
    const all = first?.candidates ?? [];
    const candidates = all.slice(0, k);
    const words = all.filter((c) => isMaskableWord((c.text ?? "").trim()));
    scores.push({
      blank,
      candidates,
      rank: candidates.findIndex((c) => c.id === blank.answerId) + 1,
      wordRank: words.findIndex((c) => c.id === blank.answerId) + 1,
    });
  }
  return scores;
}

/**
 * The frequency guess: the `k` most frequent tokens of the training text among those a blank may
 * hold (lower-case words: it is told what kind of word was masked, which the model is not).
 */
export function frequencyGuess(trainIds: readonly Int32Array[], tokenizer: Tokenizer, k = 5): number[] {
  const counts = new Map<number, number>();
  for (const doc of trainIds) for (const id of doc) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts]
    .filter(([id]) => isMaskableWord(tokenizer.idToToken(id) ?? ""))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([id]) => id);
}

export interface BlankAccuracy {
  count: number;
  /** Shares of blanks whose word is the model's first / among its five best words (wordRank). */
  top1: number;
  top5: number;
  guessTop1: number;
  guessTop5: number;
}

export function blankAccuracy(scores: readonly BlankScore[], guess: readonly number[]): BlankAccuracy {
  const n = scores.length;
  const share = (f: (s: BlankScore) => boolean) => (n ? scores.filter(f).length / n : NaN);
  return {
    count: n,
    top1: share((s) => s.wordRank === 1),
    top5: share((s) => s.wordRank >= 1 && s.wordRank <= 5),
    guessTop1: share((s) => s.blank.answerId === guess[0]),
    guessTop5: share((s) => guess.includes(s.blank.answerId)),
  };
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Lines showing one blank: the sentence, the model's fill, the masked word and the candidates. */
export async function showBlank(model: GLMModel, tokenizer: Tokenizer, score: BlankScore, index: number): Promise<string[]> {
  // The blank held a word, so at least one token: a young model's most probable first token is
  // often the end of the blank, which would show an empty fill and say nothing of what it learnt.
  const filled = await fill(model, tokenizer, score.blank.masked, { maxNewTokens: 6, minNewTokens: 1 });
  const fillText = filled.blanks[0]?.text.trim() ?? "";
  const candidates = score.candidates.map((c) => `${(c.text ?? String(c.id)).trim()} ${percent(c.probability)}`).join(" · ");
  return [
    `${index}. ${score.blank.masked}   [${score.blank.source}]`,
    `   filled:     ${fillText === "" ? "(nothing)" : `"${fillText}"`}   (the text has "${score.blank.answer}"${score.rank ? `, the model's candidate no. ${score.rank}` : ""})`,
    `   candidates: ${candidates}`,
  ];
}

export function accuracyLines(a: BlankAccuracy): string[] {
  return [
    `On ${a.count} held-out sentences with one word masked, the masked word is the model's first word for the blank in ${percent(a.top1)}`,
    `and among its five best words in ${percent(a.top5)}; guessing the five most frequent words of the training text gives ${percent(a.guessTop1)} and ${percent(a.guessTop5)}.`,
  ];
}
