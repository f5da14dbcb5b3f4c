import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanStaleTemps, isAtomicWriteTemp, writeFileAtomic } from "./atomic-write.js";
import { GlmjsError } from "../errors.js";

/** The code of the GlmjsError `p` rejects with ("no error" / the message otherwise). */
async function rejectedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "glmjs-common-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("writes text and bytes, replacing an existing file, and leaves nothing else behind", async () => {
    const file = join(dir, "config.json");
    await writeFileAtomic(file, "first");
    expect(readFileSync(file, "utf8")).toBe("first");
    await writeFileAtomic(file, new Uint8Array([0, 255, 7]));
    expect([...readFileSync(file)]).toEqual([0, 255, 7]);
    expect(readdirSync(dir)).toEqual(["config.json"]);
  });

  it("writes a list of parts one after another", async () => {
    const file = join(dir, "parts.bin");
    await writeFileAtomic(file, [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3]).subarray(0, 1), new Uint8Array([9, 4, 5]).subarray(1)]);
    expect([...readFileSync(file)]).toEqual([1, 2, 3, 4, 5]);
    await expect(writeFileAtomic(file, [new Uint8Array([7]), "x" as unknown as Uint8Array])).rejects.toThrow(/every part must be a Uint8Array/);
    expect(await rejectedCode(writeFileAtomic(file, [new Uint8Array([7]), "x" as unknown as Uint8Array]))).toBe("INPUT_INVALID");
    expect([...readFileSync(file)]).toEqual([1, 2, 3, 4, 5]);
    expect(readdirSync(dir)).toEqual(["parts.bin"]);
  });

  it("a failed write removes its temporary file and leaves the old target intact", async () => {
    // A folder where the file should go makes the rename fail after the data was written.
    const blocked = join(dir, "blocked");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "keep"), "x");
    await expect(writeFileAtomic(blocked, "new")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["blocked"]);
    expect(readdirSync(blocked)).toEqual(["keep"]);
  });

  it("data that cannot be written fails after the temporary file was made: it is removed, the old file stays", async () => {
    const file = join(dir, "model.safetensors");
    writeFileSync(file, "old weights");
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(file, "utf8")).toBe("old weights");
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("a missing folder is an error and creates nothing", async () => {
    await expect(writeFileAtomic(join(dir, "nope", "a.txt"), "x")).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)("an unwritable folder is an error and the old file stays", async () => {
    const file = join(dir, "a.txt");
    writeFileSync(file, "old");
    chmodSync(dir, 0o500);
    try {
      await expect(writeFileAtomic(file, "new")).rejects.toThrow(/EACCES/);
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(readFileSync(file, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("concurrent writes of one file each complete; the file holds one of them whole", async () => {
    const file = join(dir, "race.bin");
    const payloads = Array.from({ length: 8 }, (_, i) => new Uint8Array(50_000).fill(i + 1));
    await Promise.all(payloads.map((p) => writeFileAtomic(file, p)));
    const got = readFileSync(file);
    expect(got.length).toBe(50_000);
    expect(new Set(got).size).toBe(1);
    expect(readdirSync(dir)).toEqual(["race.bin"]);
  });
});

describe("cleanStaleTemps", () => {
  it("recognises the helper's temporary names (and the older `.<hex>.tmp` ones of train's storage) only", () => {
    expect(isAtomicWriteTemp(".model.safetensors.0123456789ab.tmp")).toBe(true);
    expect(isAtomicWriteTemp(".0123456789ab.tmp")).toBe(true);
    for (const name of ["model.safetensors", "x.tmp", ".x.tmp", ".model.0123456789AB.tmp", ".model.0123456789ab.tmp.bak", "a.0123456789ab.tmp"]) {
      expect(isAtomicWriteTemp(name), name).toBe(false);
    }
  });

  it("removes what a killed write left, keeps every other file, and goes into sub-folders when asked", async () => {
    mkdirSync(join(dir, "checkpoints"));
    const stale = [join(dir, ".run.json.a1b2c3d4e5f6.tmp"), join(dir, "checkpoints", ".0f0f0f0f0f0f.tmp")];
    const kept = [join(dir, "run.json"), join(dir, "notes.tmp"), join(dir, "checkpoints", "step-1.bin")];
    for (const f of [...stale, ...kept]) writeFileSync(f, "x");
    expect(await cleanStaleTemps(dir)).toEqual([stale[0]]);
    expect(existsSync(stale[1]!)).toBe(true);
    expect(await cleanStaleTemps(dir, { recursive: true })).toEqual([stale[1]]);
    for (const f of kept) expect(existsSync(f), f).toBe(true);
    expect(await cleanStaleTemps(join(dir, "missing"))).toEqual([]);
  });

  it("cleans the temporary file of a write that never finished", async () => {
    // What a SIGKILL between write and rename leaves: a complete temp file beside the target.
    const target = join(dir, "model.safetensors");
    writeFileSync(target, "old");
    await writeFileAtomic(target, "new");
    const leftover = join(dir, ".model.safetensors.abcdefabcdef.tmp");
    writeFileSync(leftover, "half");
    expect(await cleanStaleTemps(dir)).toEqual([leftover]);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(readFileSync(target, "utf8")).toBe("new");
  });
});
