// `glm finetune cloze|seq2seq` end to end (the built CLI in a child process) on a tiny model
// folder: run folder, metrics, complete model folder with task.json, exact --resume with dropout
// on after Ctrl-C, sizes refused before any work.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glm, readJson, trainRows } from "../test/glm.test-helper.js";
import { cueSentences, writeTinyModel, writeTsv } from "../test/model.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-finetune-"));
const model = join(root, "model");
const train = join(root, "train.tsv");
const dev = join(root, "dev.tsv");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const s2s = join(root, "s2s");
beforeAll(async () => {
  const rows = cueSentences(60, 3);
  writeTsv(train, rows);
  writeTsv(dev, cueSentences(12, 9));
  const texts = rows.map((r) => `${r.sentence} It was great . It was terrible . it is`);
  await writeTinyModel(model, texts, { vocabSize: 100 });
  mkdirSync(s2s);
  const pairs = cueSentences(24, 5).map((r) => [r.sentence, `it was ${r.label === "1" ? "great" : "terrible"} .`] as const);
  writeFileSync(
    join(s2s, "train.source"),
    pairs
      .slice(0, 18)
      .map((p) => p[0])
      .join("\n") + "\n",
  );
  writeFileSync(
    join(s2s, "train.target"),
    pairs
      .slice(0, 18)
      .map((p) => p[1])
      .join("\n") + "\n",
  );
  writeFileSync(
    join(s2s, "dev.source"),
    pairs
      .slice(18)
      .map((p) => p[0])
      .join("\n") + "\n",
  );
  writeFileSync(
    join(s2s, "dev.target"),
    pairs
      .slice(18)
      .map((p) => p[1])
      .join("\n") + "\n",
  );
});

const cloze = (out: string, ...extra: string[]) => [
  "finetune",
  "cloze",
  "--model",
  model,
  "--data",
  train,
  "--dev",
  dev,
  "--pattern",
  "{sentence} It was [MASK].",
  "--labels",
  "0=terrible,1=great",
  "--max-length",
  "32",
  "--batch",
  "4",
  "--lr",
  "1e-3",
  "--backend",
  "wasm",
  "--out",
  out,
  ...extra,
];
const losses = (dir: string) => trainRows(dir).map((r) => [r.step, r.loss]);

