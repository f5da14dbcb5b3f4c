// The tokenizer of a training run: the one saved in the run folder when resuming, else a given
// file loaded or a new one trained on the training split, saved as tokenizer.json in the folder.
import { GlmjsError } from "@glmjs/common";
import { join } from "node:path";
import { loadTokenizer, trainTokenizer, type Tokenizer } from "@glmjs/tokenizer";

export interface TokenizerChoice {
  /** A tokenizer file or folder to load. */
  tokenizer?: string;
  /** Train a tokenizer of this vocabulary size instead. */
  trainTokenizer?: number;
  tokenizerType: "wordpiece" | "bpe";
}

export async function obtainTokenizer(
  o: TokenizerChoice,
  out: string,
  resuming: boolean,
  trainTexts: readonly string[],
  log: (l: string) => void,
): Promise<Tokenizer> {
  const saved = join(out, "tokenizer.json");
  if (resuming) {
    try {
      return await loadTokenizer(saved);
    } catch {
      // No tokenizer saved by the first run: fall through to the options (run.json says they repeat).
    }
  }
  let tokenizer: Tokenizer;
  if (o.tokenizer !== undefined) tokenizer = await loadTokenizer(o.tokenizer);
  else if (o.trainTokenizer !== undefined) {
    const t0 = performance.now();
    tokenizer = await trainTokenizer(trainTexts, { type: o.tokenizerType, vocabSize: o.trainTokenizer });
    log(`trained a tokenizer of ${tokenizer.vocabSize} tokens on the training split in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else throw new GlmjsError("OPTION_INVALID", "give --tokenizer <path> or --train-tokenizer <vocabulary size>");
  await tokenizer.save(saved);
  return tokenizer;
}
