// Classification scores: confusion matrix, per-class precision / recall / F1, macro averages.
// Conventions as scikit-learn's (labels = the sorted union of both arrays unless given; a ratio
// with a zero denominator counts as 0; macro = unweighted mean over the labels).
import { GlmjsError } from "@glmjs/common";
import { checkPaired } from "./accuracy.js";

export interface ClassificationOptions<T> {
  /**
   * The classes, in the order of the report and the matrix. Default: every value that occurs in
   * the labels or the predictions, sorted (numbers ascending, strings by code unit).
   */
  labels?: readonly T[];
}

export interface ConfusionMatrix<T> {
  labels: T[];
  /** `matrix[i][j]`: examples of true class `labels[i]` predicted as `labels[j]`. */
  matrix: number[][];
}

export interface ClassScores<T> {
  label: T;
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples whose true class is this one. */
  support: number;
}

export interface ClassificationReport<T> {
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  perClass: ClassScores<T>[];
  confusion: ConfusionMatrix<T>;
}

export function confusionMatrix<T>(predictions: readonly T[], labels: readonly T[], options: ClassificationOptions<T> = {}): ConfusionMatrix<T> {
  checkPaired(predictions, labels, "confusionMatrix");
  const classes = options.labels ? [...options.labels] : sortedUnion(predictions, labels);
  const index = new Map<T, number>();
  classes.forEach((c, i) => {
    if (index.has(c)) throw new GlmjsError("OPTION_INVALID", `confusionMatrix: options.labels lists ${String(c)} twice`);
    index.set(c, i);
  });
  const matrix = classes.map(() => Array.from({ length: classes.length }, () => 0));
  for (let k = 0; k < labels.length; k++) {
    const i = index.get(labels[k]);
    const j = index.get(predictions[k]);
    if (i === undefined || j === undefined) {
      const missing = i === undefined ? labels[k] : predictions[k];
      throw new GlmjsError(
        "INPUT_INVALID",
        `confusionMatrix: ${JSON.stringify(missing)} (example ${k}) is not in options.labels; add it or leave options.labels out`,
      );
    }
    matrix[i][j]++;
  }
  return { labels: classes, matrix };
}

/** Accuracy, per-class precision / recall / F1 with support, their macro averages, and the confusion matrix. */
export function classificationReport<T>(predictions: readonly T[], labels: readonly T[], options: ClassificationOptions<T> = {}): ClassificationReport<T> {
  const confusion = confusionMatrix(predictions, labels, options);
  const { matrix } = confusion;
  const n = matrix.length;
  let correct = 0;
  const perClass = confusion.labels.map((label, c) => {
    const tp = matrix[c][c];
    correct += tp;
    let predicted = 0;
    let support = 0;
    for (let k = 0; k < n; k++) {
      predicted += matrix[k][c];
      support += matrix[c][k];
    }
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { label, precision, recall, f1, support };
  });
  const mean = (key: "precision" | "recall" | "f1") => (n === 0 ? 0 : perClass.reduce((s, c) => s + c[key], 0) / n);
  return {
    accuracy: correct / labels.length,
    macroPrecision: mean("precision"),
    macroRecall: mean("recall"),
    macroF1: mean("f1"),
    perClass,
    confusion,
  };
}

/** Unweighted mean of the per-class F1 scores (scikit-learn's `f1_score(average="macro")`). */
export function macroF1<T>(predictions: readonly T[], labels: readonly T[], options: ClassificationOptions<T> = {}): number {
  return classificationReport(predictions, labels, options).macroF1;
}

function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function sortedUnion<T>(a: readonly T[], b: readonly T[]): T[] {
  const values = [...new Set([...b, ...a])];
  if (values.every((v) => typeof v === "number")) return (values as number[]).sort((x, y) => x - y) as T[];
  if (values.every((v) => typeof v === "string")) return (values as string[]).sort() as T[];
  return values;
}
