// Reads a LAMBADA file from disk (Node).
import { readFile } from "node:fs/promises";
import { parseLambada } from "./lambada.js";

/** The passages of a LAMBADA file (plain text, one passage per line, or JSON lines with "text"). */
export async function readLambada(path: string): Promise<string[]> {
  const content = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new Error(`readLambada: cannot read ${path} (${e.code ?? e.message})`);
  });
  const passages = parseLambada(content);
  if (passages.length === 0) throw new Error(`readLambada: ${path} holds no passage`);
  return passages;
}
