// Reads a LAMBADA file from disk (Node).
import { GlmjsError } from "@glmjs/common";
import { readFile } from "node:fs/promises";
import { parseLambada } from "./lambada.js";

/** The passages of a LAMBADA file (plain text, one passage per line, or JSON lines with "text"). */
export async function readLambada(path: string): Promise<string[]> {
  const content = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new GlmjsError(e.code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE", `readLambada: cannot read ${path} (${e.code ?? e.message})`, { cause: e });
  });
  const passages = parseLambada(content);
  if (passages.length === 0) throw new GlmjsError("DATASET_INVALID", `readLambada: ${path} holds no passage`);
  return passages;
}
