// The matMul options' checks run without a GPU: the codes callers branch on.
import { GlmjsError } from "@glmjs/common";
import { afterEach, describe, expect, it } from "vitest";
import { resetWebGPUMatMul, setWebGPUMatMul, webGPUMatMulOptions, webGPUMatMulPlan } from "./kernel.js";

function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

describe("setWebGPUMatMul / webGPUMatMulPlan", () => {
  afterEach(() => resetWebGPUMatMul());

  it("refuses an option that is not a non-negative integer (OPTION_INVALID) and keeps the previous options", () => {
    const before = { ...webGPUMatMulOptions() };
    expect(thrownCode(() => setWebGPUMatMul({ minOuter: -1 }))).toBe("OPTION_INVALID");
    expect(thrownCode(() => setWebGPUMatMul({ targetWorkgroups: 2.5 }))).toBe("OPTION_INVALID");
    expect(webGPUMatMulOptions()).toEqual(before);
  });

  it("needs device limits when the webgpu backend is not active (OPTION_INVALID)", () => {
    expect(thrownCode(() => webGPUMatMulPlan([64, 64], [64, 64]))).toBe("OPTION_INVALID");
  });
});
