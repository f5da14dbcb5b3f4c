// trainTokenizer: learn a new WordPiece or byte-level BPE vocabulary from a text stream, with
// GLM's command tokens reserved (their strings never become ordinary tokens, and the target
// size counts their ids), giving a tokenizer laid out like the released BERT / GPT-2 ones.
// The result has exactly `vocabSize` ids; a corpus that cannot yield that many is an error that
// says how many it yields and why.
import { GlmjsError } from "@glmjs/common";
import { BYTE_TO_CHAR } from "../bpe/byte-map.js";
import { forEachPreToken } from "../bpe/for-each-pre-token.js";
import { encodeUtf8 } from "../bpe/utf8.js";
import { buildCommandTokens, type CommandVariant } from "../glm/command-tokens.js";
import type { GLMTokenizer } from "../glm/glm-tokenizer.js";
import { splitOnCommands } from "../glm/split-on-commands.js";
import { bpeTokenizer, wordPieceTokenizer } from "../io/build.js";
import { TokenizerTrainingError } from "../errors.js";
import { BertBasicTokenizer } from "../wordpiece/basic-tokenizer.js";
import { learnMerges, type Learned } from "./learn-merges.js";
import { chunks, WordCounts, type TextSource } from "./word-counts.js";

export interface TrainOptions {
  type: "wordpiece" | "bpe";
  /** Ids in use after training, command tokens included (the tokenizer's `vocabSize`). */
  vocabSize: number;
  /** Pairs (BPE) / characters (WordPiece alphabet) seen fewer times are not learned. Default 2. */
  minFrequency?: number;
  /** Distinct words kept while counting (bounded memory). Default 1,000,000. */
  maxWords?: number;
  variant?: CommandVariant;
  /** WordPiece only: lower-case and strip accents (uncased BERT). Default true. */
  lowerCase?: boolean;
}

const BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const EOT = "<|endoftext|>";

