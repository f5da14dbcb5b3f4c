import { describe, expect, it } from "vitest";
import { plannedSteps } from "./calibrate.js";
import { clock } from "./progress.js";

describe("plannedSteps", () => {
  it("fills the budget less the evaluations and a margin, and never plans fewer than 10 steps", () => {
    // 240 s at 0.5 s a step = 480 steps, less 5 evaluations × 8/3 step-equivalents, less 3 %.
    expect(plannedSteps(240, 0.5, 4)).toBe(Math.floor(0.97 * (480 - 40 / 3)));
    expect(plannedSteps(10, 5, 4)).toBe(10);
  });
});

describe("clock", () => {
  it("prints minutes and seconds", () => {
    expect([clock(0), clock(59.6), clock(61), clock(3600), clock(-3)]).toEqual(["0:00", "1:00", "1:01", "60:00", "0:00"]);
  });
});
