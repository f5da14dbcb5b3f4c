// BlockDatasetPacker against the raw samples the original's BlockDataset built for the masking
// fixture (../shared/fixtures/masking/samples.json, on corpus.safetensors; GLMJS_MASKING_FIXTURE).
// The reference drew its documents and windows with NumPy's generator, which we do not
// reproduce, so: (1) every reference sample is rebuilt by our packer from the reference's own
// choices (its documents; for a window, a drawn start from which the move rule reaches its start)
// and must come out token for token; (2) samples drawn by our
// own generator are distributed as the reference's (documents per sample, lengths, windows,
// which documents are drawn).
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { documentCount, type TokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { Rng } from "../random/rng.js";
import { Metric } from "../objective-statistics.js";
import { loadCorpus, loadReferenceSamples, loadStats, referenceSampleTokens, sentenceEndOf } from "../test-helpers/masking-fixture.js";
import { ReferenceComparison, binIndex, type RefMetric } from "../test-helpers/reference-comparison.js";
import { BlockDatasetPacker, type PackerRandom } from "./block-dataset-packer.js";

const dir = fixtureDir("GLMJS_MASKING_FIXTURE", "fixtures", "masking");

type Piece = [number, number, number];

/**
 * Draws that replay one reference sample: its documents in order and, for a window, a drawn start
 * from which the original's move rule reaches the reference's start. Such a start is searched
 * backward (even samples) or forward (odd) first, as far away as the rule allows, so that our move
 * loop runs; `below` insists on the original's range of drawable starts, [0, len − S].
 */
function replay(corpus: TokenizedCorpus, pieces: readonly Piece[], S: number, eos: number, isSentenceEnd: (t: number) => boolean, preferBackward: boolean) {
  const total = corpus.tokens.length;
  const [doc, start] = pieces[0]!;
  const base = corpus.offsets[doc]!;
  const length = corpus.offsets[doc + 1]! - base;
  const withEos = length + 1;
  const isWindow = length + 2 > S;
  // Token j of document + [eos]; j = −1 is Python's tokens[-1], the eos (the original reads it so).
  const isEnd = (j: number) => isSentenceEnd(j === -1 || j === length ? eos : corpus.tokens[base + j]!);
  const half = Math.floor(S / 2);
  const lastDrawable = withEos - S;
  /** Moving backward from r stops at `start`: tokens start … r−1 are no ends, and the loop stops there. */
  const backwardFrom = (r: number) => {
    for (let j = start; j < r; j++) if (isEnd(j)) return false;
    return start === 0 || isEnd(start - 1) || r - start === half;
  };
  /** Moving forward from r stops at `start`: tokens r−1 … start−2 are no ends, and the loop stops there. */
  const forwardFrom = (r: number) => {
    for (let j = r - 1; j <= start - 2; j++) if (isEnd(j)) return false;
    return isEnd(start - 1) || start - r === half || start === withEos;
  };
  let raw: { at: number; backward: boolean } | undefined;
  if (isWindow) {
    const backward = () => {
      for (let r = Math.min(start + half, lastDrawable); r >= start; r--) if (backwardFrom(r)) return { at: r, backward: true };
      return undefined;
    };
    const forward = () => {
      for (let r = Math.max(0, start - half); r <= Math.min(start, lastDrawable); r++) if (forwardFrom(r)) return { at: r, backward: false };
      return undefined;
    };
    raw = preferBackward ? (backward() ?? forward()) : (forward() ?? backward());
  }
  let next = 0;
  const floats: number[] = raw ? [1 - 1e-9, raw.backward ? 0 : 0.75] : [];
  return {
    isWindow,
    raw,
    below(n: number): number {
      if (n === total) {
        if (next >= pieces.length) throw new Error(`the packer draws more documents than the reference sample's ${pieces.length}`);
        return corpus.offsets[pieces[next++]![0]]!; // a token position inside that document
      }
      if (!isWindow) throw new Error(`unexpected draw below(${n}) for a sample that starts with a whole document`);
      if (n !== lastDrawable + 1) throw new Error(`a window start drawn below ${n}; the original draws randint(len − S + 1) = below ${lastDrawable + 1}`);
      if (!raw) throw new Error(`no drawable start in [0, ${lastDrawable}] leads to the reference's start ${start} by the move rule`);
      return raw.at;
    },
    float: () => floats.shift() ?? 0,
    unused: () => pieces.length - next,
  };
}

/** A reference metric (mean, spread, range) from independent values. */
function refMetricOf(values: readonly number[]): RefMetric {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  const se = std / Math.sqrt(n);
  return { n, mean, std, min: Math.min(...values), max: Math.max(...values), std_error_of_mean: se, batch_cluster_std_error_of_mean: se, num_batches: n };
}

describe.skipIf(!dir)("BlockDatasetPacker against the reference's BlockDataset samples (GLMJS_MASKING_FIXTURE)", () => {
  const stats = dir ? loadStats(dir) : { settings: {} };
  for (const [name, { settings }] of Object.entries(stats.settings)) {
    const kwargs = (settings["BlockDataset_kwargs"] ?? {}) as { max_seq_len?: number; sample_across_doc?: boolean; non_sentence_start?: number };
    const setup = () => {
      const table = sentenceEndOf(settings);
      if (!table) return undefined;
      const ref = loadReferenceSamples(dir!, name);
      const corpus = loadCorpus(dir!, name);
      const S = kwargs.max_seq_len ?? settings.seq_length;
      const isSentenceEnd = (t: number) => table[t] === 1;
      const options = {
        seqLength: S,
        eos: ref.eos_id,
        cls: ref.ENC_id,
        isSentenceEnd,
        nonSentenceStart: kwargs.non_sentence_start ?? 0,
        sampleAcrossDocuments: kwargs.sample_across_doc ?? true,
      };
      return { ref, corpus, S, isSentenceEnd, options };
    };

    it(`${name}: rebuilds every reference sample from its document choices and window start, token for token`, () => {
      const s = setup();
      if (!s) return void console.warn(`[glmjs tests] SKIPPING ${name}: no vocabulary for ${settings.tokenizer.class} under ../shared/vocab`);
      const { ref, corpus, S, isSentenceEnd, options } = s;
      const packer = new BlockDatasetPacker(corpus, options);
      const mismatches: string[] = [];
      let windows = 0;
      let moved = 0;
      let afterSentenceEnd = 0;
      ref.samples.forEach((pieces, i) => {
        const draws = replay(corpus, pieces, S, ref.eos_id, isSentenceEnd, i % 2 === 0);
        let built: number[];
        try {
          built = [...packer.sampleFrom(draws).text];
        } catch (e) {
          mismatches.push(`sample ${i} (${JSON.stringify(pieces)}): ${(e as Error).message}`);
          return;
        }
        const expected = referenceSampleTokens(corpus, pieces, ref.eos_id, ref.ENC_id);
        if (draws.unused() > 0)
          mismatches.push(`sample ${i}: the packer stopped after ${pieces.length - draws.unused()} of the reference's ${pieces.length} documents`);
        else if (built.length !== expected.length || built.some((t, j) => t !== expected[j])) {
          mismatches.push(`sample ${i} (${JSON.stringify(pieces)}): ours ${built.length} tokens, reference ${expected.length}`);
        }
        if (draws.isWindow) {
          windows++;
          if (draws.raw && draws.raw.at !== pieces[0]![1]) moved++;
          if (pieces[0]![1] > 0 && isSentenceEnd(corpus.tokens[corpus.offsets[pieces[0]![0]]! + pieces[0]![1] - 1]!)) afterSentenceEnd++;
        }
      });
      expect(mismatches.slice(0, 10)).toEqual([]);
      // What the replay covered: windows, windows whose start our move loop had to find, starts after a sentence end.
      expect(windows).toBeGreaterThan(ref.samples.length / 4);
      expect(moved).toBeGreaterThan(windows / 2);
      expect(afterSentenceEnd).toBeGreaterThan(windows / 2);
    });

    it(`${name}: draws samples distributed as the reference's`, () => {
      const s = setup();
      if (!s) return void console.warn(`[glmjs tests] SKIPPING ${name}: no vocabulary for ${settings.tokenizer.class} under ../shared/vocab`);
      const { ref, corpus, S, options } = s;
      const describeSample = (text: ArrayLike<number>, firstDoc: number) => {
        let documents = 0;
        for (let j = 0; j < text.length; j++) if (text[j] === ref.ENC_id) documents++;
        const firstLength = corpus.offsets[firstDoc + 1]! - corpus.offsets[firstDoc]!;
        return { documents, length: text.length, window: firstLength + 2 > S ? 1 : 0, endsWithEos: text[text.length - 1] === ref.eos_id ? 1 : 0 };
      };
      // Reference: from its pieces; ours: up to 4× as many samples from our own draws (each sample is independent).
      const refRows = ref.samples.map((pieces) => describeSample(referenceSampleTokens(corpus, pieces, ref.eos_id, ref.ENC_id), pieces[0]![0]));
      const refFirstDocs = ref.samples.map((pieces) => pieces[0]![0]);
      const packer = new BlockDatasetPacker(corpus, options);
      const ours = { documents: new Metric(), length: new Metric(), window: new Metric(), endsWithEos: new Metric(), firstDoc: new Metric() };
      for (let i = 0; i < Math.min(4 * ref.samples.length, 16384); i++) {
        // Our own draws for sample i, recording the first document drawn.
        const rng = Rng.forItem(20240611, i);
        let firstPosition = -1;
        const recording: PackerRandom = {
          below: (k) => {
            const v = rng.below(k);
            if (k === corpus.tokens.length && firstPosition < 0) firstPosition = v;
            return v;
          },
          float: () => rng.float(),
        };
        const text = packer.sampleFrom(recording).text;
        const firstDoc = documentHolding(corpus, firstPosition);
        const row = describeSample(text, firstDoc);
        ours.documents.add(row.documents, i);
        ours.length.add(row.length, i);
        ours.window.add(row.window, i);
        ours.endsWithEos.add(row.endsWithEos, i);
        ours.firstDoc.add(firstDoc, i);
      }
      const c = new ReferenceComparison();
      const n = ref.samples.length;
      c.metric("documents_per_sample", refMetricOf(refRows.map((r) => r.documents)), ours.documents, n);
      c.metric("sample_length", refMetricOf(refRows.map((r) => r.length)), ours.length, n);
      const docCounts = countsOf(
        refRows.map((r) => r.documents),
        1,
        8,
      );
      c.histogram("documents_per_sample.counts", docCounts, ours.documents, (v) => Math.min(v, 8) - 1);
      const edges = Array.from({ length: Math.ceil(S / 32) + 1 }, (_, k) => k * 32);
      c.histogram(
        "sample_length.counts",
        countsOf(
          refRows.map((r) => binIndex(edges, r.length)),
          0,
          edges.length - 2,
        ),
        ours.length,
        (v) => binIndex(edges, v),
      );
      c.fraction("windows (first document longer than S − 2)", mean(refRows.map((r) => r.window)), ours.window, n, n);
      c.fraction("samples ending with eos", mean(refRows.map((r) => r.endsWithEos)), ours.endsWithEos, n, n);
      // Documents are drawn in proportion to their token counts: which document comes first.
      c.histogram("first document drawn", countsOf(refFirstDocs, 0, documentCount(corpus) - 1), ours.firstDoc, (v) => v);
      if (process.env["GLMJS_VERBOSE"]) console.log(`${name}\n${c.report.join("\n")}`);
      expect(c.report.length).toBe(11);
      expect(c.failures).toEqual([]);
    });
  }
});

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Counts of integer values lo…hi (values above hi count as hi). */
function countsOf(values: readonly number[], lo: number, hi: number): number[] {
  const counts = Array.from({ length: hi - lo + 1 }, () => 0);
  for (const v of values) counts[Math.min(v, hi) - lo]!++;
  return counts;
}

/** The document holding token position `p` (bisect over the offsets). */
function documentHolding(corpus: TokenizedCorpus, p: number): number {
  let lo = 0;
  let hi = corpus.offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (corpus.offsets[mid + 1]! > p) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
