// Out-of-range hyper-parameters are refused by the library itself, naming the option by its path
// (front ends map the path to their own spelling, e.g. the CLI's --lr).
import { describe, expect, it } from "vitest";
import { GLMModel } from "@glmjs/core";
import { isInvalidOptionError } from "@glmjs/data";
import { AdamW, GLM_ADAMW } from "../optimizer/adamw.js";
import { learningRateAt, validateSchedule, type ScheduleOptions } from "../optimizer/schedule.js";
import { MemoryStorage } from "../storage/train-storage.js";
import { Trainer } from "./trainer.js";
import { DEFAULT_TRAINER_OPTIONS, validateTrainerOptions, type TrainerOptions } from "./trainer-options.js";
import { SyntheticSource, TINY } from "./synthetic.test-helper.js";

const schedule: ScheduleOptions = { peakLr: 1e-3, decaySteps: 10, warmupFraction: 0.1, style: "cosine", decayRatio: 0.1 };
const good: TrainerOptions = { ...DEFAULT_TRAINER_OPTIONS, steps: 10, optimizer: GLM_ADAMW, schedule };

function refusal(f: () => unknown): { option: string; value: unknown; message: string } {
  try {
    f();
  } catch (e) {
    if (isInvalidOptionError(e)) return { option: e.option, value: e.value, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

describe("option validation", () => {
  it("accepts the defaults and the edges of every range", () => {
    expect(() => validateTrainerOptions(good)).not.toThrow();
    expect(() => validateTrainerOptions({ ...good, clipNorm: 0, schedule: { ...schedule, warmupFraction: 0, decayRatio: 1 } })).not.toThrow();
    expect(() => validateSchedule({ ...schedule, warmupFraction: 1, decayRatio: 0, style: "constant" })).not.toThrow();
  });

  it.each([
    [{ schedule: { ...schedule, peakLr: -1 } }, "schedule.peakLr", -1],
    [{ schedule: { ...schedule, peakLr: 0 } }, "schedule.peakLr", 0],
    [{ schedule: { ...schedule, decayRatio: 5 } }, "schedule.decayRatio", 5],
    [{ schedule: { ...schedule, warmupFraction: -1 } }, "schedule.warmupFraction", -1],
    [{ schedule: { ...schedule, warmupFraction: 1.5 } }, "schedule.warmupFraction", 1.5],
    [{ schedule: { ...schedule, decaySteps: 2.5 } }, "schedule.decaySteps", 2.5],
    [{ schedule: { ...schedule, style: "exp" as never } }, "schedule.style", "exp"],
    [{ optimizer: { ...GLM_ADAMW, weightDecay: -1 } }, "optimizer.weightDecay", -1],
    [{ optimizer: { ...GLM_ADAMW, beta2: 1 } }, "optimizer.beta2", 1],
    [{ optimizer: { ...GLM_ADAMW, epsilon: 0 } }, "optimizer.epsilon", 0],
    [{ clipNorm: -1 }, "clipNorm", -1],
    [{ clipNorm: NaN }, "clipNorm", NaN],
    [{ accumulation: 0 }, "accumulation", 0],
    [{ steps: -1 }, "steps", -1],
    [{ nanPolicy: "ignore" as never }, "nanPolicy", "ignore"],
    [{ checkpointEvery: 1.5 }, "checkpointEvery", 1.5],
  ] as [Partial<TrainerOptions>, string, unknown][])("refuses %o, naming %s", (change, option, value) => {
    const r = refusal(() => validateTrainerOptions({ ...good, ...change }));
    expect(r.option).toBe(option);
    expect(r.value).toBe(value);
    expect(r.message).toContain(`Trainer: ${option} must be`);
  });

  it("refuses a weight decay that would flip the weights at the peak learning rate", () => {
    const r = refusal(() => validateTrainerOptions({ ...good, schedule: { ...schedule, peakLr: 0.5 }, optimizer: { ...GLM_ADAMW, weightDecay: 2 } }));
    expect(r.option).toBe("optimizer.weightDecay");
    expect(r.message).toMatch(/must be < 1 \/ schedule.peakLr = 2/);
  });

  it("checks in the Trainer, AdamW and the schedule themselves, so API users are covered", () => {
    const model = GLMModel.fromConfig(TINY, { seed: 1 });
    expect(
      refusal(() => new Trainer(model, new SyntheticSource(1, 2), [], new MemoryStorage(), { ...good, schedule: { ...schedule, peakLr: -1 } })).option,
    ).toBe("schedule.peakLr");
    expect(refusal(() => new AdamW(model.namedVariables(), { weightDecay: -0.1 })).option).toBe("weightDecay");
    const adam = new AdamW(model.namedVariables());
    expect(refusal(() => adam.applyGradients(new Map(), -1)).option).toBe("lr");
    adam.dispose();
    expect(refusal(() => learningRateAt(1, { ...schedule, decaySteps: 0 })).option).toBe("decaySteps");
    model.dispose();
  });
});

describe("library messages", () => {
  it("name no command-line flag (front ends add their own)", async () => {
    const storage = new MemoryStorage();
    const model = GLMModel.fromConfig(TINY, { seed: 1 });
    const first = new Trainer(model, new SyntheticSource(1, 2), [], storage, { ...good, steps: 1, evalEvery: 0, checkpointEvery: 0 });
    first.requestStop();
    const stopped = await first.run();
    expect(stopped.message).toBe("interrupted at step 0; checkpoint saved (resume() continues from it)");
    first.dispose();
    const other = GLMModel.fromConfig({ ...TINY, hidden_size: 64 }, { seed: 1 });
    const second = new Trainer(other, new SyntheticSource(1, 2), [], storage, good);
    const error = await second.resume().then(
      () => new Error("resumed"),
      (e: Error) => e,
    );
    expect(error.message).toMatch(
      /checkpoint step 0 was trained with another model \(hidden_size 32 → 64\); resume with the model configuration and tokenizer of that run, or start a new run in another folder/,
    );
    expect(error.message).not.toMatch(/--/);
    expect((error as { code?: string }).code).toBe("CHECKPOINT_MISMATCH");
    second.dispose();
    model.dispose();
    other.dispose();
  });
});
