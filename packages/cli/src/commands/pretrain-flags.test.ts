// Every `glm pretrain` flag shows its effect in what the run writes: the learning rate per step,
// clipping, accumulated micro-batches, dropout, weight decay, the tokenizer, the objective, the
// held-out split, WikiText evaluation, the time budget and the NaN policy. The tiny preset and a
// few steps keep each run short.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLMModel, readSafetensors, validateConfig } from "@glmjs/core";
import { readCorpus } from "@glmjs/data/node";
import { loadTokenizer, trainTokenizer } from "@glmjs/tokenizer";
import { lossTokens, preparePretrainingData } from "@glmjs/train";
import { expectCompleteModelFolder, glm, readJson, trainRows, metrics, writeSentenceCorpus } from "../test/glm.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-pretrain-flags-"));
const corpus = join(root, "corpus.txt");
beforeAll(() => writeSentenceCorpus(corpus));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = [
  "pretrain",
  "--corpus",
  corpus,
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
  "--eval-every",
  "0",
];
const trained = [...base, "--train-tokenizer", "100"];

/** The weights of a run's final model folder by name. */
function finalWeights(dir: string): Map<string, Float32Array> {
  const { tensors } = readSafetensors(new Uint8Array(readFileSync(join(dir, "model", "model.safetensors"))), "model.safetensors");
  return new Map([...tensors].map(([name, t]) => [name, Float32Array.from(t.data as Float32Array)]));
}

const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

