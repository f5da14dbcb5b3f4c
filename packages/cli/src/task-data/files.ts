// Small file-system helpers for the task data flags.
import { GlmjsError } from "@glmjs/common";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export type PathKind = "file" | "folder" | "missing";

export async function pathKind(path: string): Promise<PathKind> {
  const s = await stat(path).catch(() => undefined);
  return !s ? "missing" : s.isDirectory() ? "folder" : "file";
}

/** The first of `names` that is a file in `dir`. */
export async function firstFile(dir: string, names: readonly string[]): Promise<string | undefined> {
  for (const n of names) if ((await pathKind(join(dir, n))) === "file") return join(dir, n);
  return undefined;
}

/** A JSON file, or undefined when it does not exist. */
export async function readJsonIfExists(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new GlmjsError("RUN_RECORD_INVALID", `${path} is not valid JSON (${(e as Error).message})`);
  }
}
