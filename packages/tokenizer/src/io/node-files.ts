// Node-only file access (read a tokenizer path, write tokenizer.json atomically). Loaded with a
// dynamic import so browser bundles of @glmjs/tokenizer never touch node:fs.
import { GlmjsError } from "@glmjs/common";
import { readdir, readFile, stat, mkdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "@glmjs/common/node";
import type { TokenizerFiles } from "./file-map.js";
import { isTokenizerFileName } from "./file-map.js";

/** Reads a tokenizer file or folder into a name → content map (bytes for `.model`). */
export async function readTokenizerFiles(path: string): Promise<{ files: TokenizerFiles; label: string }> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new GlmjsError("FILE_NOT_FOUND", `${path}: no such file or folder`);
  }
  const read = async (p: string): Promise<string | Uint8Array> => (p.endsWith(".model") ? new Uint8Array(await readFile(p)) : readFile(p, "utf8"));
  const files: TokenizerFiles = {};
  if (info.isDirectory()) {
    const names = await readdir(path);
    for (const name of names.filter(isTokenizerFileName)) files[name] = await read(join(path, name));
    // A SentencePiece model folder's config.json says which command-token ids it was trained with.
    if (names.some((n) => n.endsWith(".model")) && names.includes("config.json")) files["config.json"] = await read(join(path, "config.json"));
    return { files, label: path };
  }
  const name = basename(path);
  files[name] = await read(path);
  // vocab.json needs its merges file, which lives beside it.
  if (name.endsWith("vocab.json")) {
    const dir = dirname(path);
    for (const other of (await readdir(dir)).filter((n) => n.endsWith("merges.txt"))) files[other] = await read(join(dir, other));
  }
  return { files, label: path };
}

/** Writes tokenizer.json (into `path` when it is a folder or has no .json ending) atomically. */
export async function saveTokenizerJson(path: string, content: string): Promise<string> {
  let target = path;
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir || !path.endsWith(".json")) {
    await mkdir(path, { recursive: true });
    target = join(path, "tokenizer.json");
  } else await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(target, content);
  return target;
}
