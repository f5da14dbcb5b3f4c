import { mkdtempSync, readdirSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NodeStorage } from "./node-storage.js";
import { MemoryStorage, type TrainStorage } from "./train-storage.js";

const root = mkdtempSync(join(tmpdir(), "glmjs-train-storage-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const implementations: [string, () => TrainStorage][] = [
  ["MemoryStorage", () => new MemoryStorage()],
  ["NodeStorage", () => new NodeStorage(mkdtempSync(join(root, "run-")))],
];

describe.each(implementations)("%s", (_name, make) => {
  it("writes, replaces, appends, lists and removes files", async () => {
    const s = make();
    expect(await s.exists("a/b.txt")).toBe(false);
    await s.writeTextAtomic("a/b.txt", "one");
    await s.writeTextAtomic("a/b.txt", "two");
    expect(await s.readText("a/b.txt")).toBe("two");
    await s.writeBytesAtomic("a/c.bin", new Uint8Array([1, 2, 3]));
    expect([...(await s.readBytes("a/c.bin"))]).toEqual([1, 2, 3]);
    await s.appendText("log.jsonl", "x\n");
    await s.appendText("log.jsonl", "y\n");
    expect(await s.readText("log.jsonl")).toBe("x\ny\n");
    expect(await s.list("a")).toEqual(["b.txt", "c.bin"]);
    expect(await s.list("")).toEqual(["a", "log.jsonl"]);
    expect(await s.list("missing")).toEqual([]);
    await s.remove("a/b.txt");
    expect(await s.exists("a/b.txt")).toBe(false);
  });
});

describe("NodeStorage atomic writes", () => {
  it("leaves no temporary file behind and keeps the old content when the rename fails", async () => {
    const dir = mkdtempSync(join(root, "atomic-"));
    const s = new NodeStorage(dir);
    await s.writeTextAtomic("x.json", "old");
    expect(readdirSync(dir)).toEqual(["x.json"]);
    // A folder where the file should go makes rename fail after the temp file was written.
    mkdirSync(join(dir, "blocked"));
    mkdirSync(join(dir, "blocked", "inner"));
    await expect(s.writeTextAtomic("blocked", "new")).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(["blocked", "x.json"]);
    expect(readFileSync(join(dir, "x.json"), "utf8")).toBe("old");
  });

  it("refuses paths that leave the run folder", async () => {
    const s = new NodeStorage(mkdtempSync(join(root, "escape-")));
    await expect(s.writeTextAtomic("../evil.txt", "x")).rejects.toThrow(/leaves the run folder/);
  });
});
