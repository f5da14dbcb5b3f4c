// `glm pretrain` end to end (the built CLI in a child process): run folder, exact --resume,
// packing, Ctrl-C.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCompleteModelFolder, glm, readJson, trainRows, writeSentenceCorpus } from "../test/glm.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-pretrain-"));
const corpus = join(root, "corpus.txt");
beforeAll(() => writeSentenceCorpus(corpus));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const common = [
  "pretrain",
  "--corpus",
  corpus,
  "--train-tokenizer",
  "100",
  "--preset",
  "tiny",
  "--batch",
  "2",
  "--seq-len",
  "48",
  "--backend",
  "wasm",
  "--eval-batches",
  "1",
  "--seed",
  "5",
];
const losses = (dir: string) => trainRows(dir).map((r) => [r.step, r.loss]);

describe("glm pretrain (the built CLI)", () => {
  it("writes metrics, plot, checkpoints and a complete model folder, prints no native noise, and --resume continues exactly", async () => {
    const straight = join(root, "straight");
    // --backend auto probes every backend (Dawn's WebGPU included), which used to print native warnings.
    const a = await glm([...common.map((x) => (x === "wasm" ? "auto" : x)), "--steps", "4", "--eval-every", "2", "--out", straight]);
    expect(a.code, a.output).toBe(0);
    expect(a.stderr).toBe("");
    const rows = readFileSync(join(straight, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.split === undefined).map((r) => r.step)).toEqual([1, 2, 3, 4]);
    expect(rows.filter((r) => r.split === "valid").map((r) => r.step)).toEqual([2, 4]);
    expect(readFileSync(join(straight, "loss.svg"), "utf8")).toContain("<svg");
    expect(readJson(join(straight, "checkpoints", "latest.json")).step).toBe(4);
    expectCompleteModelFolder(straight);
    expect(a.output).toMatch(/valid: loss [\d.]+ ppl [\d.]+ blank acc [\d.]+% over \d+ tokens, unigram [\d.]+/);

    // Every other command loads the model folder alone.
    const tokenized = await glm(["tokenize", "-t", join(straight, "model"), "the cat saw the ship"]);
    expect(tokenized.code, tokenized.output).toBe(0);
    expect(JSON.parse(tokenized.stdout)).toHaveLength(5);

    const resumed = join(root, "resumed");
    // Decay over 4 steps as the straight run does; the resumed run keeps the stored schedule.
    const b1 = await glm([...common, "--steps", "2", "--decay-steps", "4", "--eval-every", "2", "--out", resumed]);
    expect(b1.code, b1.output).toBe(0);
    const refused = await glm([...common, "--steps", "4", "--eval-every", "2", "--out", resumed]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a run.*--resume/);
    const b2 = await glm([...common, "--steps", "4", "--eval-every", "2", "--out", resumed, "--resume"]);
    expect(b2.code, b2.output).toBe(0);
    expect(b2.output).toContain("resumed from step 2");
    expect(losses(resumed)).toEqual(losses(straight).map(([s, l]) => [s, l]));
    const mismatch = await glm([...common.map((x) => (x === "5" ? "6" : x)), "--steps", "5", "--out", resumed, "--resume"]);
    expect(mismatch.stderr).toMatch(/--seed \(first run: 5, now: 6\)/);
  }, 300_000);

  it("--packing sequential gives other batches than the default block packing and also resumes exactly", async () => {
    const block = join(root, "straight"); // the first test's run: block packing, the default
    const straight = join(root, "sequential-straight");
    const a = await glm([...common, "--packing", "sequential", "--steps", "3", "--eval-every", "0", "--out", straight]);
    expect(a.code, a.output).toBe(0);
    expect(readJson(join(straight, "run.json")).packing).toBe("sequential");
    expect(readJson(join(block, "run.json")).packing).toBe("block");
    // Same seed, so the same initial weights: a different first loss means different batches.
    expect(losses(straight)[0]![1]).not.toBe(losses(block)[0]![1]);

    const resumed = join(root, "sequential-resumed");
    const b1 = await glm([...common, "--packing", "sequential", "--steps", "2", "--decay-steps", "3", "--eval-every", "0", "--out", resumed]);
    expect(b1.code, b1.output).toBe(0);
    const wrong = await glm([...common, "--steps", "3", "--eval-every", "0", "--out", resumed, "--resume"]);
    expect(wrong.stderr).toMatch(/--packing \(first run: "sequential", now: "block"\)/);
    const b2 = await glm([...common, "--packing", "sequential", "--steps", "3", "--eval-every", "0", "--out", resumed, "--resume"]);
    expect(b2.code, b2.output).toBe(0);
    expect(losses(resumed)).toEqual(losses(straight));
  }, 300_000);

  it("on SIGINT saves a checkpoint and a complete model folder, exits with 130, and --resume goes on from there", async () => {
    const dir = join(root, "sigint");
    let sent = false;
    const r = await glm([...common, "--steps", "400", "--eval-every", "0", "--checkpoint-every", "1000", "--out", dir], {
      onLine: (line, child) => {
        if (!sent && line.startsWith("step 3/")) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(r.code, r.output).toBe(130);
    expect(r.output).toMatch(/interrupted at step \d+; checkpoint saved, continue with --resume/);
    const step = readJson(join(dir, "checkpoints", "latest.json")).step as number;
    expect(step).toBeGreaterThanOrEqual(3);
    expect(step).toBeLessThan(400);
    expectCompleteModelFolder(dir);
    const again = await glm([...common, "--steps", String(step + 2), "--eval-every", "0", "--out", dir, "--resume"]);
    expect(again.code, again.output).toBe(0);
    expect(losses(dir).map(([s]) => s)).toEqual(Array.from({ length: step + 2 }, (_, i) => i + 1));
  }, 300_000);
});
