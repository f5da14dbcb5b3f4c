// Atomic file writes: readers see the old content or the new, never a mix, and a crash leaves at
// most a temporary file that cleanStaleTemps() recognises by its name. Node built-ins are loaded
// through importNode so that browser-safe modules may import this file without bundling node:fs.

import { GlmjsError } from "../errors.js";
import { importNode } from "../node-import.js";

/**
 * Names of temporary files: `.<target name>.<12 hex digits>.tmp` (the target part may be absent),
 * and `<target name>.<pid>.<ms>[.<n>].tmp`, what glmjs's model and tokenizer writers used before
 * this helper existed (so a run folder from an older version is cleaned too).
 */
export const ATOMIC_TEMP_PATTERN = /^\.(?:.+\.)?[0-9a-f]{12}\.tmp$|^[^/]+\.\d+\.\d+(?:\.\d+)?\.tmp$/;

/** Whether a file name (not a path) is a temporary file of {@link writeFileAtomic}. */
export function isAtomicWriteTemp(fileName: string): boolean {
  return ATOMIC_TEMP_PATTERN.test(fileName);
}

function randomHex12(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes `data` to `filePath` atomically: into a new temporary file in the same folder, flushed
 * to disk (fsync), renamed over the target, then the folder flushed so the rename survives a
 * power loss (where the platform can open folders). On failure the temporary file is removed and
 * an existing target is left untouched. The folder must exist. `data` may be a list of parts,
 * written one after another (a file larger than one JavaScript array, without joining them).
 */
export async function writeFileAtomic(filePath: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const fs = await importNode("node:fs/promises", "writeFileAtomic");
  const path = await importNode("node:path", "writeFileAtomic");
  const dir = path.dirname(filePath);
  // Keep the temp name within the 255-byte limit of common file systems.
  const temp = path.join(dir, `.${path.basename(filePath).slice(0, 200)}.${randomHex12()}.tmp`);
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await fs.open(temp, "wx");
    if (Array.isArray(data)) {
      for (const part of data as readonly Uint8Array[]) await writeAll(handle, part);
    } else {
      await handle.writeFile(data as Uint8Array | string);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, filePath);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  const dirHandle = await fs.open(dir, "r").catch(() => undefined);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close().catch(() => undefined);
}

/** Writes every byte of `part` (one write call is limited to 2 GiB, and may write less). */
async function writeAll(
  handle: { write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }> },
  part: Uint8Array,
): Promise<void> {
  if (!(part instanceof Uint8Array)) throw new GlmjsError("INPUT_INVALID", `writeFileAtomic: every part must be a Uint8Array, got ${typeof part}`);
  for (let at = 0; at < part.byteLength;) {
    const { bytesWritten } = await handle.write(part, at, Math.min(part.byteLength - at, 1 << 30));
    at += bytesWritten;
  }
}

export interface CleanStaleTempsOptions {
  /** Also look in sub-folders. Default false. */
  recursive?: boolean;
}

/**
 * Removes the temporary files {@link writeFileAtomic} leaves when a process is killed mid-write
 * (and only those: names matching {@link ATOMIC_TEMP_PATTERN}). Call it on a folder this process
 * owns, before writing into it again (e.g. when a run resumes): a temporary file of a write in
 * progress elsewhere would be removed too. Returns the removed paths; a missing folder is no error.
 */
export async function cleanStaleTemps(dir: string, options: CleanStaleTempsOptions = {}): Promise<string[]> {
  const fs = await importNode("node:fs/promises", "cleanStaleTemps");
  const path = await importNode("node:path", "cleanStaleTemps");
  const removed: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT" || err.code === "ENOTDIR") return [];
      throw err;
    });
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isFile() && isAtomicWriteTemp(entry.name)) {
        await fs.rm(full, { force: true });
        removed.push(full);
      } else if (options.recursive && entry.isDirectory()) {
        await visit(full);
      }
    }
  };
  await visit(dir);
  return removed.sort();
}
