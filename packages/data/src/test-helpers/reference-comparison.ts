// Test-only statistics for comparing our masking statistics with the reference fixture's
// (../shared/fixtures/masking/masking_stats.json), per its README: means within
// 4·sqrt(se_ref² + se_ours²) with batch-cluster standard errors; histograms by a chi-square test
// of homogeneity with the Rao–Scott first-order design-effect correction (samples of one batch
// share the mode and, in document mode, the generation length, so they are not independent).
// Where the reference gives no uncertainty (standard deviations, fractions, histograms), ours
// stands in for it: our values come from several runs over the same inputs, so their
// batch-clustered spread estimates the process's, scaled to the reference's number of batches.
// Every comparison names the reference keys it used, so that a statistic no comparison used is
// reported as uncompared.
import type { Metric } from "../objective-statistics.js";

/** A reference mean with its spread and uncertainty (masking_stats.json). */
export interface RefMetric {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  std_error_of_mean: number;
  batch_cluster_std_error_of_mean: number;
  num_batches: number;
}

/** The reference's own design effect for a metric: (batch-cluster / iid standard error)², at least 1. */
export function refDesignEffect(r: RefMetric): number {
  return r.std_error_of_mean > 0 ? Math.max(1, (r.batch_cluster_std_error_of_mean / r.std_error_of_mean) ** 2) : 1;
}

export function isRefMetric(v: unknown): v is RefMetric {
  return typeof v === "object" && v !== null && "mean" in v && "batch_cluster_std_error_of_mean" in v;
}

/** Upper-tail probability used for every non-mean test (about the 4.3 sigma of a normal). */
const ALPHA_Z = 4.265; // one-sided 1e-5

/** Wilson–Hilferty approximation of the chi-square quantile with `df` degrees of freedom at upper tail ALPHA. */
export function chiSquareCritical(df: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + ALPHA_Z * Math.sqrt(a)) ** 3;
}

/** Cluster-robust standard error of the mean of `values` (one cluster per batch id), as objective-statistics.ts computes it. */
function clusterStdError(values: readonly number[], batches: readonly number[]): { mean: number; se: number; iidSe: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  const clusters = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
    clusters.set(batches[i]!, (clusters.get(batches[i]!) ?? 0) + d);
  }
  let cs = 0;
  for (const c of clusters.values()) cs += c * c;
  const g = clusters.size;
  return { mean, se: g > 1 ? Math.sqrt((cs * g) / (g - 1)) / n : NaN, iidSe: Math.sqrt(ss / n / n) };
}

/** Number of distinct batches among `batches`. */
function clusterCount(batches: readonly number[]): number {
  return new Set(batches).size;
}

/** How much batch clustering inflates the variance of a mean (≥ 1; 1 when it cannot be told). */
function designEffect(values: readonly number[], batches: readonly number[]): number {
  if (values.length < 2) return 1;
  const { se, iidSe } = clusterStdError(values, batches);
  return iidSe > 0 && Number.isFinite(se) ? Math.max(1, (se / iidSe) ** 2) : 1;
}

export class ReferenceComparison {
  readonly report: string[] = [];
  readonly failures: string[] = [];
  private readonly used = new Set<string>();

  private record(path: string, ok: boolean, line: string): void {
    this.used.add(path);
    this.report.push(`${path}: ${line}`);
    if (!ok) this.failures.push(`${path}: ${line}`);
  }

  /** Marks reference keys as used without a comparison of their own (descriptive text, shared sample sizes). */
  use(path: string): void {
    this.used.add(path);
  }

  /** A fact that must hold (e.g. our statistic exists at all). */
  require(path: string, ok: boolean, line: string): void {
    this.record(path, ok, line);
  }

