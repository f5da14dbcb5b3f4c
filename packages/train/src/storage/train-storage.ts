// The trainer's only window on files. The loop talks to this interface, never to node:fs, so the
// same loop trains in a browser (memory, IndexedDB, OPFS) and in Node (node-storage.ts).
// Paths are relative, "/"-separated, inside the run folder.
import { GlmjsError } from "@glmjs/common";

export interface TrainStorage {
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string>;
  readBytes(path: string): Promise<Uint8Array>;
  /** Replaces the file as a whole: a reader sees the old content or the new one, never a mix. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void>;
  /** Appends to a log file (created when absent). */
  appendText(path: string, text: string): Promise<void>;
  /** Names directly inside a folder ("" is the run folder); empty when it does not exist. */
  list(dir: string): Promise<string[]>;
  remove(path: string): Promise<void>;
  /**
   * Optional: removes what interrupted atomic writes left directly inside `dir` (temporary files
   * never renamed into place) and returns their names. Storages without such files omit it.
   */
  removeStaleTemporaries?(dir: string): Promise<string[]>;
}

/** Keeps everything in memory: for tests and for browsers without persistent storage. */
export class MemoryStorage implements TrainStorage {
  readonly files = new Map<string, Uint8Array>();

  async exists(path: string): Promise<boolean> {
    return this.files.has(normalize(path));
  }
  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path));
  }
  async readBytes(path: string): Promise<Uint8Array> {
    const data = this.files.get(normalize(path));
    if (!data) throw new GlmjsError("FILE_NOT_FOUND", `MemoryStorage: no file "${path}"`);
    return data.slice();
  }
  async writeTextAtomic(path: string, text: string): Promise<void> {
    this.files.set(normalize(path), new TextEncoder().encode(text));
  }
  async writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
    this.files.set(normalize(path), bytes.slice());
  }
  async appendText(path: string, text: string): Promise<void> {
    const key = normalize(path);
    const add = new TextEncoder().encode(text);
    const old = this.files.get(key) ?? new Uint8Array(0);
    const joined = new Uint8Array(old.length + add.length);
    joined.set(old, 0);
    joined.set(add, old.length);
    this.files.set(key, joined);
  }
  async list(dir: string): Promise<string[]> {
    const prefix = normalize(dir) === "" ? "" : normalize(dir) + "/";
    const names = new Set<string>();
    for (const key of this.files.keys()) {
      if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split("/")[0]!);
    }
    return [...names].sort();
  }
  async remove(path: string): Promise<void> {
    this.files.delete(normalize(path));
  }
}

function normalize(path: string): string {
  return path
    .split("/")
    .filter((p) => p !== "" && p !== ".")
    .join("/");
}
