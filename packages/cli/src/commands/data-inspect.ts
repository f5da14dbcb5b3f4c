// `glm data inspect`: builds GLM pretraining samples (blank infilling) from a corpus and prints a
// few of them decoded (Part A with its masks, the Part B spans) plus statistics over N samples
// and the construction speed. `--json` prints one JSON object instead. It builds them with
// @glmjs/train's preparePretrainingData, the path `glm pretrain` trains on: with the same corpus,
// tokenizer, --objective, --packing, --seq-len, batch size and --seed it shows that run's batches.
import { GlmjsError } from "@glmjs/common";
import type { Command } from "commander";
import { loadTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import { CorpusIssues, ObjectiveStatistics, objectiveNames, readCorpus, type BuiltBatch, type SpecialIds } from "@glmjs/data/node";
import { droppedEverything, preparePretrainingData } from "@glmjs/train";
import { Option } from "commander";
import { intFlag, withFlags } from "../flags.js";
import { writeOut } from "../terminal/stdout.js";

interface InspectOptions {
  corpus: string[];
  tokenizer: string;
  objective: string;
  seqLen: number;
  batchSize: number;
  n: number;
  seed: number;
  show: number;
  documents: "paragraph" | "line";
  onError: "skip" | "fatal";
  packing: "block" | "sequential";
  heldOutEvery: number;
  keepPunctuation?: boolean;
  json?: boolean;
}

/** Library option paths → this command's flags. */
const FLAGS: Readonly<Record<string, string>> = {
  objective: "--objective",
  packing: "--packing",
  batchSize: "--batch-size",
  seqLength: "--seq-len",
  seed: "--seed",
  "heldOut.every": "--held-out-every",
};

export function registerDataInspect(program: Command): void {
  let data = program.commands.find((c) => c.name() === "data");
  if (!data) data = program.command("data").description("GLM pretraining data (blank-infilling objectives)");
  data
    .command("inspect")
    .description("build pretraining samples from a corpus exactly as `glm pretrain` does; print some decoded and statistics over N")
    .requiredOption("-c, --corpus <paths...>", "text / JSONL files, folders or globs")
    .requiredOption("-t, --tokenizer <file|folder>", "tokenizer.json, vocab.txt, vocab.json (+ merges.txt), a .model, or a model folder")
    .option("-o, --objective <name>", `${objectiveNames().join(" | ")}`, "token")
    .option("--seq-len <n>", "raw sample length S", intFlag(1), 512)
    .option("--batch-size <n>", "samples per batch (one mode per batch)", intFlag(1), 16)
    .option("-n, --n <n>", "number of samples for the statistics (rounded up to whole batches)", intFlag(1), 256)
    .option("--seed <n>", "random seed (glm pretrain's --seed gives the samples that run trains on)", intFlag(0, 2 ** 32 - 1), 1)
    .option("--show <n>", "decoded samples to print", intFlag(0), 2)
    .addOption(
      new Option("--packing <kind>", "block (the original's BlockDataset, glm pretrain's default) or sequential")
        .choices(["block", "sequential"])
        .default("block"),
    )
    .option("--held-out-every <n>", "as glm pretrain: every n-th run of 10 documents is held out (not shown)", intFlag(2), 20)
    .addOption(
      new Option("--documents <kind>", "text files: paragraph (blank lines separate documents) or line").choices(["paragraph", "line"]).default("paragraph"),
    )
    .addOption(new Option("--on-error <mode>", "bad corpus input: skip (count and report) or fatal").choices(["skip", "fatal"]).default("skip"))
    .option("--keep-punctuation", "skip the original's English punctuation standardisation (curly quotes, en dash), as glm pretrain --keep-punctuation")
    .option("--json", "print one JSON object")
    .action(async (opts: InspectOptions) => {
      const result = await withFlags(FLAGS, () => inspect(opts));
      writeOut(result + "\n");
    });
}

async function inspect(opts: InspectOptions): Promise<string> {
  const { seqLen: seqLength, batchSize, n, seed, show } = opts;
  const tok = await loadTokenizer(opts.tokenizer);
  const issues = new CorpusIssues();
  const texts: string[] = [];
  for await (const doc of readCorpus({ paths: opts.corpus, documents: opts.documents, onError: opts.onError, issues })) texts.push(doc.text);
  if (texts.length === 0) throw new GlmjsError("CORPUS_INVALID", `no documents in ${opts.corpus.join(", ")}${issues.total ? ` (${issues.summary()})` : ""}`);

  // The same path as glm pretrain: held-out split, preprocessing, tokenization, objective, packing.
  const tokenizeStart = performance.now();
  const data = await preparePretrainingData({
    documents: texts,
    tokenizer: tok,
    objective: opts.objective,
    packing: opts.packing,
    batchSize,
    seqLength,
    seed,
    heldOut: { every: opts.heldOutEvery },
    keepPunctuation: opts.keepPunctuation ?? false,
  });
  const tokenizationSeconds = (performance.now() - tokenizeStart) / 1000;
  const { special, settings } = data.objective;
  const presetName = data.objective.preset;

  const stats = new ObjectiveStatistics({ sop: special.sop, eop: special.eop, dBlock: special.dBlock });
  const batches = data.trainBatches();
  const shown: BuiltBatch[] = [];
  let samples = 0;
  let inputTokens = 0;
  let buildSeconds = 0;
  while (samples < n) {
    const start = performance.now();
    const batch = await batches.next();
    buildSeconds += (performance.now() - start) / 1000;
    if (!batch) break;
    samples += batch.batchSize + batch.dropped;
    for (let i = 0; i < batch.batchSize; i++) inputTokens += batch.textLengths[i]!;
    stats.add(batch);
    if (shown.length < show && batch.batchSize > 0) shown.push(batch);
    else batches.recycle(batch); // statistics keep no reference to it
  }
  const o = stats.overall;
  if (o.samples === 0) throw new GlmjsError("NO_SAMPLES", droppedEverything(data, seqLength));
  const maskedRatio = o.maskedRatio.summary();
  const spanLength = o.spanLength.summary();
  const summary = {
    samples: o.samples,
    batches: o.batches,
    objective: presetName,
    seqLength,
    batchSize,
    seed,
    packing: opts.packing,
    samplesPerSecond: samples / buildSeconds,
    tokensPerSecond: inputTokens / buildSeconds,
    tokenization: { documents: texts.length, trainDocuments: data.train.length, tokens: data.tokens.train, seconds: tokenizationSeconds },
    maskedRatio: { mean: maskedRatio.mean, std: maskedRatio.std },
    spanLength: { mean: spanLength.mean, std: spanLength.std, histogram: Object.fromEntries([...o.spanLength.counts()].sort((a, b) => a[0] - b[0])) },
    spansPerSample: { mean: o.spansPerSample.summary().mean },
    sep: { mean: o.sep.summary().mean },
    unpaddedLength: { mean: o.unpaddedLength.summary().mean },
    lossPositionsPerSample: { mean: o.lossPositionsPerSample.summary().mean },
    modes: Object.fromEntries([...stats.perMode].map(([m, s]) => [m, s.batches])),
    dropped: samples - o.samples,
    corpusIssues: issues.counts,
    punctuation: opts.keepPunctuation ? "kept" : "standardised",
    settings,
    notes: data.notes,
  };
  if (opts.json) return JSON.stringify(summary);
  const tokens = data.tokens.train;
  return [
    ...shown.flatMap((b, i) => describeSample(tok, special, b, 0, i)),
    `samples: ${summary.samples} in ${summary.batches} batches (${Object.entries(summary.modes)
      .map(([m, c]) => `${m} ${c}`)
      .join(", ")}${summary.dropped ? `; ${summary.dropped} dropped` : ""}), objective ${presetName}, S = ${seqLength}, ${opts.packing} packing`,
    `masked ratio: mean ${maskedRatio.mean.toFixed(4)}, std ${maskedRatio.std.toFixed(4)}`,
    `span length: mean ${spanLength.mean.toFixed(3)}; spans per sample ${summary.spansPerSample.mean.toFixed(2)}; sep ${summary.sep.mean.toFixed(1)}; row length ${summary.unpaddedLength.mean.toFixed(1)}`,
    `span length histogram: ${Object.entries(summary.spanLength.histogram)
      .slice(0, 16)
      .map(([k, v]) => `${k}:${v}`)
      .join(" ")}`,
    `speed: ${Math.round(summary.samplesPerSecond).toLocaleString("en-US")} samples/s, ${Math.round(summary.tokensPerSecond).toLocaleString("en-US")} input tokens/s (sample construction; tokenization of ${tokens.toLocaleString("en-US")} training tokens took ${tokenizationSeconds.toFixed(2)} s)`,
    ...(issues.total ? [`corpus issues:\n${issues.summary()}`] : []),
    ...data.notes.map((note) => `note: ${note}`),
  ].join("\n");
}

function describeSample(tok: Tokenizer, special: SpecialIds, batch: BuiltBatch, row: number, index: number): string[] {
  const at = row * batch.seqLength;
  const n = batch.lengths[row]!;
  const sep = batch.sep[row]!;
  const ids = Array.from(batch.inputIds.subarray(at, at + n));
  const commands = new Set(
    [special.eos, special.cls, special.mask, special.sMask, special.gMask, special.sop, special.eop, special.dBlock].filter((x) => x !== undefined),
  );
  const render = (part: number[]): string => {
    const out: string[] = [];
    let run: number[] = [];
    const flush = (): void => {
      if (run.length) out.push(tok.decode(run));
      run = [];
    };
    for (const id of part) {
      if (commands.has(id)) {
        flush();
        out.push(tok.idToToken(id) ?? `<${id}>`);
      } else run.push(id);
    }
    flush();
    return out.join(" ");
  };
  const spans: string[] = [];
  for (let j = sep; j < n; j++) {
    if (batch.blockPositionIds[at + j] !== 1) continue;
    let end = j + 1;
    while (end < n && batch.blockPositionIds[at + end]! > 1) end++;
    spans.push(`  [pos ${batch.positionIds[at + j]}] ${render(ids.slice(j + 1, end))}`);
  }
  return [
    `sample ${index + 1} (${batch.mode} mode, ${n} tokens, sep ${sep}):`,
    `Part A: ${render(ids.slice(0, sep))}`,
    `Part B (${spans.length} spans, in generation order):`,
    ...spans,
    "",
  ];
}
