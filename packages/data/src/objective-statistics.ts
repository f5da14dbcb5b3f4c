// Statistics of built batches, with the same definitions as the reference fixture
// (masked ratio, span lengths, spans per sample, sep, …) and batch-cluster standard errors
// (samples of one batch share the mode and, in document mode, the generation length).
import type { BuiltBatch, ObjectiveMode } from "./batch.js";

export interface MetricSummary {
  n: number;
  mean: number;
  std: number;
  /** Cluster-robust standard error of the mean, one cluster per batch. */
  batchClusterStdError: number;
  min: number;
  max: number;
}

/** Values grouped by batch. */
export class Metric {
  private readonly values: number[] = [];
  private readonly batchOf: number[] = [];

  add(value: number, batch: number): void {
    this.values.push(value);
    this.batchOf.push(batch);
  }

  summary(): MetricSummary {
    const n = this.values.length;
    if (n === 0) return { n: 0, mean: NaN, std: NaN, batchClusterStdError: NaN, min: NaN, max: NaN };
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of this.values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / n;
    let ss = 0;
    const clusters = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const d = this.values[i]! - mean;
      ss += d * d;
      clusters.set(this.batchOf[i]!, (clusters.get(this.batchOf[i]!) ?? 0) + d);
    }
    let cs = 0;
    for (const c of clusters.values()) cs += c * c;
    const g = clusters.size;
    const se = g > 1 ? Math.sqrt((cs * g) / (g - 1)) / n : NaN;
    return { n, mean, std: Math.sqrt(ss / n), batchClusterStdError: se, min, max };
  }

  /** Every value added, in order, with the batch it came from (for tests that need more than a summary). */
  entries(): { values: readonly number[]; batches: readonly number[] } {
    return { values: this.values, batches: this.batchOf };
  }

  /** Exact counts of integer values. */
  counts(): Map<number, number> {
    const m = new Map<number, number>();
    for (const v of this.values) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  }

  /** Counts in bins [edges[i], edges[i+1]); the last bin includes its right edge. */
  histogram(edges: readonly number[]): number[] {
    const counts: number[] = Array.from({ length: edges.length - 1 }, () => 0);
    for (const v of this.values) {
      for (let i = 0; i < counts.length; i++) {
        if (v >= edges[i]! && (v < edges[i + 1]! || (i === counts.length - 1 && v <= edges[i + 1]!))) {
          counts[i]!++;
          break;
        }
      }
    }
    return counts;
  }
}

export interface StatisticsIds {
  sop: number;
  eop: number;
  /** Counted as Part B noise when given. */
  dBlock?: number;
  /** `[ENC]`: each document of a packed text starts with one, so its count is the documents per sample. */
  cls?: number;
  /** Mask tokens counted in Part A, by kind (an id given under two kinds counts under the first). */
  maskTokens?: { mask?: number; sMask?: number; gMask?: number };
}

export type MaskKind = "mask" | "sMask" | "gMask";

