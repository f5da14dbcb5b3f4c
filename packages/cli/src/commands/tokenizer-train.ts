// `glm tokenizer train`: learn a WordPiece or byte-level BPE vocabulary from corpus files
// (streamed line by line) with GLM's command tokens reserved, and write it to a folder as
// tokenizer.json plus the classic files (vocab.txt, or vocab.json + merges.txt). The result has
// exactly --vocab-size ids; a corpus that cannot yield that many fails before anything is written.
import { GlmjsError } from "@glmjs/common";
import { createReadStream } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@glmjs/common/node";
import type { Command } from "commander";
import { trainTokenizer, TokenizerTrainingError } from "@glmjs/tokenizer";
import { textLines } from "../text-lines.js";

interface TrainCliOptions {
  corpus: string[];
  type: string;
  vocabSize: string;
  out: string;
  minFrequency: string;
}

async function* corpusLines(files: string[]): AsyncGenerator<string> {
  for (const f of files) yield* textLines(createReadStream(f));
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
      if (opts.type !== "wordpiece" && opts.type !== "bpe") throw new GlmjsError("OPTION_INVALID", `--type must be wordpiece or bpe, got ${opts.type}`);
      const vocabSize = Number(opts.vocabSize);
      if (!Number.isInteger(vocabSize) || vocabSize <= 0)
        throw new GlmjsError("OPTION_INVALID", `--vocab-size must be a positive integer, got ${opts.vocabSize}`);
      const minFrequency = Number(opts.minFrequency);
      if (!Number.isInteger(minFrequency) || minFrequency < 1)
        throw new GlmjsError("OPTION_INVALID", `--min-frequency must be a positive integer, got ${opts.minFrequency}`);
      for (const f of opts.corpus) await access(f).catch(() => Promise.reject(new GlmjsError("FILE_NOT_FOUND", `--corpus ${f}: no such readable file`)));
      let tok;
      try {
        tok = await trainTokenizer(corpusLines(opts.corpus), { type: opts.type, vocabSize, minFrequency });
      } catch (e) {
        if (!(e instanceof TokenizerTrainingError)) throw e;
        throw new GlmjsError(
          e.code,
          `--vocab-size ${vocabSize} is more than --corpus ${opts.corpus.join(" ")} yields (${e.yielded} ids): ${e.reason}. ` +
            `Give more text${e.minFrequencyBound ? ` or a lower --min-frequency (now ${minFrequency})` : ""}, or --vocab-size ${e.yielded} or less.`,
          { cause: e },
        );
      }
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
      process.stdout.write(
        JSON.stringify({ out: opts.out, type: opts.type, vocabSize: tok.vocabSize, paddedVocabSize: tok.paddedVocabSize, special: tok.special }) + "\n",
      );
    });
}
