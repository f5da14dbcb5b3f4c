import { describe, expect, it } from "vitest";
import { splitHeldOut } from "./held-out.js";
import { IteratorSource } from "./iterator-source.js";
import { wikitextArticles, wikitextDetokenize } from "./wikitext.js";
import { syntheticBatch } from "../loop/synthetic.test-helper.js";

describe("splitHeldOut", () => {
  it("holds out every n-th run of documents, deterministically", () => {
    const docs = Array.from({ length: 100 }, (_, i) => i);
    const { train, heldOut } = splitHeldOut(docs, { every: 5, run: 4 });
    expect(heldOut).toEqual([16, 17, 18, 19, 36, 37, 38, 39, 56, 57, 58, 59, 76, 77, 78, 79, 96, 97, 98, 99]);
    expect(train).toHaveLength(80);
    expect(new Set([...train, ...heldOut]).size).toBe(100);
  });

  it("refuses a split that holds out nothing or everything, with a coded option error", () => {
    for (const [options, message] of [
      [{ every: 1 }, "splitHeldOut: every must be an integer >= 2, got 1"],
      [{ every: 2.5 }, "splitHeldOut: every must be an integer >= 2, got 2.5"],
      [{ run: 0 }, "splitHeldOut: run must be an integer >= 1, got 0"],
    ] as const) {
      expect(() => splitHeldOut([1, 2, 3], options)).toThrow(expect.objectContaining({ code: "OPTION_INVALID", message }));
    }
  });
});

describe("IteratorSource", () => {
  it("re-creates the iterator at the saved state on restore", async () => {
    const make = (from = 0) => {
      let i = from;
      return { next: () => syntheticBatch(1, i++), state: () => i };
    };
    const a = new IteratorSource<number>(make);
    a.next();
    a.next();
    const saved = a.state();
    const third = (await a.next())!;
    const b = new IteratorSource<number>(make);
    b.restore(saved);
    expect([...(await b.next())!.inputIds]).toEqual([...third.inputIds]);
  });
});

describe("wikitext helpers", () => {
  it("undoes WikiText tokenization and splits articles at top-level headings", () => {
    expect(wikitextDetokenize('a 60 @-@ cm claw , known as " red " ( 13 lb ) . It isn\'t')).toBe('a 60-cm claw, known as "red" (13 lb). It isn\'t');
    const text = " \n = First = \n \n Alpha , beta . \n \n = = Sub = = \n Gamma . \n = Second = \n Delta ! \n";
    expect(wikitextArticles(text)).toEqual(["Alpha, beta.\nGamma.", "Delta!"]);
  });
});

describe("summarizeRun", () => {
  it("takes the last step's evaluations, the recent train loss (skipped steps excluded) and the median speed", async () => {
    const { summarizeRun } = await import("./run-summary.js");
    const row = (step: number, loss: number, tokens_per_s: number, skipped?: boolean) => ({
      step,
      loss,
      lr: 1,
      grad_norm: 1,
      clip_scale: 1,
      tokens_per_s,
      mfu: 0,
      loss_tokens: 1,
      num_tensors: 1,
      memory_bytes: 1,
      elapsed_s: step,
      ...(skipped ? { skipped } : {}),
    });
    const rows = [
      row(1, 9, 100),
      row(2, 5, 300),
      { step: 2, split: "old", loss: 1, perplexity: 1, accuracy: 0, tokens: 1 },
      row(3, NaN, 1, true),
      row(4, 3, 200),
      { step: 4, split: "valid", loss: 4, perplexity: Math.exp(4), accuracy: 0.2, tokens: 10 },
    ];
    const s = summarizeRun(rows, 4, 2);
    expect(s.trainLoss).toBe(4);
    expect(s.window).toBe(2);
    expect(s.medianTokensPerS).toBe(200);
    expect(s.elapsedS).toBe(4);
    expect(s.final.map((r) => r.split)).toEqual(["valid"]);
  });
});

describe("run records", () => {
  it("refuses a resume with different defining options and keeps the first schedule", async () => {
    const { MemoryStorage } = await import("../storage/train-storage.js");
    const { checkRunRecord, scheduleForRun } = await import("./run-record.js");
    const storage = new MemoryStorage();
    await checkRunRecord(storage, { seed: 5, batch: 8 }, false);
    await checkRunRecord(storage, { seed: 5, batch: 8 }, true);
    await expect(checkRunRecord(storage, { seed: 6, batch: 8 }, true, (k) => `--${k}`)).rejects.toThrow(
      expect.objectContaining({ code: "RESUME_OPTIONS_DIFFER", message: expect.stringMatching(/--seed \(first run: 5, now: 6\)/) }),
    );
    // An option added after the run was recorded: its old behaviour is assumed.
    const old = { packing: "sequential" };
    await checkRunRecord(storage, { seed: 5, batch: 8, packing: "sequential" }, true, undefined, old);
    await expect(checkRunRecord(storage, { seed: 5, batch: 8, packing: "block" }, true, (k) => `--${k}`, old)).rejects.toThrow(
      /--packing \(first run: "sequential", now: "block"\)/,
    );
    const first = { peakLr: 1e-3, decaySteps: 100, warmupFraction: 0.05, style: "cosine" as const, decayRatio: 0.1 };
    expect(await scheduleForRun(storage, first, false)).toEqual(first);
    expect(await scheduleForRun(storage, { ...first, decaySteps: 500 }, true)).toEqual(first);
    expect((await scheduleForRun(storage, { ...first, decaySteps: 500 }, true, true)).decaySteps).toBe(500);
  });
});

describe("openRun", () => {
  it("a folder without a checkpoint is a fresh start, also on resume: the failed attempt's records are replaced", async () => {
    const { MemoryStorage } = await import("../storage/train-storage.js");
    const { openRun, RUN_EXISTS } = await import("./run-record.js");
    const storage = new MemoryStorage();
    expect(await openRun(storage, { defining: { corpus: ["a.txt"] }, resume: false })).toEqual({ mode: "fresh" });
    // The first attempt failed before its first checkpoint, leaving its records and a few metrics.
    await storage.writeTextAtomic("schedule.json", "{}");
    await storage.appendText("metrics.jsonl", '{"step":1,"loss":9}\n');
    const again = await openRun(storage, { defining: { corpus: ["b.txt"] }, resume: true, flag: (k) => `--${k}` });
    expect(again).toEqual({ mode: "fresh", replaced: ["run.json", "schedule.json", "metrics.jsonl"] });
    expect(JSON.parse(await storage.readText("run.json"))).toEqual({ corpus: ["b.txt"] });
    expect(await storage.exists("metrics.jsonl")).toBe(false);
    // Once a checkpoint exists: resume checks run.json, and a new run is refused.
    await storage.writeTextAtomic("checkpoints/latest.json", '{"step":2,"file":"checkpoints/step-0000002.safetensors"}');
    expect(await openRun(storage, { defining: { corpus: ["b.txt"] }, resume: true })).toEqual({ mode: "resume" });
    await expect(openRun(storage, { defining: { corpus: ["c.txt"] }, resume: true, flag: (k) => `--${k}` })).rejects.toThrow(
      /--corpus \(first run: \["b.txt"\], now: \["c.txt"\]\)/,
    );
    await expect(openRun(storage, { defining: { corpus: ["b.txt"] }, resume: false })).rejects.toMatchObject({ code: RUN_EXISTS });
  });
});
