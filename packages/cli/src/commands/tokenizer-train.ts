// `glm tokenizer train`: learn a WordPiece or byte-level BPE vocabulary from corpus files
// (streamed line by line) with GLM's command tokens reserved, and write it to a folder as
// tokenizer.json plus the classic files (vocab.txt, or vocab.json + merges.txt).
import { createReadStream } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { writeFileAtomic } from "@glmjs/common/node";
import type { Command } from "commander";
import { trainTokenizer } from "@glmjs/tokenizer";

interface TrainCliOptions {
  corpus: string[];
  type: string;
  vocabSize: string;
  out: string;
  minFrequency: string;
}

async function* corpusLines(files: string[]): AsyncGenerator<string> {
  for (const f of files) {
    const rl = createInterface({ input: createReadStream(f, "utf8"), crlfDelay: Infinity });
    for await (const line of rl) yield line;
  }
}

export function registerTokenizerTrain(program: Command): void {
  const group = program.commands.find((c) => c.name() === "tokenizer") ?? program.command("tokenizer").description("tokenizer utilities");
  group
    .command("train")
    .description("train a WordPiece or byte-level BPE vocabulary with GLM's command tokens reserved")
    .requiredOption("--corpus <files...>", "UTF-8 text files, read line by line")
    .requiredOption("--type <type>", "wordpiece or bpe")
    .requiredOption("--vocab-size <n>", "ids in use after training, command tokens included")
    .requiredOption("--out <folder>", "where to write tokenizer.json and the vocabulary files")
    .option("--min-frequency <n>", "ignore pairs/characters seen fewer times", "2")
    .action(async (opts: TrainCliOptions) => {
      if (opts.type !== "wordpiece" && opts.type !== "bpe") throw new Error(`--type must be wordpiece or bpe, got ${opts.type}`);
      const vocabSize = Number(opts.vocabSize);
      if (!Number.isInteger(vocabSize) || vocabSize <= 0) throw new Error(`--vocab-size must be a positive integer, got ${opts.vocabSize}`);
      for (const f of opts.corpus) await access(f).catch(() => Promise.reject(new Error(`--corpus ${f}: no such readable file`)));
      const tok = await trainTokenizer(corpusLines(opts.corpus), { type: opts.type, vocabSize, minFrequency: Number(opts.minFrequency) });
      await mkdir(opts.out, { recursive: true });
      const doc = tok.toJSON() as { model: { vocab: Record<string, number>; merges?: string[] } };
      await writeFileAtomic(join(opts.out, "tokenizer.json"), JSON.stringify(doc));
      if (opts.type === "wordpiece") {
        const list: string[] = [];
        for (const [t, id] of Object.entries(doc.model.vocab)) list[id] = t;
        await writeFileAtomic(join(opts.out, "vocab.txt"), list.join("\n") + "\n");
      } else {
        await writeFileAtomic(join(opts.out, "vocab.json"), JSON.stringify(doc.model.vocab));
        await writeFileAtomic(join(opts.out, "merges.txt"), "#version: 0.2\n" + (doc.model.merges ?? []).join("\n") + "\n");
      }
      process.stdout.write(JSON.stringify({ out: opts.out, type: opts.type, vocabSize: tok.vocabSize, paddedVocabSize: tok.paddedVocabSize, special: tok.special }) + "\n");
    });
}
