import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "glm-pretrain-"));
const corpus = join(root, "corpus.txt");

// A small made-up corpus: paragraphs of simple sentences (documents are separated by blank lines).
beforeAll(() => {
  const subjects = ["the cat", "a dog", "the old man", "my sister", "the captain", "a young girl"];
  const verbs = ["saw", "liked", "followed", "found", "called", "watched"];
  const objects = ["the river", "a small house", "the ship", "an apple", "the garden", "the storm"];
  let seed = 7;
  const pick = <T>(a: T[]) => a[(seed = (seed * 1103515245 + 12345) % 2147483648) % a.length]!;
  const paragraphs = Array.from({ length: 240 }, () =>
    Array.from({ length: 4 }, () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)}.`).join(" "),
  );
  writeFileSync(corpus, paragraphs.join("\n\n") + "\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function glm(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; output: string }> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm --filter @glmjs/cli build first`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line) onLine?.(line, child);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, output }));
  });
}

// 105: every id the training split of this corpus yields (a larger size is an error).
const common = ["pretrain", "--corpus", corpus, "--train-tokenizer", "105", "--preset", "tiny", "--batch", "2", "--seq-len", "32", "--backend", "wasm", "--eval-batches", "1", "--seed", "5"];
const losses = (dir: string) =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { step: number; loss: number; split?: string })
    .filter((r) => r.split === undefined)
    .map((r) => [r.step, r.loss]);

describe("glm pretrain (the built CLI)", () => {
  it("writes metrics, plot, checkpoints and model, and --resume continues exactly", async () => {
    const straight = join(root, "straight");
    const a = await glm([...common, "--steps", "4", "--eval-every", "2", "--out", straight]);
    expect(a.code, a.output).toBe(0);
    const rows = readFileSync(join(straight, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.split === undefined).map((r) => r.step)).toEqual([1, 2, 3, 4]);
    expect(rows.filter((r) => r.split === "valid").map((r) => r.step)).toEqual([2, 4]);
    expect(readFileSync(join(straight, "loss.svg"), "utf8")).toContain("<svg");
    expect(JSON.parse(readFileSync(join(straight, "checkpoints", "latest.json"), "utf8")).step).toBe(4);
    expect(existsSync(join(straight, "model", "model.safetensors"))).toBe(true);
    expect(a.output).toMatch(/valid: loss [\d.]+ ppl [\d.]+ blank acc [\d.]+% over \d+ tokens, unigram [\d.]+/);

    const resumed = join(root, "resumed");
    // Decay over 4 steps as the straight run does; the resumed run keeps the stored schedule.
    const b1 = await glm([...common, "--steps", "2", "--decay-steps", "4", "--eval-every", "2", "--out", resumed]);
    expect(b1.code, b1.output).toBe(0);
    const refused = await glm([...common, "--steps", "4", "--eval-every", "2", "--out", resumed]);
    expect(refused.output).toMatch(/already holds a run.*--resume/);
    const b2 = await glm([...common, "--steps", "4", "--eval-every", "2", "--out", resumed, "--resume"]);
    expect(b2.code, b2.output).toBe(0);
    expect(b2.output).toContain("resumed from step 2");
    expect(losses(resumed)).toEqual(losses(straight));
    const mismatch = await glm([...common.map((x) => (x === "5" ? "6" : x)), "--steps", "5", "--out", resumed, "--resume"]);
    expect(mismatch.output).toMatch(/--seed \(first run: 5, now: 6\)/);
  }, 240_000);

  it("--packing sequential gives other batches than the default block packing and also resumes exactly", async () => {
    const block = join(root, "straight"); // the first test's run: block packing, the default
    const straight = join(root, "sequential-straight");
    const a = await glm([...common, "--packing", "sequential", "--steps", "3", "--eval-every", "0", "--out", straight]);
    expect(a.code, a.output).toBe(0);
    expect(JSON.parse(readFileSync(join(straight, "run.json"), "utf8")).packing).toBe("sequential");
    expect(JSON.parse(readFileSync(join(block, "run.json"), "utf8")).packing).toBe("block");
    // Same seed, so the same initial weights: a different first loss means different batches.
    expect(losses(straight)[0]![1]).not.toBe(losses(block)[0]![1]);

    const resumed = join(root, "sequential-resumed");
    const b1 = await glm([...common, "--packing", "sequential", "--steps", "2", "--decay-steps", "3", "--eval-every", "0", "--out", resumed]);
    expect(b1.code, b1.output).toBe(0);
    const wrong = await glm([...common, "--steps", "3", "--eval-every", "0", "--out", resumed, "--resume"]);
    expect(wrong.output).toMatch(/--packing \(first run: "sequential", now: "block"\)/);
    const b2 = await glm([...common, "--packing", "sequential", "--steps", "3", "--eval-every", "0", "--out", resumed, "--resume"]);
    expect(b2.code, b2.output).toBe(0);
    expect(losses(resumed)).toEqual(losses(straight));
  }, 240_000);

  it("on SIGINT saves a checkpoint, exits with 130, and --resume goes on from there", async () => {
    const dir = join(root, "sigint");
    let sent = false;
    const r = await glm([...common, "--steps", "400", "--eval-every", "0", "--checkpoint-every", "1000", "--out", dir], (line, child) => {
      if (!sent && line.startsWith("step 3/")) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    expect(r.code, r.output).toBe(130);
    expect(r.output).toMatch(/interrupted at step \d+; checkpoint saved/);
    const step = JSON.parse(readFileSync(join(dir, "checkpoints", "latest.json"), "utf8")).step as number;
    expect(step).toBeGreaterThanOrEqual(3);
    expect(step).toBeLessThan(400);
    const again = await glm([...common, "--steps", String(step + 2), "--eval-every", "0", "--out", dir, "--resume"]);
    expect(again.code, again.output).toBe(0);
    expect(losses(dir).map(([s]) => s)).toEqual(Array.from({ length: step + 2 }, (_, i) => i + 1));
  }, 240_000);
});
