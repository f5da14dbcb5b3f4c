import { describe, expect, it } from "vitest";
import { UnigramModel } from "./unigram-model.js";
import { syntheticBatch } from "./synthetic.test-helper.js";

describe("UnigramModel", () => {
  it("computes the smoothed unigram cross-entropy on the loss tokens", () => {
    // Counts 3, 1, 0 with add-one smoothing: p = 4/7, 2/7, 1/7.
    const u = new UnigramModel([3, 1, 0], 3);
    expect(u.logProb(0)).toBeCloseTo(Math.log(4 / 7), 12);
    const batch = { ...syntheticBatch(1, 0, 1, 4, 3), targets: new Int32Array([0, 1, 2, 0]), lossMask: new Float32Array([1, 1, 0, 1]) };
    expect(u.crossEntropy([batch])).toBeCloseTo(-(2 * Math.log(4 / 7) + Math.log(2 / 7)) / 3, 12);
  });

  it("estimated from batches, counts only loss-masked targets", () => {
    const batch = { ...syntheticBatch(1, 0, 1, 4, 3), targets: new Int32Array([2, 2, 1, 0]), lossMask: new Float32Array([1, 1, 1, 0]) };
    const u = UnigramModel.fromBatches([batch], 3, 0);
    expect(Math.exp(u.logProb(2))).toBeCloseTo(2 / 3, 12);
    expect(u.logProb(0)).toBe(-Infinity);
  });
});

describe("trainingStepFlops", () => {
  it("counts the layers for every token and the vocabulary projection for loss tokens only, ×3", async () => {
    const { trainingStepFlops } = await import("./flops.js");
    const batch = syntheticBatch(1, 0, 2, 10, 50);
    // forward = 20 tokens · (2·12·1·4² + 4·1·10·4) + 3 loss tokens · 2·50·4 = 20·544 + 1200 = 12080
    expect(trainingStepFlops({ num_layers: 1, hidden_size: 4, vocab_size: 50 }, batch, 3)).toBe(3 * 12080);
  });
});
