// `glm fill` and `glm generate` (the built CLI in a child process) on a model freshly pretrained
// by `glm pretrain` on real text (TinyStories from ../shared; skipped visibly when absent).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedPath } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glm } from "../test/glm.test-helper.js";

const stories = sharedPath("data", "tinystories_sample", "stories.txt");
const root = mkdtempSync(join(tmpdir(), "glm-fill-"));
const run = join(root, "run");
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface FillJson {
  input: string;
  text: string;
  blanks: { text: string; ids: number[]; score: number; stoppedOn: number | null; candidates?: { text: string; id: number; probability: number }[] }[];
  ids: number[];
}
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as FillJson);
const common = ["--model", run, "--backend", "wasm"];

describe.skipIf(!stories)("glm fill / glm generate on a freshly pretrained model", () => {
  beforeAll(async () => {
    const corpus = join(root, "stories.txt");
    writeFileSync(corpus, readFileSync(stories!, "utf8").slice(0, 40_000));
    const r = await glm([
      "pretrain",
      "--corpus",
      corpus,
      "--train-tokenizer",
      "300",
      "--preset",
      "tiny",
      "--batch",
      "2",
      "--seq-len",
      "48",
      "--steps",
      "3",
      "--eval-batches",
      "1",
      "--backend",
      "wasm",
      "--out",
      run,
    ]);
    expect(r.code, r.output).toBe(0);
  }, 240_000);

  it("prints the text with every blank filled, the same as --json's text, streamed or not", async () => {
    const texts = ["Once upon a time there was a little [MASK]. She liked to [MASK].", "Tom and his [MASK] went to the park."];
    // A model this young ends a blank at once; --min-new-tokens makes every fill hold tokens.
    const decoding = ["--max-new-tokens", "6", "--min-new-tokens", "2"];
    const plain = await glm(["fill", ...common, ...decoding, ...texts]);
    expect(plain.code, plain.output).toBe(0);
    expect(plain.stderr).toBe("");
    const lines = plain.stdout.split("\n").slice(0, -1);
    expect(lines).toHaveLength(2);
    const json = jsonLines((await glm(["fill", ...common, ...decoding, "--json", ...texts])).stdout);
    expect(json.map((j) => j.text)).toEqual(lines);
    json.forEach((j, i) => {
      expect(j.input).toBe(texts[i]);
      expect(j.text).not.toContain("[MASK]");
      expect(j.blanks).toHaveLength(i === 0 ? 2 : 1);
      for (const b of j.blanks) {
        expect(b.ids.length).toBeGreaterThanOrEqual(2);
        expect(b.ids.length).toBeLessThanOrEqual(6);
        expect(j.text).toContain(b.text.trim());
      }
    });
    expect(lines[0]).toMatch(/^Once upon a time there was a little /);
    // Streaming the tokens as they come gives the same bytes, also for texts read from stdin in batches of one.
    const streamed = await glm(["fill", ...common, ...decoding, "--stream", "--batch-size", "1"], { stdin: texts.join("\n") + "\n" });
    expect(streamed.code, streamed.output).toBe(0);
    expect(streamed.stdout).toBe(plain.stdout);
  }, 120_000);

  it("--top-k-candidates N prints each blank's N best single tokens with probabilities", async () => {
    const text = "The little girl had a [MASK] dog and a [MASK] cat.";
    const r = await glm(["fill", ...common, "--max-new-tokens", "3", "--top-k-candidates", "4", text]);
    expect(r.code, r.output).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.slice(1).entries()) {
      expect(line).toMatch(new RegExp(`^  \\[MASK\\] ${i + 1}: ".*" [\\d.e+-]+%( · ".*" [\\d.e+-]+%){3}$`));
    }
    const [j] = jsonLines((await glm(["fill", ...common, "--max-new-tokens", "3", "--top-k-candidates", "4", "--json", text])).stdout);
    for (const b of j!.blanks) {
      const p = b.candidates!.map((c) => c.probability);
      expect(p).toHaveLength(4);
      expect([...p].sort((a, b2) => b2 - a)).toEqual(p);
      expect(p.reduce((a, x) => a + x, 0)).toBeLessThanOrEqual(1);
      expect(p[0]!).toBeGreaterThan(0);
    }
  }, 120_000);

  it("sampling with a seed repeats exactly; another seed gives another text", async () => {
    const args = ["fill", ...common, "--strategy", "sample", "--temperature", "1.5", "--max-new-tokens", "12", "--json", "One day a [MASK] came to town."];
    const a = await glm([...args, "--seed", "7"]);
    const b = await glm([...args, "--seed", "7"]);
    const c = await glm([...args, "--seed", "8"]);
    expect(a.code, a.output).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(jsonLines(c.stdout)[0]!.blanks[0]!.ids).not.toEqual(jsonLines(a.stdout)[0]!.blanks[0]!.ids);
  }, 120_000);

  it("generate continues a prompt; a training checkpoint loads as --model with the run's tokenizer", async () => {
    const g = await glm(["generate", ...common, "--max-new-tokens", "8", "--json", "Once upon a time"]);
    expect(g.code, g.output).toBe(0);
    const [j] = jsonLines(g.stdout);
    expect(j!.text.startsWith("Once upon a time")).toBe(true);
    expect(j!.blanks).toHaveLength(1);
    const checkpoint = join(
      run,
      "checkpoints",
      readdirSync(join(run, "checkpoints")).find((n) => n.endsWith(".safetensors"))!,
    );
    const fromCheckpoint = await glm(["generate", "--model", checkpoint, "--backend", "wasm", "--max-new-tokens", "8", "--json", "Once upon a time"]);
    expect(fromCheckpoint.code, fromCheckpoint.output).toBe(0);
    // The final checkpoint holds the weights model/ was saved from.
    expect(fromCheckpoint.stdout).toBe(g.stdout);
  }, 120_000);

  it("refuses a text without a blank and flags that do nothing, naming them", async () => {
    const none = await glm(["fill", ...common, "no blank here"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/argument 1 has no blank: put \[MASK\]/);
    const t0 = performance.now();
    const flag = await glm(["fill", ...common, "--temperature", "0.5", "A [MASK]."]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("--temperature does nothing with --strategy greedy; use it with --strategy sample");
    const missing = await glm(["fill", "--model", join(root, "nope"), "A [MASK]."]);
    expect(missing.stderr).toMatch(/--model .*nope: no such file or folder/);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 120_000);
});
