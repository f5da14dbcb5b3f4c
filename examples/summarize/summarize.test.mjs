// Runs the example end to end with tiny settings on the shared SciTLDR data. The model is a
// randomly initialised tiny GLM with a tokenizer trained on the data (the example's numbers mean
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

const data = sharedPath("data", "scitldr");
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "glmjs-summarize-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.skipIf(!data)(
  "fine-tunes, generates summaries and prints ROUGE against the lead-sentence baseline",
  async () => {
    tf.env().set("PROD", true); // no "install tfjs-node" notice
    await useBackend("cpu");
    const texts = readFileSync(join(data, "train.jsonl"), "utf8")
      .split("\n")
      .slice(0, 300)
      .filter(Boolean)
      .map((l) => {
        const r = JSON.parse(l);
        return [...r.source, ...r.target].join(" ");
      });
    const tokenizer = await trainTokenizer(texts, { type: "wordpiece", vocabSize: 1500 });
    const model = GLMModel.fromConfig(presetConfig("tiny", { vocab_size: tokenizer.paddedVocabSize }), { seed: 1 });
    await model.save(join(dir, "model"));
    await tokenizer.save(join(dir, "model", "tokenizer.json"));
    model.dispose();

    const script = new URL("./summarize.mjs", import.meta.url).pathname;
    const args = [
      data,
      "--model",
      join(dir, "model"),
      "--steps",
      "2",
      "--batch",
      "2",
      "--train-limit",
      "8",
      "--limit",
      "3",
      "--source-length",
      "96",
      "--max-new-tokens",
      "6",
      "--out",
      join(dir, "run"),
    ];
    const { stdout } = await run(process.execPath, [script, ...args], { timeout: 200_000 });
    expect(stdout).toMatch(/8 training and 3 held-out abstracts \(Part A 96 tokens\)/);
    expect(stdout).toMatch(/ {2}generated: /);
    const scores = (label) =>
      /^ {2}(.+?) +(\d+\.\d\d) +(\d+\.\d\d) +(\d+\.\d\d)$/m
        .exec(stdout.split("\n").find((l) => l.includes(label)) ?? "")
        ?.slice(2)
        .map(Number);
    const tuned = scores("fine-tuned (2 steps)");
    const lead = scores("lead sentence");
    expect(tuned).toHaveLength(3);
    expect(lead).toHaveLength(3);
    // The first sentence of an abstract shares words with its TL;DR: its ROUGE-1 is far from 0.
    expect(lead[0]).toBeGreaterThan(10);
    for (const v of [...tuned, ...lead]) expect(v).toBeLessThanOrEqual(100);
    expect(existsSync(join(dir, "run", "metrics.jsonl"))).toBe(true);
  },
  240_000,
);
