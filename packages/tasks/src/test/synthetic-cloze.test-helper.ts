// A small separable classification task for fine-tuning tests: each "sentence" is a few filler
// words with one cue word; the cue's polarity is the label. A model has to look from the blank
// to the cue, which a tiny GLM learns in a few dozen steps (real sentiment data needs a
// pretrained model or far more steps than a unit test can spend).
import { Rng } from "@glmjs/data";
import { type GLMTokenizer, trainTokenizer } from "@glmjs/tokenizer";

const FILLER = [
  "the",
  "film",
  "story",
  "was",
  "with",
  "a",
  "and",
  "its",
  "cast",
  "plot",
  "music",
  "scene",
  "of",
  "in",
  "this",
  "ending",
  "some",
  "very",
  "quite",
  "long",
];
export const POSITIVE_CUES = ["good", "fine", "lovely", "superb"];
export const NEGATIVE_CUES = ["bad", "poor", "dull", "awful"];

export function syntheticSentiment(count: number, seed: number): { sentence: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const positive = rng.below(2) === 1;
    const words = Array.from({ length: 1 + rng.below(3) }, () => FILLER[rng.below(FILLER.length)]!);
    const cues = positive ? POSITIVE_CUES : NEGATIVE_CUES;
    words.splice(rng.below(words.length + 1), 0, cues[rng.below(cues.length)]!);
    return { sentence: words.join(" ") + " .", label: positive ? "1" : "0" };
  });
}

/** A WordPiece tokenizer holding every word of the task, the pattern and the label words. */
export function syntheticTokenizer(): Promise<GLMTokenizer> {
  const words = [...FILLER, ...POSITIVE_CUES, ...NEGATIVE_CUES, "it", "great", "terrible", "."];
  // 137: every id this corpus yields (each word a single token).
  return trainTokenizer([words.join(" ").repeat(3), "rather dreadful"], { type: "wordpiece", vocabSize: 137, minFrequency: 1 });
}

/** A GLM config for the synthetic task: small, but with enough heads to find the cue reliably. */
export function syntheticConfig(vocabSize: number) {
  return { num_layers: 2, hidden_size: 64, num_attention_heads: 4, vocab_size: vocabSize, max_sequence_length: 32 };
}
