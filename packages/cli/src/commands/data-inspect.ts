// `glm data inspect`: builds GLM pretraining samples (blank infilling) from a corpus and prints a
// few of them decoded (Part A with its masks, the Part B spans) plus statistics over N samples
// and the construction speed. `--json` prints one JSON object instead.
import type { Command } from "commander";
import { loadTokenizer, standardizePunctuation, type Tokenizer } from "@glmjs/tokenizer";
import {
  BlockObjective,
  CorpusIssues,
  ObjectiveStatistics,
  BlockDatasetPacker,
  Rng,
  objectivePresets,
  tokenizedCorpus,
  readCorpus,
  sentenceEndTable,
  type BuiltBatch,
  type ObjectiveSettings,
  type RawSample,
  type SpecialIds,
} from "@glmjs/data/node";

interface InspectOptions {
  corpus: string[];
  tokenizer: string;
  objective: string;
  seqLen: string;
  batchSize: string;
  n: string;
  seed: string;
  show: string;
  documents: "paragraph" | "line";
  onError: "skip" | "fatal";
  keepPunctuation?: boolean;
  json?: boolean;
}

const OBJECTIVES: Record<string, keyof typeof objectivePresets> = {
  token: "token",
  sentence: "sentence",
  document: "document",
  mixed: "glm-10b-multitask",
};

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function registerDataInspect(program: Command): void {
  let data = program.commands.find((c) => c.name() === "data");
  if (!data) data = program.command("data").description("GLM pretraining data (blank-infilling objectives)");
  data
    .command("inspect")
    .description("build pretraining samples from a corpus; print some decoded and statistics over N")
    .requiredOption("-c, --corpus <paths...>", "text / JSONL files, folders or globs")
    .requiredOption("-t, --tokenizer <file|folder>", "tokenizer.json, vocab.txt, vocab.json (+ merges.txt), a .model, or a model folder")
    .option("-o, --objective <name>", `token | sentence | document | mixed, or a preset (${Object.keys(objectivePresets).join(", ")})`, "token")
    .option("--seq-len <n>", "raw sample length S", "512")
    .option("--batch-size <n>", "samples per batch (one mode per batch)", "16")
    .option("-n, --n <n>", "number of samples for the statistics", "256")
    .option("--seed <n>", "random seed", "1")
    .option("--show <n>", "decoded samples to print", "2")
    .option("--documents <kind>", "text files: paragraph (blank lines separate documents) or line", "paragraph")
    .option("--on-error <mode>", "bad corpus input: skip (count and report) or fatal", "skip")
    .option("--keep-punctuation", "skip the original's English punctuation standardisation (curly quotes, en dash)")
    .option("--json", "print one JSON object")
    .action(async (opts: InspectOptions) => {
      const result = await inspect(opts);
      process.stdout.write(result + "\n");
    });
}