  /**
   * A reference metric against ours: the mean (4·sqrt(se_ref² + se_ours²), batch-cluster standard
   * errors), the standard deviation (same rule, with a cluster-robust standard error of the
   * variance), and the range: no more of ours below the reference's min or above its max than
   * chance allows (the chance that a draw falls outside the extremes of m draws is about 1/(m + 1)).
   */
  metric(path: string, ref: RefMetric, ours: Metric, refBatches: number): void {
    const { values, batches } = ours.entries();
    if (values.length === 0) {
      this.record(path, false, `ours has no values (reference: n ${ref.n}, mean ${ref.mean})`);
      return;
    }
    const { mean, se } = clusterStdError(values, batches);
    const tol = 4 * Math.sqrt(ref.batch_cluster_std_error_of_mean ** 2 + (Number.isFinite(se) ? se : ref.batch_cluster_std_error_of_mean) ** 2) + 1e-12;
    const diff = Math.abs(mean - ref.mean);
    this.record(`${path}.mean`, diff <= tol, `ref ${fmt(ref.mean)} ours ${fmt(mean)} |diff| ${fmt(diff)} tol ${fmt(tol)}`);

    // Standard deviation: the variance is the mean of squared deviations; its cluster-robust
    // standard error comes from those, and se(std) = se(var) / (2·std).
    const squares = values.map((v) => (v - mean) ** 2);
    const variance = clusterStdError(squares, batches);
    const std = Math.sqrt(variance.mean);
    const seStd = std > 0 && Number.isFinite(variance.se) ? variance.se / (2 * std) : 0;
    // The reference's: ours scaled to its batches and, when its own clustering was stronger (its
    // design effect, from its two standard errors of the mean, exceeds ours), by that ratio.
    const deffRatio = Math.max(1, refDesignEffect(ref) / designEffect(values, batches));
    const seRefStd = seStd * Math.sqrt((clusterCount(batches) / refBatches) * deffRatio);
    const stdTol = 4 * Math.sqrt(seStd ** 2 + seRefStd ** 2) + 1e-9 * Math.max(1, ref.std);
    this.record(`${path}.std`, Math.abs(std - ref.std) <= stdTol, `ref ${fmt(ref.std)} ours ${fmt(std)} tol ${fmt(stdTol)}`);

    // Range: the share of ours outside the reference's extremes. With m effective reference draws,
    // P(share below min > t) ≈ exp(−m·t); t = 11.5 / m is a 1e-5 chance per side.
    const deff = designEffect(values, batches);
    const m = Math.max(1, ref.n / deff);
    const nEff = Math.max(1, values.length / deff);
    let below = 0;
    let above = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < ref.min - 1e-12) below++;
      if (v > ref.max + 1e-12) above++;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const limit = 11.5 / m + ALPHA_Z * Math.sqrt(11.5 / m / nEff);
    const share = Math.max(below, above) / values.length;
    this.record(
      `${path}.range`,
      share <= limit,
      `ref [${fmt(ref.min)}, ${fmt(ref.max)}] ours [${fmt(min)}, ${fmt(max)}]: ${below} below, ${above} above of ${values.length} (limit share ${fmt(limit)})`,
    );
    for (const key of ["n", "std_error_of_mean", "batch_cluster_std_error_of_mean", "num_batches", "min", "max"]) this.used.add(`${path}.${key}`);
  }

  /** A reference mean given without its uncertainty: 4·sqrt(se_ref² + se_ours²), the reference's from ours scaled to its batches. */
  meanWithoutError(path: string, refMean: number, ours: Metric, refBatches: number): void {
    const { values, batches } = ours.entries();
    if (values.length === 0) {
      this.record(path, refMean === 0, `ours has no values, reference mean ${fmt(refMean)}`);
      return;
    }
    const { mean, se } = clusterStdError(values, batches);
    const s = Number.isFinite(se) ? se : 0;
    const tol = 4 * s * Math.sqrt(1 + clusterCount(batches) / refBatches) + 1e-12;
    this.record(path, Math.abs(mean - refMean) <= tol, `ref ${fmt(refMean)} ours ${fmt(mean)} tol ${fmt(tol)}`);
  }

  /**
   * A reference fraction p against ours, a metric of 0/1 values: 4·sqrt(se_ref² + se_ours²), ours
   * cluster-robust, the reference's the larger of the binomial one over `refUnits` (inflated by our
   * design effect) and ours scaled to the reference's batches.
   */
  fraction(path: string, p: number, ours: Metric, refBatches: number, refUnits: number): void {
    const { values, batches } = ours.entries();
    if (values.length === 0) {
      this.record(path, false, `ours has no units (reference ${fmt(p)})`);
      return;
    }
    const { mean, se } = clusterStdError(values, batches);
    const s = Number.isFinite(se) ? se : 0;
    const deff = designEffect(values, batches);
    const seRef = Math.max(Math.sqrt((p * (1 - p) * deff) / Math.max(1, refUnits)), s * Math.sqrt(clusterCount(batches) / refBatches));
    const tol = 4 * Math.sqrt(seRef ** 2 + s ** 2) + 1e-12;
    this.record(path, Math.abs(mean - p) <= tol, `ref ${fmt(p)} ours ${fmt(mean)} (over ${values.length}) tol ${fmt(tol)}`);
  }

  /**
   * Histograms: reference counts per category (in order) against our values binned by `binOf`
   * (−1 = outside every category). Adjacent sparse categories are merged until each holds ≥ 10
   * of the pooled counts; then a chi-square test of homogeneity, divided by the Rao–Scott mean
   * design effect of our per-category indicators, against the chi-square quantile at 1e-5. With
   * `refDeff` (the reference's design effect for the same variable, see refDesignEffect) each side
   * keeps its own: the statistic is scaled by (1/n_r + 1/n_o) / (deff_r/n_r + deff_o/n_o).
   */
  histogram(path: string, refCounts: readonly number[], ours: Metric, binOf: (value: number) => number, refDeff?: number): void {
    const { values, batches } = ours.entries();
    const k = refCounts.length;
    const ourCounts: number[] = Array.from({ length: k }, () => 0);
    const bins = values.map(binOf);
    let outside = 0;
    for (const b of bins) {
      if (b < 0 || b >= k) outside++;
      else ourCounts[b]!++;
    }
    const refTotal = refCounts.reduce((a, b) => a + b, 0);
    const ourTotal = ourCounts.reduce((a, b) => a + b, 0);
    if (refTotal === 0 || ourTotal === 0) {
      this.record(path, refTotal === ourTotal, `reference ${refTotal} items, ours ${ourTotal}`);
      return;
    }
    // Merge adjacent categories: group[i] = merged index of category i.
    const group: number[] = [];
    const merged: [number, number][] = [];
    let open: [number, number] = [0, 0];
    for (let i = 0; i < k; i++) {
      open[0] += refCounts[i]!;
      open[1] += ourCounts[i]!;
      group.push(merged.length);
      if (open[0] + open[1] >= 10) {
        merged.push(open);
        open = [0, 0];
      }
    }
    if (open[0] + open[1] > 0) {
      if (merged.length === 0) merged.push(open);
      else {
        const last = merged[merged.length - 1]!;
        last[0] += open[0];
        last[1] += open[1];
        for (let i = 0; i < k; i++) if (group[i] === merged.length) group[i] = merged.length - 1;
      }
    }
    const g = merged.length;
    const N = refTotal + ourTotal;
    let x2 = 0;
    for (const [r, o] of merged) {
      const pooled = (r + o) / N;
      if (pooled === 0) continue;
      const er = refTotal * pooled;
      const eo = ourTotal * pooled;
      x2 += (r - er) ** 2 / er + (o - eo) ** 2 / eo;
    }
    // Rao–Scott: δ̄ = Σ (1 − p_i)·deff_i / (g − 1), from our per-category indicators.
    let deltaSum = 0;
    if (g > 1) {
      const inRange: number[] = [];
      const inBatches: number[] = [];
      const groups: number[] = [];
      bins.forEach((b, i) => {
        if (b >= 0 && b < k) {
          groups.push(group[b]!);
          inBatches.push(batches[i]!);
          inRange.push(i);
        }
      });
      for (let j = 0; j < g; j++) {
        const indicator = groups.map((gr) => (gr === j ? 1 : 0));
        const p = merged[j]![1] / ourTotal;
        deltaSum += (1 - p) * designEffect(indicator, inBatches);
      }
    }
    const delta = g > 1 ? Math.max(1, deltaSum / (g - 1)) : 1;
    const deffRef = Math.max(delta, refDeff ?? delta);
    const scale = (1 / refTotal + 1 / ourTotal) / (deffRef / refTotal + delta / ourTotal);
    const statistic = x2 * scale;
    const critical = g > 1 ? chiSquareCritical(g - 1) : Infinity;
    const tv = 0.5 * merged.reduce((s, [r, o]) => s + Math.abs(r / refTotal - o / ourTotal), 0);
    this.record(
      path,
      statistic <= critical && outside / values.length <= 0.01,
      `chi² ${fmt(x2)}, design effects ref ${fmt(deffRef)} ours ${fmt(delta)}: ${fmt(statistic)} on ${g - 1} df (limit ${fmt(critical)}), TV ${fmt(tv)}, ${refTotal} ref vs ${ourTotal} ours${outside ? `, ${outside} of ours outside every bin` : ""}`,
    );
  }

  /** Reference keys under `tree` (a masking_stats.json subtree at `prefix`) that no comparison used. */
  uncompared(tree: unknown, prefix: string, descriptive: (path: string, value: unknown) => boolean): string[] {
    const out: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (this.used.has(path)) return;
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        const entries = Object.entries(v);
        const intKeyed = entries.length > 0 && entries.every(([key]) => /^-?\d+$/.test(key));
        if (!intKeyed) {
          for (const [key, child] of entries) walk(child, path ? `${path}.${key}` : key);
          return;
        }
      }
      if (!descriptive(path, v)) out.push(path);
    };
    walk(tree, prefix);
    return out;
  }
}

/** np.histogram's bin: [edges[i], edges[i+1]), the last bin closed; −1 outside. */
export function binIndex(edges: readonly number[], value: number): number {
  const last = edges.length - 2;
  if (value < edges[0]! || value > edges[last + 1]!) return -1;
  for (let i = 0; i < last; i++) if (value < edges[i + 1]!) return i;
  return last;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}
