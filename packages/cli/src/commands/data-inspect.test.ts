// `glm data inspect` on real text with the BERT vocabulary (skipped visibly when ../shared is absent).
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { buildProgram } from "../program.js";

const vocab = sharedPath("vocab");
const text = sharedPath("data", "gutenberg", "43-jekyll-and-hyde.txt");

function captureStdout(): () => string {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  return () => out;
}

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!vocab || !text)("glm data inspect", () => {
  const tokenizer = () => join(vocab!, "bert-base-uncased-vocab.txt");

  it("prints the statistics as JSON with the documented field names", async () => {
    const out = captureStdout();
    await buildProgram().parseAsync(["data", "inspect", "--corpus", text!, "--tokenizer", tokenizer(), "--n", "64", "--seed", "3", "--json"], { from: "user" });
    const r = JSON.parse(out());
    expect(r.samples).toBeGreaterThan(56); // a few may be dropped, as in the original
    expect(r.samples).toBeLessThanOrEqual(64);
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.tokensPerSecond).toBeGreaterThan(r.samplesPerSecond);
    // Token-level objective: 15 % masked, Poisson(3) spans (mean ≈ 3.16), sep ≈ 0.82 of a row.
    expect(r.maskedRatio.mean).toBeGreaterThan(0.145);
    expect(r.maskedRatio.mean).toBeLessThan(0.17);
    expect(r.maskedRatio.std).toBeGreaterThan(0);
    expect(r.spanLength.mean).toBeGreaterThan(2.8);
    expect(r.spanLength.mean).toBeLessThan(3.6);
    expect(Object.keys(r.spanLength.histogram).map(Number).every((k: number) => k >= 1 && k <= 39)).toBe(true);
    expect(r.spansPerSample.mean).toBeGreaterThan(15);
    expect(r.sep.mean).toBeGreaterThan(300);
    expect(r.modes).toEqual({ bert: r.batches });
  });

  it("prints decoded samples with their masks and Part B spans", async () => {
    const out = captureStdout();
    await buildProgram().parseAsync(["data", "inspect", "-c", text!, "-t", tokenizer(), "--objective", "mixed", "--n", "48", "--batch-size", "8", "--show", "1", "--seq-len", "128"], { from: "user" });
    const printed = out();
    expect(printed).toMatch(/Part A: \[CLS\]/);
    expect(printed).toMatch(/Part A: .*\[[sg]?MASK\]/);
    expect(printed).toMatch(/\[pos \d+\]/);
    expect(printed).toMatch(/samples\/s/);
    expect(printed).toMatch(/objective glm-10b-multitask/);
  });

  it("names an unknown objective", async () => {
    captureStdout();
    await expect(buildProgram().parseAsync(["data", "inspect", "-c", text!, "-t", tokenizer(), "--objective", "nope"], { from: "user" })).rejects.toThrow(/unknown "nope"/);
  });
});
