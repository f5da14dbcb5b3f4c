// TrainStorage on the local file system. Atomic writes go to a temporary file in the same folder
// that is fsynced and renamed over the target (rename is atomic on POSIX file systems), so a
// crash or SIGKILL mid-write leaves the previous file intact.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { cleanStaleTemps } from "./stale-temps.js";
import type { TrainStorage } from "./storage.js";

export class NodeStorage implements TrainStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private abs(path: string): string {
    const p = resolve(this.root, path);
    if (p !== this.root && !p.startsWith(this.root + "/")) throw new Error(`NodeStorage: path "${path}" leaves the run folder ${this.root}`);
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
    const temp = join(dirname(target), `.${randomBytes(6).toString("hex")}.tmp`);
    const fh = await open(temp, "w");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
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
  async removeStaleTemporaries(dir: string): Promise<string[]> {
    return cleanStaleTemps(this.abs(dir));
  }
}
