// Accuracy, confusion matrix, per-class and macro scores on a hand-worked example.
import { describe, expect, it } from "vitest";
import { accuracy } from "./accuracy.js";
import { classificationReport, confusionMatrix, macroF1 } from "./classification.js";
import { perplexity } from "./perplexity.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

// 8 examples, 3 classes.
//   labels:      a a a b b c c c
//   predictions: a a b b c c c a
const labels = ["a", "a", "a", "b", "b", "c", "c", "c"];
const predictions = ["a", "a", "b", "b", "c", "c", "c", "a"];

describe("classification metrics", () => {
  it("accuracy: 5 of 8 right", () => {
    expect(accuracy(predictions, labels)).toBe(5 / 8);
  });

  it("confusion matrix: rows are the true class, columns the prediction", () => {
    // a → a a b; b → b c; c → c c a
    expect(confusionMatrix(predictions, labels)).toEqual({
      labels: ["a", "b", "c"],
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [1, 0, 2],
      ],
    });
  });

  it("per-class precision / recall / F1 and their macro means", () => {
    // a: tp 2, predicted 3 (column a), support 3 → P 2/3, R 2/3, F 2/3
    // b: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F 1/2
    // c: tp 2, predicted 3, support 3 → P 2/3, R 2/3, F 2/3
    const r = classificationReport(predictions, labels);
    expect(r.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support])).toEqual([
      ["a", 2 / 3, 2 / 3, 2 / 3, 3],
      ["b", 1 / 2, 1 / 2, 1 / 2, 2],
      ["c", 2 / 3, 2 / 3, 2 / 3, 3],
    ]);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 15);
    expect(r.accuracy).toBe(5 / 8);
    expect(macroF1(predictions, labels)).toBe(r.macroF1);
  });

  it("a class never predicted scores 0 (not NaN) and still counts in the macro mean", () => {
    // labels 0 0 1 1, predictions 0 0 0 0: class 0 P 2/4 R 1 F 2/3; class 1 P 0 (0/0) R 0 F 0.
    expect(macroF1([0, 0, 0, 0], [0, 0, 1, 1])).toBeCloseTo((2 / 3 + 0) / 2, 15);
    // Given labels fix the order and may include classes absent from both arrays (F 0).
    const r = classificationReport([1, 1], [1, 1], { labels: [2, 1] });
    expect(r.perClass.map((c) => [c.label, c.f1])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(r.macroF1).toBe(0.5);
  });

  it("refuses mismatched arrays and labels outside options.labels", () => {
    expect(() => accuracy([1], [1, 2])).toThrow(/1 predictions for 2 labels/);
    expect(() => accuracy([], [])).toThrow(/no examples/);
    expect(() => macroF1(["x"], ["y"], { labels: ["y"] })).toThrow(/"x" \(example 0\) is not in options.labels/);
    expect(thrownCode(() => accuracy([1], [1, 2]))).toBe("INPUT_INVALID");
    expect(thrownCode(() => macroF1(["x"], ["y"], { labels: ["y"] }))).toBe("INPUT_INVALID");
    expect(thrownCode(() => confusionMatrix(["y"], ["y"], { labels: ["y", "y"] }))).toBe("OPTION_INVALID");
  });

  it("perplexity = exp(summed NLL / tokens)", () => {
    expect(perplexity(Math.log(50) * 10, 10)).toBeCloseTo(50, 12);
    expect(() => perplexity(1, 0)).toThrow(/must be positive/);
    expect(() => perplexity(Number.NaN, 3)).toThrow(/finite/);
  });
});
