import { describe, expect, it } from "vitest";
import { CLOZE_FINETUNE_DEFAULTS } from "../cloze/cloze-finetune.js";
import { SEQ2SEQ_FINETUNE_DEFAULTS } from "../seq2seq/seq2seq-finetune.js";
import { FINETUNE_ADAMW, checkFitsModel, resolveRun } from "./trainer-options.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

describe("fine-tuning run options", () => {
  it("apply the original's defaults and derive the steps from epochs", () => {
    const r = resolveRun({}, CLOZE_FINETUNE_DEFAULTS, 100);
    expect(r.batchSize).toBe(16);
    expect(r.stepsPerEpoch).toBe(7);
    expect(r.trainer.steps).toBe(21);
    expect(r.trainer.schedule).toEqual({ peakLr: 1e-5, decaySteps: 21, warmupFraction: 0.1, style: "linear", decayRatio: 0.1 });
    expect(r.trainer.optimizer).toEqual(FINETUNE_ADAMW);
    expect([r.trainer.evalEvery, r.trainer.checkpointEvery]).toEqual([7, 7]);
    const s = resolveRun({ steps: 50, lr: 3e-5, accumulation: 2, batchSize: 4, weightDecay: 0.01 }, SEQ2SEQ_FINETUNE_DEFAULTS, 100, { labelSmoothing: 0.1 });
    expect([s.trainer.steps, s.stepsPerEpoch, s.trainer.accumulation]).toEqual([50, 13, 2]);
    expect(s.trainer.schedule.warmupFraction).toBe(0.06);
    expect(s.trainer.optimizer.weightDecay).toBe(0.01);
    expect(s.trainer.lossOptions).toEqual({ labelSmoothing: 0.1 });
  });

  it("refuse impossible values with the option's name", () => {
    expect(() => resolveRun({ batchSize: 0 }, CLOZE_FINETUNE_DEFAULTS, 10)).toThrow(/batchSize must be a positive integer/);
    expect(() => resolveRun({ lr: -1 }, CLOZE_FINETUNE_DEFAULTS, 10)).toThrow(/learning rate must be > 0/);
    expect(() => resolveRun({ steps: 2.5 }, CLOZE_FINETUNE_DEFAULTS, 10)).toThrow(/steps must be a positive integer/);
    for (const bad of [{ batchSize: 0 }, { lr: -1 }, { steps: 2.5 }, { epochs: 0 }])
      expect(thrownCode(() => resolveRun(bad, CLOZE_FINETUNE_DEFAULTS, 10))).toBe("OPTION_INVALID");
    expect(thrownCode(() => checkFitsModel({ max_sequence_length: 64 }, 128, "the task's maxLength"))).toBe("SEQUENCE_TOO_LONG");
    expect(() => checkFitsModel({ max_sequence_length: 64 }, 128, "the task's maxLength")).toThrow(
      "the task's maxLength 128 exceeds the model's max_sequence_length 64; use at most 64",
    );
    expect(() => checkFitsModel({ max_sequence_length: 64 }, 64, "x")).not.toThrow();
  });
});
