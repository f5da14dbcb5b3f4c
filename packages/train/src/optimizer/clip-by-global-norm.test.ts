import { describe, expect, it } from "vitest";
import { tf } from "@glmjs/core";
import { clipByGlobalNorm, globalNorm } from "./clip-by-global-norm.js";

describe("global-norm clipping", () => {
  it("computes the norm over all tensors together and scales by maxNorm/(norm + 1e-6)", () => {
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor2d([[12]]);
    const norm = globalNorm([a, b]);
    expect(norm.dataSync()[0]).toBeCloseTo(13, 5);
    const [ca, cb] = clipByGlobalNorm([a, b], 13, 1.0);
    const coef = 1 / (13 + 1e-6);
    expect([...ca!.dataSync()].map((x) => x / coef)).toEqual([expect.closeTo(3, 4), expect.closeTo(4, 4)]);
    expect(cb!.dataSync()[0]! / coef).toBeCloseTo(12, 4);
    expect(cb!.shape).toEqual([1, 1]);
    tf.dispose([a, b, norm, ca!, cb!]);
  });

  it("leaves gradients below the limit (and non-finite norms) unchanged", () => {
    const a = tf.tensor1d([0.3, 0.4]);
    const [same] = clipByGlobalNorm([a], 0.5, 1.0);
    expect([...same!.dataSync()]).toEqual([...a.dataSync()]);
    const [nan] = clipByGlobalNorm([a], NaN, 1.0);
    expect([...nan!.dataSync()]).toEqual([...a.dataSync()]);
    tf.dispose([a, same!, nan!]);
  });
});