describe("glm finetune cloze", () => {
  it("writes metrics with held-out accuracy, the plot, checkpoints and a model folder that glm eval reads without task flags", async () => {
    const out = join(root, "cloze");
    const r = await glm(cloze(out, "--steps", "4", "--eval-every", "2"));
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toBe("");
    const rows = readFileSync(join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((x) => x.split === undefined).map((x) => x.step)).toEqual([1, 2, 3, 4]);
    const evals = rows.filter((x) => x.split === "dev");
    expect(evals.map((x) => [x.step, x.tokens])).toEqual([
      [2, 12],
      [4, 12],
    ]);
    for (const e of evals) expect(e.accuracy * 12).toBeCloseTo(Math.round(e.accuracy * 12), 5);
    expect(readFileSync(join(out, "loss.svg"), "utf8")).toContain("<svg");
    expect(readJson(join(out, "checkpoints", "latest.json")).step).toBe(4);
    expect(readJson(join(out, "model", "task.json"))).toEqual({
      kind: "cloze",
      pattern: "{sentence} It was [MASK].",
      verbalizer: { labels: ["0", "1"], words: ["terrible", "great"] },
      labelField: "label",
      maxLength: 32,
    });
    expect(r.stdout).toMatch(/final @ step 4: dev: loss [\d.]+ accuracy [\d.]+% over 12 examples/);
    const final = evals.at(-1)!;
    // glm eval on the fine-tuned model: same task from task.json, same held-out accuracy as the run's last evaluation.
    const e = await glm(["eval", "cloze", "--model", join(out, "model"), "--data", dev, "--backend", "wasm", "--json"]);
    expect(e.code, e.output).toBe(0);
    const json = JSON.parse(e.stdout);
    expect(json.examples).toBe(12);
    expect(json.accuracy).toBeCloseTo(final.accuracy, 6);
    expect(json.loss).toBeCloseTo(final.loss, 4);
  }, 240_000);

  it("stopped by Ctrl-C and resumed, gives the uninterrupted run's losses exactly (dropout 0.1 on)", async () => {
    const straight = join(root, "straight");
    const a = await glm(cloze(straight, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "1"));
    expect(a.code, a.output).toBe(0);
    const resumed = join(root, "resumed");
    let sent = false;
    const b1 = await glm(cloze(resumed, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "1"), {
      onLine: (line, child) => {
        if (!sent && line.startsWith("step 3/")) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(b1.code, b1.output).toBe(130);
    expect(b1.output).toMatch(/interrupted at step \d; checkpoint saved, continue with --resume/);
    const refused = await glm(cloze(resumed, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "1"));
    expect(refused.stderr).toMatch(/already holds a run.*--resume/);
    const changed = await glm(cloze(resumed, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "1", "--dropout", "0.2", "--resume"));
    expect(changed.stderr).toMatch(/--dropout \(first run: 0\.1, now: 0\.2\)/);
    const b2 = await glm(cloze(resumed, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "1", "--resume"));
    expect(b2.code, b2.output).toBe(0);
    expect(b2.output).toContain("resumed from step");
    expect(losses(resumed)).toEqual(losses(straight));
    // Dropout was on: the same run without it trains differently from the first step.
    const off = join(root, "no-dropout");
    expect((await glm(cloze(off, "--steps", "1", "--eval-every", "0", "--dropout", "0"))).code).toBe(0);
    expect(losses(off)[0]![1]).not.toBe(losses(straight)[0]![1]);
  }, 300_000);

  it("refuses sizes the model cannot hold and contradictory flags before any work, naming the flags", async () => {
    const big = await glm(cloze(join(root, "big"), "--steps", "2", "--max-length", "400"));
    expect(big.code).toBe(1);
    expect(big.stderr).toContain("--max-length 400 exceeds the model's max_sequence_length 128");
    const both = await glm(cloze(join(root, "both"), "--steps", "2", "--epochs", "1"));
    expect(both.stderr).toContain("give --steps or --epochs, not both");
    const wd = await glm(cloze(join(root, "wd"), "--steps", "2", "--lr", "2", "--weight-decay", "0.9"));
    expect(wd.stderr).toMatch(/--weight-decay must be < 1 \/ --lr/);
    const noTask = await glm(["finetune", "cloze", "--model", model, "--data", train, "--out", join(root, "x"), "--steps", "1"]);
    expect(noTask.stderr).toMatch(/give --preset .* or both --pattern .* and --labels/);
  }, 120_000);
});

describe("glm finetune seq2seq", () => {
  it("trains a few steps on source/target line files and writes a model folder glm eval seq2seq reads", async () => {
    const out = join(root, "seq2seq");
    const r = await glm([
      "finetune",
      "seq2seq",
      "--model",
      model,
      "--data",
      s2s,
      "--source-length",
      "16",
      "--target-length",
      "8",
      "--steps",
      "3",
      "--batch",
      "4",
      "--lr",
      "1e-3",
      "--backend",
      "wasm",
      "--out",
      out,
    ]);
    expect(r.code, r.output).toBe(0);
    expect(trainRows(out).map((x) => x.step)).toEqual([1, 2, 3]);
    expect(r.stdout).toMatch(/final @ step 3: dev: loss [\d.]+ ppl [\d.]+ token accuracy [\d.]+% over 30 target tokens/);
    const task = readJson(join(out, "model", "task.json"));
    expect(task).toMatchObject({
      kind: "seq2seq",
      format: "custom",
      sourceLength: 16,
      targetLength: 8,
      decoding: { strategy: "beam", numBeams: 5, maxNewTokens: 8 },
    });
    const e = await glm(["eval", "seq2seq", "--model", join(out, "model"), "--data", s2s, "--strategy", "greedy", "--backend", "wasm", "--json"]);
    expect(e.code, e.output).toBe(0);
    const json = JSON.parse(e.stdout);
    expect(json).toMatchObject({ examples: 6, format: "custom", decoding: { strategy: "greedy", maxNewTokens: 8 } });
    for (const k of ["rouge1", "rouge2", "rougeL", "bleu4"]) expect(json[k]).toBeGreaterThanOrEqual(0);
    expect(json.loss).toBeGreaterThan(0);
  }, 240_000);
});
