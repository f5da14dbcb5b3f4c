// Small model folders for the task commands' tests: a randomly initialised tiny GLM with a
// WordPiece tokenizer trained on the given texts, saved as `glm pretrain` saves its model
// folder (the commands load it like any other), and task data files.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GLMModel } from "@glmjs/core";
import { trainTokenizer } from "@glmjs/tokenizer";

export async function writeTinyModel(
  dir: string,
  texts: string[],
  options: { seed?: number; maxSequenceLength?: number; vocabSize?: number } = {},
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const tokenizer = await trainTokenizer(texts, { type: "wordpiece", vocabSize: options.vocabSize ?? 300, minFrequency: 1 });
  const model = GLMModel.fromConfig(
    { num_layers: 2, hidden_size: 64, num_attention_heads: 4, vocab_size: tokenizer.paddedVocabSize, max_sequence_length: options.maxSequenceLength ?? 128 },
    { seed: options.seed ?? 1 },
  );
  await model.save(dir);
  await tokenizer.save(join(dir, "tokenizer.json"));
  model.dispose();
  return dir;
}

/** Sentences whose label is given away by one cue word (a bag of words learns them at once). */
export function cueSentences(count: number, seed: number): { sentence: string; label: string }[] {
  const filler = ["the", "film", "story", "was", "with", "a", "and", "its", "cast", "plot", "music"];
  const good = ["good", "lovely", "superb"];
  const bad = ["bad", "dull", "awful"];
  let s = seed;
  // The high bits: a power-of-two LCG's low bits cycle with short periods.
  const next = (n: number) => Math.floor((s = (s * 1103515245 + 12345) % 2147483648) / 65536) % n;
  return Array.from({ length: count }, () => {
    const positive = next(2) === 1;
    const words = Array.from({ length: 3 + next(3) }, () => filler[next(filler.length)]!);
    words.splice(next(words.length + 1), 0, (positive ? good : bad)[next(3)]!);
    return { sentence: words.join(" ") + " .", label: positive ? "1" : "0" };
  });
}

export function writeTsv(path: string, rows: { sentence: string; label: string }[]): string {
  writeFileSync(path, ["sentence\tlabel", ...rows.map((r) => `${r.sentence}\t${r.label}`)].join("\n") + "\n");
  return path;
}