describe("glm pretrain flags", () => {
  // Two runs that differ in the optimisation flags only (same seed, so the same initial weights and batches).
  const p = join(root, "p");
  const q = join(root, "q");
  beforeAll(async () => {
    const [a, b] = [
      await glm([
        ...trained,
        "--steps",
        "3",
        "--accum",
        "2",
        "--dropout",
        "0.1",
        "--clip",
        "0.5",
        "--lr",
        "2e-3",
        "--warmup",
        "0.25",
        "--decay",
        "linear",
        "--decay-ratio",
        "0.25",
        "--decay-steps",
        "4",
        "--weight-decay",
        "0",
        "--out",
        p,
      ]),
      await glm([
        ...trained,
        "--steps",
        "2",
        "--accum",
        "2",
        "--clip",
        "0",
        "--lr",
        "1e-4",
        "--warmup",
        "0",
        "--decay-ratio",
        "1",
        "--weight-decay",
        "2000",
        "--out",
        q,
      ]),
    ];
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
  }, 240_000);

  it("--lr, --warmup, --decay, --decay-ratio, --decay-steps: the learning rate of every step and schedule.json", () => {
    // Warm-up over round(0.25 · 4) = 1 step to the peak 2e-3, then linear towards 0.25 · peak over
    // the 3 remaining decay steps: 1 − 0.75 · (1/3) = 0.75, 1 − 0.75 · (2/3) = 0.5 of the peak.
    const lr = trainRows(p).map((r) => r.lr);
    expect(lr[0]).toBeCloseTo(2e-3, 12);
    expect(lr[1]).toBeCloseTo(1.5e-3, 12);
    expect(lr[2]).toBeCloseTo(1e-3, 12);
    expect(readJson(join(p, "schedule.json"))).toEqual({ peakLr: 2e-3, decaySteps: 4, warmupFraction: 0.25, style: "linear", decayRatio: 0.25 });
    // No warm-up and a floor equal to the peak: a constant rate.
    expect(trainRows(q).map((r) => r.lr)).toEqual([1e-4, 1e-4]);
  });

  it("--clip: gradients above the limit are scaled by limit / norm; --clip 0 never scales", () => {
    const rows = trainRows(p);
    expect(rows.every((r) => r.grad_norm > 0.5)).toBe(true);
    for (const r of rows) expect(r.clip_scale).toBeCloseTo(0.5 / (r.grad_norm + 1e-6), 5);
    expect(trainRows(q).map((r) => r.clip_scale)).toEqual([1, 1]);
  });

  it("--accum: every optimizer step draws that many micro-batches", () => {
    const meta = (dir: string) => {
      const pointer = readJson(join(dir, "checkpoints", "latest.json")) as { file: string };
      const { metadata } = readSafetensors(new Uint8Array(readFileSync(join(dir, pointer.file))), pointer.file);
      return JSON.parse(metadata.glmjs_train!) as { step: number; dataState: { batches: number } };
    };
    expect(meta(p)).toMatchObject({ step: 3, dataState: { batches: 6 } });
    expect(meta(q)).toMatchObject({ step: 2, dataState: { batches: 4 } });
  });

  it("--dropout: recorded in the model config and active in training (the first loss differs from the run without)", () => {
    const config = readJson(join(p, "model", "config.json"));
    expect([config.embedding_dropout_prob, config.attention_dropout_prob, config.output_dropout_prob]).toEqual([0.1, 0.1, 0.1]);
    expect(readJson(join(p, "run.json")).dropout).toBe(0.1);
    expect(readJson(join(q, "model", "config.json")).attention_dropout_prob).toBe(0);
    // Same initial weights and batches: only dropout can change the loss of step 1.
    expect(trainRows(p)[0]!.loss).not.toBe(trainRows(q)[0]!.loss);
  });

  it("--weight-decay: decayed weights shrink by (1 − lr · wd) per step, biases and LayerNorm do not", () => {
    // Two steps at lr 1e-4 with weight decay 2000: × 0.8 twice = 0.64 (Adam's own steps of
    // ~1e-4 per weight barely move weights of size ~0.02).
    const config = validateConfig(readJson(join(q, "model", "config.json")));
    const initial = GLMModel.fromConfig(config, { seed: 5 });
    const start = new Map([...initial.namedVariables()].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
    initial.dispose();
    const end = finalWeights(q);
    const ratio = (name: string) => norm(end.get(name)!) / norm(start.get(name)!);
    expect(ratio("transformer.layers.0.mlp.dense_h_to_4h.weight")).toBeGreaterThan(0.62);
    expect(ratio("transformer.layers.0.mlp.dense_h_to_4h.weight")).toBeLessThan(0.66);
    expect(Math.abs(ratio("transformer.layers.0.input_layernorm.weight") - 1)).toBeLessThan(1e-3);
    // Without weight decay the same weight stays close to its initial size.
    const undecayed =
      norm(finalWeights(p).get("transformer.layers.0.mlp.dense_h_to_4h.weight")!) / norm(start.get("transformer.layers.0.mlp.dense_h_to_4h.weight")!);
    expect(Math.abs(undecayed - 1)).toBeLessThan(0.1);
  });

  it("--tokenizer: the run uses, saves and ships the given tokenizer; --threads sets the wasm threads", async () => {
    const tokDir = join(root, "tok");
    mkdirSync(tokDir);
    const texts: string[] = [];
    for await (const d of readCorpus({ paths: [corpus] })) texts.push(d.text);
    const tok = await trainTokenizer(texts, { type: "bpe", vocabSize: 300 });
    await tok.save(join(tokDir, "tokenizer.json"));
    const dir = join(root, "given-tokenizer");
    const r = await glm([...base, "--tokenizer", join(tokDir, "tokenizer.json"), "--threads", "2", "--steps", "1", "--out", dir]);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/backend wasm \(tfjs wasm, [^)]*2 threads/);
    expect(readJson(join(dir, "run.json"))).toMatchObject({ tokenizer: join(tokDir, "tokenizer.json"), trainTokenizer: null });
    expect(readJson(join(dir, "tokenizer.json"))).toEqual(readJson(join(tokDir, "tokenizer.json")));
    expectCompleteModelFolder(dir);
    expect(readJson(join(dir, "model", "config.json")).vocab_size).toBe(tok.paddedVocabSize);
    expect((await loadTokenizer(join(dir, "model"))).encode("the cat saw the ship")).toEqual(tok.encode("the cat saw the ship"));
  }, 120_000);

  it("--objective: the first step's loss tokens are those of the objective's first batches", async () => {
    const tokenizer = await loadTokenizer(join(p, "tokenizer.json"));
    const texts: string[] = [];
    for await (const d of readCorpus({ paths: [corpus] })) texts.push(d.text);
    const firstLossTokens = async (objective: string) => {
      const data = await preparePretrainingData({ documents: texts, tokenizer, objective, batchSize: 2, seqLength: 48, seed: 5 });
      return lossTokens((await data.trainBatches().next())!);
    };
    const dir = join(root, "document");
    // The tokenizer of run p, so that the expected batches can be built here.
    const r = await glm([...base, "--tokenizer", join(p, "tokenizer.json"), "--objective", "document", "--steps", "1", "--out", dir]);
    expect(r.code, r.output).toBe(0);
    expect(readJson(join(dir, "run.json")).objective).toBe("document");
    const expected = await firstLossTokens("document");
    expect(expected).not.toBe(await firstLossTokens("mixed"));
    expect(trainRows(dir)[0]!.loss_tokens).toBe(expected);
    // Document blanks: one span per row, so rows are at most 48 + 2 tokens.
    expect(r.stdout).toContain("rows of up to 50 tokens");
  }, 120_000);

  it("--held-out-every and --valid-wikitext: the held-out split and a WikiText evaluation set", async () => {
    const wiki = join(root, "wiki.txt");
    writeFileSync(
      wiki,
      " \n = Rivers = \n \n The cat saw the river . The dog liked the ship . \n \n = Ships = \n \n My sister found an apple . A young girl called the captain . \n",
    );
    const dir = join(root, "held-out");
    // Half the corpus is held out, so the training split has fewer distinct words: a smaller vocabulary.
    const r = await glm([
      ...base,
      "--train-tokenizer",
      "80",
      "--held-out-every",
      "2",
      "--valid-wikitext",
      wiki,
      "--steps",
      "2",
      "--eval-every",
      "2",
      "--out",
      dir,
    ]);
    expect(r.code, r.output).toBe(0);
    // Every 2nd run of 10 documents: 10–19, 30–39, … = 120 of 240.
    expect(r.stdout).toContain("corpus: 240 documents (120 train, 120 held out)");
    const evals = metrics(dir).filter((m) => m.split !== undefined);
    expect(evals.map((m) => [m.step, m.split])).toEqual([
      [2, "valid"],
      [2, "wikitext"],
    ]);
    expect(readJson(join(dir, "run.json"))).toMatchObject({ heldOutEvery: 2, validWikitext: wiki });
  }, 120_000);

  it("--time-budget: stops with a checkpoint, a final evaluation, the summary and a complete model folder", async () => {
    const dir = join(root, "budget");
    const r = await glm([...trained, "--steps", "100000", "--time-budget", "0.1", "--out", dir]);
    expect(r.code, r.output).toBe(0);
    const step = readJson(join(dir, "checkpoints", "latest.json")).step as number;
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(100000);
    expect(r.stdout).toContain(`time budget of 0.1 min reached at step ${step}; checkpoint saved`);
    expect(
      metrics(dir)
        .filter((m) => m.split === "valid")
        .map((m) => m.step),
    ).toEqual([step]);
    expect(readJson(join(dir, "summary.json"))).toMatchObject({ step, reason: "interrupted" });
    expectCompleteModelFolder(dir);
  }, 120_000);

  it("--nan-policy: stop checkpoints the last finite step and exits 1; skip logs skipped steps and goes on", async () => {
    // A learning rate of 1e30 (no clipping, no weight decay) overflows the weights in one update.
    const blowUp = ["--lr", "1e30", "--weight-decay", "0", "--clip", "0", "--warmup", "0"];
    const stop = join(root, "nan-stop");
    const a = await glm([...trained, ...blowUp, "--steps", "4", "--nan-policy", "stop", "--out", stop]);
    expect(a.code, a.output).toBe(1);
    expect(a.stdout).toContain('step 2: loss is NaN; stopped with a checkpoint of step 1 (policy "stop")');
    expect(readJson(join(stop, "checkpoints", "latest.json")).step).toBe(1);
    const skip = join(root, "nan-skip");
    const b = await glm([...trained, ...blowUp, "--steps", "4", "--out", skip]);
    expect(b.code, b.output).toBe(0);
    expect(trainRows(skip).map((r) => [r.step, r.skipped ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
    ]);
    expect(b.stdout).toContain('step 4: loss is NaN; update skipped (policy "skip", 3 in a row)');
  }, 120_000);
});
