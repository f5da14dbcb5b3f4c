// Runs the example end to end with tiny settings on the shared sentence-polarity data. The model is
// a randomly initialised tiny GLM with a tokenizer trained on the data (the example's numbers mean
// something with a pretrained model, e.g. the quickstart's; here the test checks the whole path).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GLMModel, presetConfig, tf, useBackend } from "@glmjs/core";
import { sharedPath } from "@glmjs/test-utils";
import { trainTokenizer } from "@glmjs/tokenizer";
import { afterAll, expect, it } from "vitest";

const data = sharedPath("data", "sentence_polarity");
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "glmjs-cloze-sentiment-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.skipIf(!data)(
  "prints zero-shot and fine-tuned accuracy against the majority baseline",
  async () => {
    tf.env().set("PROD", true); // no "install tfjs-node" notice
    await useBackend("cpu");
    const sentences = readFileSync(join(data, "train.tsv"), "utf8")
      .split("\n")
      .slice(1, 2000)
      .map((l) => l.split("\t")[0]);
    const tokenizer = await trainTokenizer(sentences, { type: "wordpiece", vocabSize: 1500 });
    const model = GLMModel.fromConfig(presetConfig("tiny", { vocab_size: tokenizer.paddedVocabSize }), { seed: 1 });
    await model.save(join(dir, "model"));
    await tokenizer.save(join(dir, "model", "tokenizer.json"));
    model.dispose();

    const script = new URL("./cloze-sentiment.mjs", import.meta.url).pathname;
    const args = [data, "--model", join(dir, "model"), "--steps", "4", "--batch", "4", "--limit", "24", "--out", join(dir, "run")];
    const { stdout } = await run(process.execPath, [script, ...args], { timeout: 200_000 });
    expect(stdout).toMatch(/24 training and 24 held-out sentences/);
    expect(stdout).toMatch(/pattern "\{sentence\} It was \[MASK\]\."/);
    const pct = (label) => Number(new RegExp(`${label}[^\\n]*?(\\d+\\.\\d)%\\n`).exec(stdout)?.[1]);
    for (const label of ["majority class", "zero-shot:", "fine-tuned \\(4 steps\\):"]) {
      const value = pct(label);
      expect(value, label).toBeGreaterThanOrEqual(0);
      expect(value, label).toBeLessThanOrEqual(100);
    }
    expect(existsSync(join(dir, "run", "metrics.jsonl"))).toBe(true);
  },
  240_000,
);
