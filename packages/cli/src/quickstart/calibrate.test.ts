import { describe, expect, it } from "vitest";
import { plannedSteps, steadyStepSeconds } from "./calibrate.js";
import { clock } from "./progress.js";

describe("plannedSteps", () => {
  it("fills the budget less the evaluations and a margin, and never plans fewer than 10 steps", () => {
    // 240 s at 0.5 s a step = 480 steps, less 5 evaluations × 8/3 step-equivalents, less 3 %.
    expect(plannedSteps(240, 0.5, 4)).toBe(Math.floor(0.97 * (480 - 40 / 3)));
    expect(plannedSteps(10, 5, 4)).toBe(10);
  });
});

describe("steadyStepSeconds", () => {
  it("takes the lower quartile of the step times after the warm-up steps, not the slow first ones", () => {
    // Steps of 2.0, 0.9, 0.6, 0.5 s (warm-up), then 0.30, 0.20, 0.25, 0.22, 0.90 (a hiccup), 0.24, 0.21, 0.23, 0.26 s.
    const times = [2.0, 0.9, 0.6, 0.5, 0.3, 0.2, 0.25, 0.22, 0.9, 0.24, 0.21, 0.23, 0.26];
    const elapsed = times.map((_, i) => times.slice(0, i + 1).reduce((a, b) => a + b, 0));
    // The 9 steady times sorted: 0.20, 0.21, 0.22, 0.23, ...: the lower quartile is the third.
    expect(steadyStepSeconds(elapsed)).toBeCloseTo(0.22, 10);
    // Too few steps to leave any out: the lower quartile of them all (1.0, 0.5, 0.25 → 0.25).
    expect(steadyStepSeconds([1, 1.5, 1.75])).toBeCloseTo(0.25, 10);
  });
});

describe("clock", () => {
  it("prints minutes and seconds", () => {
    expect([clock(0), clock(59.6), clock(61), clock(3600), clock(-3)]).toEqual(["0:00", "1:00", "1:01", "60:00", "0:00"]);
  });
});
