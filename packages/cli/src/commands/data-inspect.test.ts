// `glm data inspect` on real text with the BERT vocabulary (skipped visibly when ../shared is absent).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { buildProgram } from "../program.js";
import { glm, trainRows, writeSentenceCorpus } from "../test/glm.test-helper.js";
import { GlmjsError } from "@glmjs/common";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

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
    expect(
      Object.keys(r.spanLength.histogram)
        .map(Number)
        .every((k: number) => k >= 1 && k <= 39),
    ).toBe(true);
    expect(r.spansPerSample.mean).toBeGreaterThan(15);
    expect(r.sep.mean).toBeGreaterThan(300);
    expect(r.modes).toEqual({ bert: r.batches });
  });

  it("prints decoded samples with their masks and Part B spans", async () => {
    const out = captureStdout();
    await buildProgram().parseAsync(
      ["data", "inspect", "-c", text!, "-t", tokenizer(), "--objective", "mixed", "--n", "48", "--batch-size", "8", "--show", "1", "--seq-len", "128"],
      { from: "user" },
    );
    const printed = out();
    expect(printed).toMatch(/Part A: \[CLS\]/);
    expect(printed).toMatch(/Part A: .*\[[sg]?MASK\]/);
    expect(printed).toMatch(/\[pos \d+\]/);
    expect(printed).toMatch(/samples\/s/);
    expect(printed).toMatch(/objective glm-10b-multitask/);
  });

  it("names an unknown objective", async () => {
    captureStdout();
    await expect(buildProgram().parseAsync(["data", "inspect", "-c", text!, "-t", tokenizer(), "--objective", "nope"], { from: "user" })).rejects.toThrow(
      /^--objective must be one of mixed, token, sentence, document, glm-large-blank, .*, got nope$/,
    );
    // In flag terms, with the library's InvalidOptionError as the cause.
    const run = buildProgram().parseAsync(["data", "inspect", "-c", text!, "-t", tokenizer(), "--objective", "nope"], { from: "user" });
    const e = await run.catch((x: unknown) => x);
    expect(GlmjsError.is(e, "OPTION_INVALID")).toBe(true);
    expect(e).toHaveProperty("cause.option", "objective");
  });
});

describe.skipIf(!vocab)("glm data inspect: what pretraining builds, and corpora that give no sample", () => {
  const root = mkdtempSync(join(tmpdir(), "glm-inspect-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bert = () => join(vocab!, "bert-base-uncased-vocab.txt");

  it.each([
    ["a one-word corpus", "hello\n", []],
    ["--seq-len larger than the corpus", "The cat sat on the mat. The dog ran.\n", ["--seq-len", "512"]],
  ])("%s: says why and fails instead of printing NaN", async (_name, text, extra) => {
    const file = join(root, `${_name.length}.txt`);
    writeFileSync(file, text);
    const out = captureStdout();
    await expect(buildProgram().parseAsync(["data", "inspect", "-c", file, "-t", bert(), "--n", "8", ...extra], { from: "user" })).rejects.toThrow(
      /^every sample was dropped: the objective found no room for its blanks in documents this short \(1 training document of \d+\.0 tokens on average, samples of up to 512 tokens\)/,
    );
    expect(await rejectedCode(buildProgram().parseAsync(["data", "inspect", "-c", file, "-t", bert(), "--n", "8", ...extra], { from: "user" }))).toBe(
      "NO_SAMPLES",
    );
    expect(out()).toBe("");
  });

  it("standardises English punctuation as pretraining does (GLM.md §3.7), or keeps it with --keep-punctuation", async () => {
    const file = join(root, "quotes.txt");
    writeFileSync(file, Array.from({ length: 40 }, () => "\u201cThe cat\u201d saw the river \u2013 and the ship. The dog liked an apple.").join("\n\n") + "\n");
    const run = async (...extra: string[]) => {
      const out = captureStdout();
      await buildProgram().parseAsync(
        ["data", "inspect", "-c", file, "-t", bert(), "--n", "2", "--batch-size", "2", "--show", "1", "--seq-len", "48", ...extra],
        { from: "user" },
      );
      vi.restoreAllMocks();
      return out();
    };
    const standard = await run();
    expect(standard).toMatch(/" the cat "/);
    expect(standard).not.toMatch(/\u201c/);
    expect(await run("--keep-punctuation")).toMatch(/\u201c the cat \u201d/);
  });

  it("shows the batches glm pretrain trains on: the same flags give the loss tokens of its first step", async () => {
    const corpus = writeSentenceCorpus(join(root, "corpus.txt"));
    const dir = join(root, "run");
    const r = await glm([
      "pretrain",
      "--corpus",
      corpus,
      "--train-tokenizer",
      "100",
      "--preset",
      "tiny",
      "--batch",
      "2",
      "--accum",
      "2",
      "--seq-len",
      "48",
      "--backend",
      "wasm",
      "--eval-batches",
      "1",
      "--seed",
      "5",
      "--steps",
      "1",
      "--out",
      dir,
    ]);
    expect(r.code, r.output).toBe(0);
    const out = captureStdout();
    await buildProgram().parseAsync(
      [
        "data",
        "inspect",
        "-c",
        corpus,
        "-t",
        join(dir, "model"),
        "--objective",
        "mixed",
        "--batch-size",
        "2",
        "--seq-len",
        "48",
        "--seed",
        "5",
        "--n",
        "4",
        "--json",
      ],
      { from: "user" },
    );
    const inspected = JSON.parse(out());
    expect(inspected.batches).toBe(2);
    // Step 1 of the run accumulated its first two batches; inspect built the same two.
    const lossTokens = inspected.lossPositionsPerSample.mean * inspected.samples;
    expect(lossTokens).toBeCloseTo(trainRows(dir)[0]!.loss_tokens, 6);
  }, 180_000);
});