/** Per-sample and per-span metrics of one set of batches. */
export class ModeStatistics {
  readonly maskedRatio = new Metric();
  readonly spanLength = new Metric();
  readonly spansPerSample = new Metric();
  readonly sep = new Metric();
  readonly sepOverLength = new Metric();
  readonly textLength = new Metric();
  readonly unpaddedLength = new Metric();
  readonly sopPerSample = new Metric();
  readonly eopPerSample = new Metric();
  readonly lossPositionsPerSample = new Metric();
  /** [ENC] tokens per sample (when StatisticsIds.cls is given). */
  readonly documentsPerSample = new Metric();
  /** Per mask token in Part A: its position / sep. */
  readonly maskPositionOverSep = new Metric();
  /** Mask tokens in Part A per sample, by kind (kinds given in StatisticsIds.maskTokens). */
  readonly maskTokensPerSample = new Map<MaskKind, Metric>();
  /** Per sample with two or more spans: 1 when Part B holds them in text order (0 shows the shuffle). */
  readonly partBInTextOrder = new Metric();
  /** Per sample, 0/1: no Part B (sep = length). */
  readonly fullyBidirectional = new Metric();
  /** Per sample, 0/1: shorter than the batch (right-padded). */
  readonly paddedSample = new Metric();
  /** Per sample, 0/1: Part B has a sop / an eop. */
  readonly withSop = new Metric();
  readonly withEop = new Metric();
  /** Per span, 0/1: it ends with eop (document mode's suffix layout has none). */
  readonly spanWithEop = new Metric();
  /** Per Part B input other than sop, 0/1: replaced by dBLOCK noise. */
  readonly dBlockInput = new Metric();
  /** Per sample, 0/1: document mode's suffix layout (`… [gMASK] [sop] …` at sep − 1 / sep, no eop). */
  readonly suffixLayout = new Metric();
  samples = 0;
  batches = 0;
  padded = 0;
  samplesWithEop = 0;
  spansWithEop = 0;
  partBInputs = 0;
  dBlockInputs = 0;
  /** Input tokens of the texts the samples were built from. */
  textTokens = 0;

  add(batch: BuiltBatch, batchIndex: number, ids: StatisticsIds): void {
    this.batches++;
    const L = batch.seqLength;
    const kinds: [MaskKind, number][] = [];
    for (const kind of ["mask", "sMask", "gMask"] as const) {
      const id = ids.maskTokens?.[kind];
      if (id !== undefined && !kinds.some(([, other]) => other === id)) kinds.push([kind, id]);
    }
    for (const [kind] of kinds) if (!this.maskTokensPerSample.has(kind)) this.maskTokensPerSample.set(kind, new Metric());
    const gMask = ids.maskTokens?.gMask ?? ids.maskTokens?.mask;
    for (let r = 0; r < batch.batchSize; r++) {
      const at = r * L;
      const n = batch.lengths[r]!;
      const sep = batch.sep[r]!;
      let masked = 0;
      let spans = 0;
      let sops = 0;
      let eops = 0;
      let loss = 0;
      let current = -1;
      let currentHasEop = false;
      let documents = 0;
      const maskCounts = kinds.map(() => 0);
      let inTextOrder = 1;
      let lastMaskPosition = -1;
      for (let j = 0; j < n; j++) {
        if (batch.lossMask[at + j]! > 0) loss++;
        // Every text token is a target exactly once (Part A or a span), so [ENC]s are counted there.
        if (ids.cls !== undefined && batch.targets[at + j] === ids.cls) documents++;
        if (j < sep) {
          const input = batch.inputIds[at + j]!;
          for (let k = 0; k < kinds.length; k++) {
            if (input === kinds[k]![1]) {
              maskCounts[k]!++;
              this.maskPositionOverSep.add(j / sep, batchIndex);
            }
          }
          continue;
        }
        const input = batch.inputIds[at + j]!;
        const target = batch.targets[at + j]!;
        if (input === ids.sop) sops++;
        else {
          // Span-token inputs (sop is never noised).
          this.partBInputs++;
          const noised = ids.dBlock !== undefined && input === ids.dBlock;
          if (noised) this.dBlockInputs++;
          this.dBlockInput.add(noised ? 1 : 0, batchIndex);
        }
        if (batch.blockPositionIds[at + j] === 1) {
          if (current >= 0) {
            this.spanLength.add(current, batchIndex);
            this.spanWithEop.add(currentHasEop ? 1 : 0, batchIndex);
          }
          current = 0;
          currentHasEop = false;
          spans++;
          const maskPosition = batch.positionIds[at + j]!;
          if (maskPosition <= lastMaskPosition) inTextOrder = 0;
          lastMaskPosition = maskPosition;
        }
        if (target === ids.eop) {
          eops++;
          this.spansWithEop++;
          currentHasEop = true;
        } else {
          masked++;
          current++;
        }
      }
      if (current >= 0) {
        this.spanLength.add(current, batchIndex);
        this.spanWithEop.add(currentHasEop ? 1 : 0, batchIndex);
      }
      if (ids.cls !== undefined) this.documentsPerSample.add(documents, batchIndex);
      kinds.forEach(([kind], k) => this.maskTokensPerSample.get(kind)!.add(maskCounts[k]!, batchIndex));
      if (spans >= 2) this.partBInTextOrder.add(inTextOrder, batchIndex);
      this.fullyBidirectional.add(sep === n ? 1 : 0, batchIndex);
      this.paddedSample.add(n < L ? 1 : 0, batchIndex);
      this.withSop.add(sops > 0 ? 1 : 0, batchIndex);
      this.withEop.add(eops > 0 ? 1 : 0, batchIndex);
      const suffix = gMask !== undefined && eops === 0 && sep > 0 && sep < n && batch.inputIds[at + sep - 1] === gMask && batch.inputIds[at + sep] === ids.sop;
      this.suffixLayout.add(suffix ? 1 : 0, batchIndex);
      const textLength = batch.textLengths[r]!;
      this.textTokens += textLength;
      this.maskedRatio.add(masked / textLength, batchIndex);
      this.spansPerSample.add(spans, batchIndex);
      this.sep.add(sep, batchIndex);
      this.sepOverLength.add(sep / n, batchIndex);
      this.textLength.add(textLength, batchIndex);
      this.unpaddedLength.add(n, batchIndex);
      this.sopPerSample.add(sops, batchIndex);
      this.eopPerSample.add(eops, batchIndex);
      this.lossPositionsPerSample.add(loss, batchIndex);
      if (n < L) this.padded++;
      if (eops > 0) this.samplesWithEop++;
      this.samples++;
    }
  }

