// Parsers for the plain vocabulary formats, with errors that name the file and the line.
import { TokenizerFileError } from "../errors.js";

/** BERT `vocab.txt`: one token per line, id = line number (the original strips each line). */
export function parseVocabTxt(text: string, file = "vocab.txt"): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new TokenizerFileError(file, "is empty; expected one WordPiece token per line");
  if (text.includes("\u0000")) throw new TokenizerFileError(file, "contains NUL bytes; it is not a text vocabulary");
  return lines.map((l) => l.trim());
}

/** `vocab.json`: a JSON object token → id. */
export function parseVocabJson(text: string, file = "vocab.json"): Map<string, number> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new TokenizerFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new TokenizerFileError(file, "must be a JSON object mapping each token to its id");
  return vocabFromObject(obj as Record<string, unknown>, file);
}

export function vocabFromObject(obj: Record<string, unknown>, file: string): Map<string, number> {
  const vocab = new Map<string, number>();
  const seen = new Map<number, string>();
  for (const [token, id] of Object.entries(obj)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0)
      throw new TokenizerFileError(file, `token ${JSON.stringify(token)} has id ${JSON.stringify(id)}; ids must be non-negative integers`);
    const other = seen.get(id);
    if (other !== undefined) throw new TokenizerFileError(file, `id ${id} is used by both ${JSON.stringify(other)} and ${JSON.stringify(token)}`);
    seen.set(id, token);
    vocab.set(token, id);
  }
  if (vocab.size === 0) throw new TokenizerFileError(file, "has no tokens");
  return vocab;
}

/** `merges.txt`: an optional `#version` header, then one `left right` pair per line (rank = order). */
export function parseMerges(text: string, file = "merges.txt"): [string, string][] {
  const lines = text.split(/\r?\n/);
  const merges: [string, string][] = [];
  lines.forEach((line, i) => {
    if (i === 0 && line.startsWith("#version")) return;
    if (line === "") return;
    const parts = line.split(" ");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "")
      throw new TokenizerFileError(file, `line ${i + 1} ${JSON.stringify(line.slice(0, 60))} is not a merge rule "left right"`);
    merges.push([parts[0]!, parts[1]!]);
  });
  if (merges.length === 0) throw new TokenizerFileError(file, "has no merge rules");
  return merges;
}
