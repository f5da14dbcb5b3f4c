import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/train-storage.js";
import { MetricsLog, type EvalRow, type TrainRow } from "./metrics-log.js";
import { lossCurveSvg } from "./loss-curve-svg.js";

const trainRow = (step: number, loss: number): TrainRow => ({
  step,
  loss,
  lr: 1e-3,
  grad_norm: 0.5,
  clip_scale: 1,
  tokens_per_s: 100,
  mfu: 0.1,
  loss_tokens: 10,
  num_tensors: 5,
  memory_bytes: 1000,
  elapsed_s: step,
});

describe("MetricsLog", () => {
  it("writes one JSON object per line and trims rows after the checkpoint on restore", async () => {
    const storage = new MemoryStorage();
    const log = new MetricsLog(storage);
    for (let s = 1; s <= 5; s++) await log.append(trainRow(s, 10 - s));
    const evalRow: EvalRow = { step: 4, split: "valid", loss: 6.5, perplexity: Math.exp(6.5), accuracy: 0.1, tokens: 50 };
    await log.append(evalRow);
    const lines = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ step: 1, loss: 9, lr: 0.001 });
    expect(lines[5]).toMatchObject({ step: 4, split: "valid", loss: 6.5 });
    await storage.appendText("metrics.jsonl", '{"step": 6, "lo'); // a line cut by a kill
    const warnings: string[] = [];
    const resumed = new MetricsLog(storage);
    await resumed.restore(4, (m) => warnings.push(m));
    expect(resumed.all().map((r) => r.step)).toEqual([1, 2, 3, 4, 4]);
    expect(warnings[0]).toMatch(/line 7/);
    expect((await storage.readText("metrics.jsonl")).trim().split("\n")).toHaveLength(5);
  });
});

describe("lossCurveSvg", () => {
  it("draws the train curve, each evaluation split and the baselines", () => {
    const rows = [trainRow(1, 9), trainRow(2, 8), trainRow(3, 7), { step: 3, split: "valid", loss: 7.5, perplexity: 1, accuracy: 0, tokens: 1 } as EvalRow];
    const svg = lossCurveSvg(rows, { title: "run <1>", baselines: [{ label: "unigram", value: 8.5 }] });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("run &lt;1&gt;");
    expect(svg).toContain(">valid<");
    expect(svg).toContain("unigram (8.5)");
    expect(svg.match(/<circle/g)).toHaveLength(1);
  });
});
