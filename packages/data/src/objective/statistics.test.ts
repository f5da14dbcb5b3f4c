// Distribution check against the reference's ConstructBlockStrategy on the fixture's exact
// inputs (../shared/fixtures/masking, or GLMJS_MASKING_FIXTURE): every mean within
// 4·sqrt(se_ref² + se_ours²) (batch-cluster standard errors), histograms by total variation.
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { ObjectiveStatistics, type Metric, type ModeStatistics } from "../stats.js";
import { BlockObjective } from "./strategy.js";
import { loadSampleBatches, loadStats, objectiveSettingsOf, sentenceEndOf, specialIdsOf } from "../test-helpers/masking-fixture.js";

const dir = fixtureDir("GLMJS_MASKING_FIXTURE", "fixtures", "masking");

interface RefMetric {
  mean: number;
  batch_cluster_std_error_of_mean: number;
}
type RefStats = Record<string, unknown>;

const METRICS: [string, (m: ModeStatistics) => Metric][] = [
  ["masked_token_ratio", (m) => m.maskedRatio],
  ["span_length", (m) => m.spanLength],
  ["spans_per_sample", (m) => m.spansPerSample],
  ["sep", (m) => m.sep],
  ["sep_over_unpadded_length", (m) => m.sepOverLength],
  ["text_length", (m) => m.textLength],
  ["unpadded_length", (m) => m.unpaddedLength],
  ["sop_per_sample", (m) => m.sopPerSample],
  ["eop_per_sample", (m) => m.eopPerSample],
  ["loss_positions_per_sample", (m) => m.lossPositionsPerSample],
];

function totalVariation(ref: Record<string, number>, ours: Map<number, number>): number {
  const refTotal = Object.values(ref).reduce((a, b) => a + b, 0);
  const ourTotal = [...ours.values()].reduce((a, b) => a + b, 0);
  const keys = new Set([...Object.keys(ref).map(Number), ...ours.keys()]);
  let tv = 0;
  for (const k of keys) {
    if (k > 64) continue;
    tv += Math.abs((ref[String(k)] ?? 0) / refTotal - (ours.get(k) ?? 0) / ourTotal);
  }
  return tv / 2;
}

function compareMode(label: string, ref: RefStats, ours: ModeStatistics, failures: string[], report: string[]): void {
  for (const [key, pick] of METRICS) {
    const r = ref[key] as RefMetric | undefined;
    if (!r || typeof r.mean !== "number") continue;
    const m = pick(ours).summary();
    const tol = 4 * Math.sqrt(r.batch_cluster_std_error_of_mean ** 2 + m.batchClusterStdError ** 2);
    const diff = Math.abs(r.mean - m.mean);
    report.push(`${label}.${key}: ref ${r.mean.toFixed(4)} ours ${m.mean.toFixed(4)} |diff| ${diff.toFixed(4)} tol ${tol.toFixed(4)}`);
    if (!(diff <= tol)) failures.push(report[report.length - 1]!);
  }
  const hist = ref["span_length_histogram"] as { counts: Record<string, number> } | undefined;
  // Span-length histograms of token/sentence mode (document mode's lengths are shared by a whole batch).
  if (hist && Object.keys(hist.counts).length > 0 && !label.endsWith("gpt") && ours.spanLength.summary().n > 0) {
    const tv = totalVariation(hist.counts, ours.spanLength.counts());
    const limit = label.endsWith("sentence") ? 0.1 : 0.05;
    report.push(`${label}.span_length_histogram TV ${tv.toFixed(4)} (limit ${limit})`);
    if (!(tv < limit)) failures.push(report[report.length - 1]!);
  }
  // Per-sample / per-span fractions: binomial standard errors, 4 sigma (+ a little for clustering).
  const fractions: [string, number, number][] = [
    ["fraction_samples_with_eop", ours.samplesWithEop / ours.samples, ours.samples],
    ["fraction_spans_with_eop", ours.spansWithEop / ours.spanLength.summary().n, ours.spanLength.summary().n],
  ];
  const refSamples = (ref["num_samples"] as number | undefined) ?? ours.samples;
  for (const [key, value, n] of fractions) {
    const p = ref[key];
    if (typeof p !== "number" || !(n > 0)) continue;
    const refN = key === "fraction_samples_with_eop" ? refSamples : ((ref["span_length"] as RefMetric & { n: number }).n ?? n);
    const tol = 4 * Math.sqrt(p * (1 - p) * (1 / n + 1 / refN)) + 0.01;
    report.push(`${label}.${key}: ref ${p.toFixed(4)} ours ${value.toFixed(4)} tol ${tol.toFixed(4)}`);
    if (!(Math.abs(p - value) <= tol)) failures.push(report[report.length - 1]!);
  }
  const dblock = ref["dblock_fraction_of_part_b_inputs"];
  if (typeof dblock === "number") {
    const ourDBlock = ours.partBInputs ? ours.dBlockInputs / ours.partBInputs : 0;
    report.push(`${label}.dblock_fraction ref ${dblock.toFixed(4)} ours ${ourDBlock.toFixed(4)}`);
    if (!(Math.abs(dblock - ourDBlock) < 0.01)) failures.push(report[report.length - 1]!);
  }
}

