// Temporary files that an atomic write leaves behind when the process is killed between writing
// the temporary file and renaming it over the target: NodeStorage's `.<hex>.tmp`, and the
// `<name>.<pid>.<time>[.<n>].tmp` of the model and tokenizer writers. Node only.
// (The lead swaps this for @glmjs/common's cleanStaleTemps once that package lands.)
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const TEMP_NAME = /^\.[^/]*\.tmp$|^[^/]+\.\d+\.\d+(?:\.\d+)?\.tmp$/;

/** True for the names of glmjs's atomic-write temporaries. */
export function isStaleTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes the atomic-write temporaries directly inside `dir` (not recursively) and returns their
 * names; a missing folder has none. Only call it when no other process writes into `dir`.
 */
export async function cleanStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter(isStaleTempName).sort();
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}
