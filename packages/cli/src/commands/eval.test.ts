// `glm eval cloze|seq2seq|lm|lambada` (the built CLI in a child process): results checked
// against values computed here, on small data (tiny model, small --limit). Shared data sets are
// read from ../shared (skipped visibly when absent).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BagOfWordsClassifier, classificationReport, majorityClass, parseJsonl, rougeScores } from "@glmjs/tasks";
import { sharedPath } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glm } from "../test/glm.test-helper.js";
import { cueSentences, writeTinyModel, writeTsv } from "../test/model.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-eval-"));
const model = join(root, "model");
afterAll(() => rmSync(root, { recursive: true, force: true }));
const polarity = sharedPath("data", "sentence_polarity");
const scitldr = sharedPath("data", "scitldr");
const wikitext = sharedPath("data", "wikitext2", "valid.txt");
const lambada = sharedPath("data", "lambada");

beforeAll(async () => {
  const texts = cueSentences(80, 2).map((r) => `${r.sentence} It was great . It was terrible .`);
  // Words of the shared texts too, so they are not all [UNK].
  for (const p of [polarity && join(polarity, "dev.tsv"), scitldr && join(scitldr, "dev.jsonl"), wikitext])
    if (p) texts.push(readFileSync(p, "utf8").slice(0, 60_000));
  await writeTinyModel(model, texts, { vocabSize: 600, maxSequenceLength: 256 });
});

const run = (...args: string[]) => glm(["eval", ...args, "--model", model, "--backend", "wasm", "--json"]);

describe("glm eval cloze", () => {
  it("scores the model and, with --baselines, the majority class and a bag-of-words model trained on --train", async () => {
    const trainRows = cueSentences(40, 11);
    const devRows = cueSentences(15, 12);
    const train = writeTsv(join(root, "train.tsv"), trainRows);
    const dev = writeTsv(join(root, "dev.tsv"), devRows);
    const r = await run("cloze", "--data", dev, "--train", train, "--pattern", "{sentence} It was [MASK].", "--labels", "0=terrible,1=great", "--baselines");
    expect(r.code, r.output).toBe(0);
    const json = JSON.parse(r.stdout);
    const gold = devRows.map((x) => x.label);
    const majority = majorityClass(trainRows.map((x) => x.label));
    expect(json.baselines.majority.label).toBe(majority.label);
    expect(json.baselines.majority.accuracy).toBeCloseTo(gold.filter((g) => g === majority.label).length / gold.length, 12);
    const bow = BagOfWordsClassifier.train(
      trainRows.map((x) => x.sentence),
      trainRows.map((x) => x.label),
    );
    const expected = classificationReport(
      devRows.map((x) => bow.predict(x.sentence).label),
      gold,
      { labels: ["0", "1"] },
    );
    expect(json.baselines.bagOfWords.accuracy).toBeCloseTo(expected.accuracy, 12);
    expect(json.baselines.bagOfWords.macroF1).toBeCloseTo(expected.macroF1, 12);
    // One cue word gives each label away: 40 examples teach the bag of words most cues (chance is 0.5).
    expect(expected.accuracy).toBeGreaterThan(0.8);
    // The model's macro-F1 follows from its per-class scores.
    expect(json.examples).toBe(15);
    expect(json.macroF1).toBeCloseTo((json.perClass[0].f1 + json.perClass[1].f1) / 2, 12);
    expect(json.accuracy).toBeCloseTo(json.perClass.reduce((s: number, c: { recall: number; support: number }) => s + c.recall * c.support, 0) / 15, 12);
  }, 120_000);

  it.skipIf(!polarity)(
    "zero-shot on a preset's dev split, any model",
    async () => {
      const r = await glm(["eval", "cloze", "--model", model, "--preset", "sentence_polarity", "--data", polarity!, "--limit", "24", "--backend", "wasm"]);
      expect(r.code, r.output).toBe(0);
      expect(r.stdout).toMatch(/^cloze: 24 examples of .*sentence_polarity\/dev\.tsv\n\s+accuracy\s+macro-F1\nmodel\s+[\d.]+%\s+[\d.]+%\n$/);
      expect(r.stderr).toMatch(/task: "\{sentence\} It was \[MASK\]\." with 0=" terrible", 1=" great"/);
    },
    120_000,
  );
});

describe.skipIf(!scitldr)("glm eval seq2seq", () => {
  it("reports ROUGE of generated summaries and, with --baselines, of the abstracts' first sentences", async () => {
    const r = await run(
      "seq2seq",
      "--preset",
      "scitldr",
      "--data",
      scitldr!,
      "--limit",
      "3",
      "--strategy",
      "greedy",
      "--max-new-tokens",
      "6",
      "--source-length",
      "64",
      "--baselines",
    );
    expect(r.code, r.output).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ examples: 3, format: "summary", decoding: { strategy: "greedy", maxNewTokens: 6, minNewTokens: 6, noRepeatNgramSize: 3 } });
    expect(json.bleu4).toBeUndefined();
    // The lead-sentence baseline: ROUGE F1 of each abstract's first sentence against its TL;DRs.
    const rows = parseJsonl(readFileSync(join(scitldr!, "dev.jsonl"), "utf8")).rows.slice(0, 3) as { source: string[]; target: string[] }[];
    const lead = rougeScores(
      rows.map((x) => x.source[0]!),
      rows.map((x) => x.target),
      { types: ["rouge1", "rouge2", "rougeL"], useStemmer: true },
    );
    expect(json.baselines.leadSentence.rouge1).toBeCloseTo(100 * lead.scores.rouge1!.fmeasure, 10);
    expect(json.baselines.leadSentence.rouge2).toBeCloseTo(100 * lead.scores.rouge2!.fmeasure, 10);
    expect(json.baselines.leadSentence.rougeL).toBeCloseTo(100 * lead.scores.rougeL!.fmeasure, 10);
    expect(json.baselines.leadSentence.rouge1).toBeGreaterThan(10);
  }, 120_000);
});

describe("glm eval lm / lambada", () => {
  it.skipIf(!wikitext)(
    "lm: perplexity of the first lines of WikiText-2 (detokenised)",
    async () => {
      const r = await run("lm", "--data", wikitext!, "--limit", "12", "--detokenize", "wikitext", "--seq-len", "64", "--stride", "32");
      expect(r.code, r.output).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.scoredTokens).toBe(json.tokens - 1);
      expect(json.perplexity).toBeCloseTo(Math.exp(json.meanNll), 8);
      expect(json.meanNll).toBeCloseTo(json.sumNll / json.scoredTokens, 10);
      expect(json.windows).toBeGreaterThan(1);
      expect([json.seqLength, json.stride, json.detokenize]).toEqual([64, 32, "wikitext"]);
    },
    120_000,
  );

  it.skipIf(!lambada)(
    "lambada: --limit passages, accuracy = correct / count",
    async () => {
      const r = await run("lambada", "--data", lambada!, "--limit", "6");
      expect(r.code, r.output).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.count).toBe(6);
      expect(json.accuracy).toBe(json.correct / 6);
      expect(json.answerTokens).toBeGreaterThanOrEqual(6);
    },
    120_000,
  );
});