  /** Compact summary (the fields `glm data inspect --json` prints). */
  summary(): Record<string, unknown> {
    const spanCounts = Object.fromEntries([...this.spanLength.counts()].sort((a, b) => a[0] - b[0]));
    return {
      samples: this.samples,
      batches: this.batches,
      maskedRatio: this.maskedRatio.summary(),
      spanLength: { ...this.spanLength.summary(), histogram: spanCounts },
      spansPerSample: this.spansPerSample.summary(),
      sep: this.sep.summary(),
      sepOverLength: this.sepOverLength.summary(),
      textLength: this.textLength.summary(),
      unpaddedLength: this.unpaddedLength.summary(),
      sopPerSample: this.sopPerSample.summary(),
      eopPerSample: this.eopPerSample.summary(),
      lossPositionsPerSample: this.lossPositionsPerSample.summary(),
      fractionPadded: this.samples ? this.padded / this.samples : NaN,
      fractionSamplesWithEop: this.samples ? this.samplesWithEop / this.samples : NaN,
      dBlockFractionOfPartBInputs: this.partBInputs ? this.dBlockInputs / this.partBInputs : 0,
      ...(this.documentsPerSample.summary().n > 0 ? { documentsPerSample: this.documentsPerSample.summary() } : {}),
      ...(this.maskTokensPerSample.size > 0
        ? { maskTokensPerSample: Object.fromEntries([...this.maskTokensPerSample].map(([k, m]) => [k, m.summary().mean])) }
        : {}),
      fractionPartBInTextOrder: this.partBInTextOrder.summary().mean,
    };
  }
}

/** Statistics overall and per mode. */
export class ObjectiveStatistics {
  readonly overall = new ModeStatistics();
  readonly perMode = new Map<ObjectiveMode, ModeStatistics>();
  private batchIndex = 0;

  constructor(private readonly ids: StatisticsIds) {}

  add(batch: BuiltBatch): void {
    this.overall.add(batch, this.batchIndex, this.ids);
    let m = this.perMode.get(batch.mode);
    if (!m) this.perMode.set(batch.mode, (m = new ModeStatistics()));
    m.add(batch, this.batchIndex, this.ids);
    this.batchIndex++;
  }
}
