import { describe, expect, it } from "vitest";
import { GLM_PRETRAIN_SCHEDULE, learningRateAt, type ScheduleOptions } from "./schedule.js";

const base: ScheduleOptions = { peakLr: 1e-3, decaySteps: 100, warmupFraction: 0.1, style: "cosine", decayRatio: 0.1 };

describe("learningRateAt", () => {
  it("warms up linearly over warmupFraction·decaySteps updates, starting above zero", () => {
    expect(learningRateAt(1, base)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(5, base)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt(10, base)).toBeCloseTo(1e-3, 12);
  });

  it("decays by a half cosine to the floor ratio and stays there", () => {
    // s = (55 − 10)/90 = 0.5 → r + (1 − r)·(1 + cos(π/2))/2 = 0.1 + 0.45 = 0.55 of the peak.
    expect(learningRateAt(55, base)).toBeCloseTo(0.55e-3, 12);
    expect(learningRateAt(100, base)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(250, base)).toBeCloseTo(1e-4, 12);
  });

  it("decays linearly to the floor ratio at decaySteps (floored after)", () => {
    const linear = { ...base, style: "linear" as const };
    expect(learningRateAt(55, linear)).toBeCloseTo(1e-3 * (1 - 0.9 * 0.5), 12);
    expect(learningRateAt(100, linear)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(180, linear)).toBeCloseTo(1e-4, 12);
  });

  it("keeps GLM-Base's pretraining values as the defaults", () => {
    expect(GLM_PRETRAIN_SCHEDULE).toEqual({ peakLr: 4e-4, warmupFraction: 0.05, style: "cosine", decayRatio: 0.05 });
    expect(() => learningRateAt(1, { ...base, decaySteps: 0 })).toThrow(/decaySteps/);
  });
});