async function inspect(opts: InspectOptions): Promise<string> {
  const seqLength = positiveInt(opts.seqLen, "--seq-len");
  const batchSize = positiveInt(opts.batchSize, "--batch-size");
  const n = positiveInt(opts.n, "--n");
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${opts.seed}"`);
  const show = Math.max(0, Number(opts.show) || 0);
  if (opts.documents !== "paragraph" && opts.documents !== "line") throw new Error(`--documents must be paragraph or line, got "${opts.documents}"`);
  if (opts.onError !== "skip" && opts.onError !== "fatal") throw new Error(`--on-error must be skip or fatal, got "${opts.onError}"`);
  const presetName = OBJECTIVES[opts.objective] ?? opts.objective;
  const preset = (objectivePresets as Record<string, ObjectiveSettings>)[presetName];
  if (!preset) throw new Error(`--objective: unknown "${opts.objective}"; use token, sentence, document, mixed or one of ${Object.keys(objectivePresets).join(", ")}`);

  const tok = await loadTokenizer(opts.tokenizer);
  const { special, settings, notes } = adaptToTokenizer(tok, preset);

  // Read and tokenize just enough text for N samples (tokenization is timed separately).
  const issues = new CorpusIssues();
  const documents: Int32Array[] = [];
  let tokens = 0;
  const needed = (n + 2 * batchSize) * seqLength;
  const tokenizeStart = performance.now();
  for await (const doc of readCorpus({ paths: opts.corpus, documents: opts.documents, onError: opts.onError, issues })) {
    const ids = Int32Array.from(tok.encode(opts.keepPunctuation ? doc.text : standardizePunctuation(doc.text)));
    documents.push(ids);
    tokens += ids.length + 1;
    if (tokens >= needed) break;
  }
  const tokenizationSeconds = (performance.now() - tokenizeStart) / 1000;
  if (documents.length === 0) throw new Error(`no documents in ${opts.corpus.join(", ")}${issues.total ? ` (${issues.summary()})` : ""}`);

  const sentenceEnd = sentenceEndTable(tok.vocabSize, (id) => tok.idToToken(id));
  const objective = new BlockObjective({ special, sentenceEnd, maxSeqLength: seqLength, settings });
  const stats = new ObjectiveStatistics({ sop: special.sop, eop: special.eop, dBlock: special.dBlock });
  const rng = new Rng(seed);
  // The original's packing (documents drawn in proportion to their length, sentence-aware cuts).
  const isSentenceEnd = (id: number) => sentenceEnd[id] === 1;
  const packer = new BlockDatasetPacker(tokenizedCorpus(documents), { seqLength, eos: special.eos, cls: special.cls, isSentenceEnd, seed, ring: batchSize + 1 });
  const shown: BuiltBatch[] = [];
  let samples = 0;
  let inputTokens = 0;
  let buildSeconds = 0;
  while (samples < n) {
    const start = performance.now();
    const raw: RawSample[] = [];
    for (let i = 0; i < Math.min(batchSize, n - samples); i++) raw.push(packer.next()!);
    const batch = objective.buildBatch(raw, rng);
    buildSeconds += (performance.now() - start) / 1000;
    samples += raw.length;
    for (const r of raw) inputTokens += r.text.length;
    stats.add(batch);
    if (shown.length < show) shown.push(batch);
    else objective.recycle(batch); // statistics keep no reference to it
  }
  const o = stats.overall;
  const maskedRatio = o.maskedRatio.summary();
  const spanLength = o.spanLength.summary();
  const summary = {
    samples: o.samples,
    batches: o.batches,
    objective: presetName,
    seqLength,
    batchSize,
    seed,
    samplesPerSecond: samples / buildSeconds,
    tokensPerSecond: inputTokens / buildSeconds,
    tokenization: { documents: documents.length, tokens, seconds: tokenizationSeconds },
    maskedRatio: { mean: maskedRatio.mean, std: maskedRatio.std },
    spanLength: { mean: spanLength.mean, std: spanLength.std, histogram: Object.fromEntries([...o.spanLength.counts()].sort((a, b) => a[0] - b[0])) },
    spansPerSample: { mean: o.spansPerSample.summary().mean },
    sep: { mean: o.sep.summary().mean },
    unpaddedLength: { mean: o.unpaddedLength.summary().mean },
    lossPositionsPerSample: { mean: o.lossPositionsPerSample.summary().mean },
    modes: Object.fromEntries([...stats.perMode].map(([m, s]) => [m, s.batches])),
    dropped: samples - o.samples,
    corpusIssues: issues.counts,
    notes,
  };
  if (opts.json) return JSON.stringify(summary);
  return [
    ...shown.flatMap((b, i) => describeSample(tok, special, b, 0, i)),
    `samples: ${summary.samples} in ${summary.batches} batches (${Object.entries(summary.modes).map(([m, c]) => `${m} ${c}`).join(", ")}), objective ${presetName}, S = ${seqLength}`,
    `masked ratio: mean ${maskedRatio.mean.toFixed(4)}, std ${maskedRatio.std.toFixed(4)}`,
    `span length: mean ${spanLength.mean.toFixed(3)}; spans per sample ${summary.spansPerSample.mean.toFixed(2)}; sep ${summary.sep.mean.toFixed(1)}; row length ${summary.unpaddedLength.mean.toFixed(1)}`,
    `span length histogram: ${Object.entries(summary.spanLength.histogram).slice(0, 16).map(([k, v]) => `${k}:${v}`).join(" ")}`,
    `speed: ${Math.round(summary.samplesPerSecond).toLocaleString("en-US")} samples/s, ${Math.round(summary.tokensPerSecond).toLocaleString("en-US")} input tokens/s (sample construction; tokenization of ${tokens.toLocaleString("en-US")} tokens took ${tokenizationSeconds.toFixed(2)} s)`,
    ...(issues.total ? [`corpus issues:\n${issues.summary()}`] : []),
    ...notes.map((note) => `note: ${note}`),
  ].join("\n");
}

/** Special ids from the tokenizer; features its vocabulary lacks are turned off (with a note). */
function adaptToTokenizer(tok: Tokenizer, preset: ObjectiveSettings): { special: SpecialIds; settings: ObjectiveSettings; notes: string[] } {
  const s = tok.special;
  const has = (id: number | undefined): id is number => id !== undefined && id >= 0;
  const special: SpecialIds = { eos: s.eos, cls: s.cls, mask: s.mask, sop: s.sop, eop: s.eop };
  if (has(s.sMask)) special.sMask = s.sMask;
  if (has(s.gMask)) special.gMask = s.gMask;
  if (has(s.dBlock)) special.dBlock = s.dBlock;
  const settings = { ...preset };
  const notes: string[] = [];
  if (settings.taskMask && !(has(s.sMask) && has(s.gMask))) {
    settings.taskMask = false;
    notes.push("this tokenizer has no [sMASK]/[gMASK]: [MASK] is used for every objective (as the released BERT-vocabulary models do)");
  }
  if (settings.blockMaskProb > 0 && !has(s.dBlock)) {
    settings.blockMaskProb = 0;
    notes.push("this tokenizer has no [dBLOCK]: Part B noise is off");
  }
  return { special, settings, notes };
}

function describeSample(tok: Tokenizer, special: SpecialIds, batch: BuiltBatch, row: number, index: number): string[] {
  const at = row * batch.seqLength;
  const n = batch.lengths[row]!;
  const sep = batch.sep[row]!;
  const ids = Array.from(batch.inputIds.subarray(at, at + n));
  const commands = new Set([special.eos, special.cls, special.mask, special.sMask, special.gMask, special.sop, special.eop, special.dBlock].filter((x) => x !== undefined));
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
  return [`sample ${index + 1} (${batch.mode} mode, ${n} tokens, sep ${sep}):`, `Part A: ${render(ids.slice(0, sep))}`, `Part B (${spans.length} spans, in generation order):`, ...spans, ""];
}
