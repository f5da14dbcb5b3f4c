// TrainStorage on the local file system. Atomic writes use @glmjs/common's writeFileAtomic (a
// temporary file in the same folder, fsynced and renamed over the target), so a crash or SIGKILL
// mid-write leaves the previous file intact; cleanStaleTemps() removes what such a kill leaves.
import { GlmjsError } from "@glmjs/common";
import { cleanStaleTemps, writeFileAtomic } from "@glmjs/common/node";
import { appendFile, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { TrainStorage } from "./train-storage.js";

export class NodeStorage implements TrainStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private abs(path: string): string {
    const p = resolve(this.root, path);
    if (p !== this.root && !p.startsWith(this.root + "/"))
      throw new GlmjsError("PATH_OUTSIDE_RUN", `NodeStorage: path "${path}" leaves the run folder ${this.root}`);
    return p;
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(this.abs(path));
      return true;
    } catch {
      return false;
    }
  }
  async readText(path: string): Promise<string> {
    return readFile(this.abs(path), "utf8");
  }
  async readBytes(path: string): Promise<Uint8Array> {
    const b = await readFile(this.abs(path));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  async writeTextAtomic(path: string, text: string): Promise<void> {
    await this.writeBytesAtomic(path, new TextEncoder().encode(text));
  }
  async writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes);
  }
  async appendText(path: string, text: string): Promise<void> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    await appendFile(target, text, "utf8");
  }
  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(this.abs(dir))).filter((n) => !n.endsWith(".tmp")).sort();
    } catch {
      return [];
    }
  }
  async remove(path: string): Promise<void> {
    await rm(this.abs(path), { force: true });
  }
  /** Removes what an atomic write killed mid-way left in `dir` (names of @glmjs/common's temporaries); returns their names. */
  async removeStaleTemporaries(dir: string): Promise<string[]> {
    const removed = await cleanStaleTemps(this.abs(dir));
    return removed.map((p) => p.slice(p.lastIndexOf("/") + 1)).sort();
  }
}