export async function trainTokenizer(source: TextSource, options: TrainOptions): Promise<GLMTokenizer> {
  if (options.type !== "wordpiece" && options.type !== "bpe")
    throw new GlmjsError("OPTION_INVALID", `trainTokenizer: type must be "wordpiece" or "bpe", got ${JSON.stringify(options.type)}`);
  if (!Number.isInteger(options.vocabSize) || options.vocabSize <= 0)
    throw new GlmjsError("OPTION_INVALID", `trainTokenizer: vocabSize must be a positive integer, got ${options.vocabSize}`);
  const minFrequency = options.minFrequency ?? 2;
  if (!Number.isInteger(minFrequency) || minFrequency < 1)
    throw new GlmjsError("OPTION_INVALID", `trainTokenizer: minFrequency must be a positive integer, got ${options.minFrequency}`);
  const family = options.type === "wordpiece" ? "bert" : "gpt2";
  // Command tokens that take ids after the text vocabulary, and their strings (cut out of the corpus).
  const probe = buildCommandTokens(family, 0, () => 0, { variant: options.variant });
  const extraIds = probe.numTokens;
  const textVocab = options.vocabSize - extraIds;
  const commandTokens = probe.tokens.map((t) => ({ ...t }));

  const counts = new WordCounts(options.maxWords);
  const pre = options.type === "wordpiece" ? new BertBasicTokenizer(options.lowerCase ?? true) : null;
  for await (const text of chunks(source)) {
    for (const seg of splitOnCommands(text, commandTokens)) {
      if (seg.command) continue;
      const part = text.slice(seg.start, seg.end);
      if (pre) pre.words(part, (w) => counts.add(w));
      else forEachPreToken(part, 0, part.length, (s, e) => counts.add(part.slice(s, e)));
    }
  }
  /** The error for a corpus that yields `got` ids where `vocabSize` were asked. */
  const tooSmall = (got: number, why: string, frequencyBound: boolean): Error =>
    new TokenizerTrainingError(options.vocabSize, got, why, frequencyBound, minFrequency);
  const reason = (learned: Learned, what: string): string =>
    counts.counts.size === 0
      ? "it holds no text"
      : learned.shortBecause === "min frequency"
        ? `after ${learned.created.length} new ${what}, no adjacent pair occurs ${minFrequency} or more times`
        : `after ${learned.created.length} new ${what}, every one of its ${counts.counts.size} distinct words is a single token`;

  if (options.type === "bpe") {
    const alphabet = BYTE_TO_CHAR.slice();
    const reserved = alphabet.length + 1; // + <|endoftext|>
    if (textVocab < reserved)
      throw new GlmjsError(
        "OPTION_INVALID",
        `trainTokenizer: vocabSize ${options.vocabSize} is too small; byte-level BPE needs at least ${reserved + extraIds} (256 bytes, ${EOT}, ${extraIds} command tokens)`,
      );
    let buf: Uint8Array = new Uint8Array(64);
    const words = [...counts.counts].map(([w, count]) => {
      const [b, n] = encodeUtf8(w, 0, w.length, buf);
      buf = b;
      const symbols: string[] = [];
      for (let i = 0; i < n; i++) symbols.push(BYTE_TO_CHAR[b[i]!]!);
      return { symbols, count };
    });
    const learned = learnMerges({ words, newSymbols: textVocab - reserved, existing: new Set([...alphabet, EOT]), minFrequency, join: (a, b) => a + b });
    if (learned.shortBecause) throw tooSmall(reserved + learned.created.length + extraIds, reason(learned, "tokens"), learned.shortBecause === "min frequency");
    const vocab = new Map<string, number>();
    for (const s of alphabet) vocab.set(s, vocab.size);
    for (const s of learned.created) vocab.set(s, vocab.size);
    vocab.set(EOT, vocab.size);
    const merges = learned.merges;
    return bpeTokenizer(vocab, merges, { vocabFile: "trained vocab", mergesFile: "trained merges" }, { family: "gpt2", variant: options.variant });
  }

  // WordPiece: BPE over characters where non-initial characters carry the ## prefix.
  const charCount = new Map<string, number>();
  const words = [...counts.counts]
    .filter(([w]) => [...w].length <= 100)
    .map(([w, count]) => {
      const symbols = [...w].map((ch, i) => (i === 0 ? ch : "##" + ch));
      for (const s of symbols) charCount.set(s, (charCount.get(s) ?? 0) + count);
      return { symbols, count };
    });
  const room = textVocab - BERT_SPECIALS.length;
  if (room <= 0)
    throw new GlmjsError(
      "OPTION_INVALID",
      `trainTokenizer: vocabSize ${options.vocabSize} is too small for WordPiece; it needs more than ${BERT_SPECIALS.length + extraIds} (${BERT_SPECIALS.length} specials, ${extraIds} command tokens)`,
    );
  const alphabet = [...charCount]
    .filter(([, c]) => c >= minFrequency)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, room)
    .map(([s]) => s);
  const known = new Set(alphabet);
  // Words with a character outside the kept alphabet would only ever be [UNK]: leave them out.
  const trainable = words.filter((w) => w.symbols.every((s) => known.has(s)));
  const learned = learnMerges({
    words: trainable,
    newSymbols: room - alphabet.length,
    existing: new Set([...BERT_SPECIALS, ...alphabet]),
    minFrequency,
    join: (a, b) => a + (b.startsWith("##") ? b.slice(2) : b),
  });
  if (learned.shortBecause) {
    const got = BERT_SPECIALS.length + alphabet.length + learned.created.length + extraIds;
    if (alphabet.length === 0)
      throw tooSmall(got, counts.counts.size === 0 ? "it holds no text" : `no character occurs ${minFrequency} or more times`, counts.counts.size > 0);
    throw tooSmall(got, reason(learned, "word pieces"), learned.shortBecause === "min frequency");
  }
  const vocab = [...BERT_SPECIALS, ...alphabet, ...learned.created];
  return wordPieceTokenizer(vocab, "trained vocab", { family: "bert", variant: options.variant }, { lowerCase: options.lowerCase ?? true });
}