describe.skipIf(!dir)("masking statistics match the reference (GLMJS_MASKING_FIXTURE)", () => {
  const stats = dir ? loadStats(dir) : { settings: {} };
  for (const [name, { settings, stats: refStats }] of Object.entries(stats.settings)) {
    it(`${name}: every mean and histogram agrees`, () => {
      const sentenceEnd = sentenceEndOf(settings);
      if (!sentenceEnd) {
        console.warn(`[glmjs tests] SKIPPING ${name}: no vocabulary for ${settings.tokenizer.class} under ../shared/vocab`);
        return;
      }
      const special = specialIdsOf(settings);
      const objective = new BlockObjective({ special, sentenceEnd, maxSeqLength: settings.seq_length, settings: objectiveSettingsOf(settings) });
      const { batches } = loadSampleBatches(dir!, name);
      const collected = new ObjectiveStatistics({ sop: special.sop, eop: special.eop, dBlock: special.dBlock });
      const rng = new Rng(Number(process.env["GLMJS_MASKING_SEED"] ?? 20240611));
      let dropped = 0;
      for (const batch of batches) {
        const built = objective.buildBatch(batch, rng);
        dropped += built.dropped;
        collected.add(built);
      }

      const failures: string[] = [];
      const report: string[] = [];
      const overall = refStats["overall"] as RefStats;
      compareMode("overall", overall, collected.overall, failures, report);
      const perMode = refStats["per_mode"] as Record<string, RefStats>;
      for (const [mode, ref] of Object.entries(perMode)) {
        const ours = collected.perMode.get(mode as "bert");
        expect(ours, `mode ${mode} never chosen in ${batches.length} batches`).toBeDefined();
        compareMode(mode, ref, ours!, failures, report);
      }
      // Fraction of batches per mode: binomial, 4 standard deviations.
      const fractions = refStats["fraction_batches_per_mode"] as Record<string, number>;
      for (const [mode, p] of Object.entries(fractions)) {
        const ours = (collected.perMode.get(mode as "bert")?.batches ?? 0) / batches.length;
        const tol = 4 * Math.sqrt((2 * p * (1 - p)) / batches.length) + 1e-9;
        report.push(`fraction_batches.${mode}: ref ${p} ours ${ours.toFixed(3)} tol ${tol.toFixed(3)}`);
        if (!(Math.abs(ours - p) <= tol)) failures.push(report[report.length - 1]!);
      }
      // Samples whose spans do not fit are dropped (as the original drops them): equally rare.
      const refSamples = overall["num_samples"] as number;
      const ourShare = dropped / (collected.overall.samples + dropped);
      report.push(`dropped: ours ${dropped} of ${collected.overall.samples + dropped}; reference kept ${refSamples}`);
      if (!(ourShare < 0.01)) failures.push(report[report.length - 1]!);
      if (process.env["GLMJS_VERBOSE"]) console.log(report.join("\n"));
      expect(report.length).toBeGreaterThan(10);
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
