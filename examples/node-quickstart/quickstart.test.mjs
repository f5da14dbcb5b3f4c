// Runs the example end to end with tiny settings (a few steps of a small batch), as a user would.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "glmjs-node-quickstart-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it("pretrains, saves a loadable model folder and fills blanks in held-out sentences", async () => {
  const script = new URL("./quickstart.mjs", import.meta.url).pathname;
  const args = ["--steps", "3", "--vocab", "2000", "--batch", "2", "--seq-len", "64", "--blanks", "2", "--out", out];
  const { stdout } = await run(process.execPath, [script, ...args], { timeout: 280_000 });
  expect(stdout).toMatch(/corpus: the Brown corpus, 500 samples/);
  expect(stdout).toMatch(/step 3\/3: loss \d+\.\d+/);
  expect(stdout).toMatch(/held-out loss \d+\.\d+ \(unigram baseline \d+\.\d+\)/);
  // Two held-out sentences with a blank, each filled and with five candidates.
  expect(stdout.match(/\[MASK\]/g)).toHaveLength(2);
  expect(stdout.match(/ {2}candidates: (.+ \d+\.\d% · ){4}.+ \d+\.\d%/g)).toHaveLength(2);
  for (const file of ["model.safetensors", "config.json", "tokenizer.json"]) expect(existsSync(join(out, "model", file)), file).toBe(true);
  expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").length).toBeGreaterThanOrEqual(4);
  expect(existsSync(join(out, "loss.svg"))).toBe(true);
}, 300_000);
