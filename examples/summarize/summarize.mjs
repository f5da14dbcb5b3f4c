// Summarisation as GLM poses it: the abstract, then a blank the model fills with a one-sentence
// TL;DR (the original's seq2seq "summary" layout). Fine-tunes briefly with @glmjs/tasks, then
// scores the generated summaries of held-out abstracts with ROUGE against the lead baseline
// (the abstract's first sentence).
//   node summarize.mjs <data folder> [--model runs/quickstart/model] [--steps 200] [--limit 50]
// The data folder holds SciTLDR's train.jsonl and dev.jsonl, e.g. ../shared/data/scitldr.
import { parseArgs } from "node:util";
import { useBackend } from "@glmjs/core";
import "@glmjs/backend-wasm";
import { SEQ2SEQ_PRESETS, Seq2seqTask, createSeq2seqTrainer, infillIds, rougeScores } from "@glmjs/tasks";
import { loadGLM, loadSeq2seqPreset } from "@glmjs/tasks/node";
import { NodeStorage } from "@glmjs/train/node";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: "string", default: "runs/quickstart/model" },
    steps: { type: "string", default: "200" },
    batch: { type: "string", default: "4" },
    lr: { type: "string", default: "1e-4" },
    limit: { type: "string", default: "50" },
    "train-limit": { type: "string" },
    "source-length": { type: "string" },
    "max-new-tokens": { type: "string", default: "40" },
    beams: { type: "string", default: "1" },
    out: { type: "string", default: "runs/summarize" },
    seed: { type: "string", default: "1234" },
  },
});
if (positionals.length !== 1) {
  console.error("usage: node summarize.mjs <data folder with train.jsonl and dev.jsonl> [--model <model folder>] [--steps N] [--limit N]");
  process.exit(2);
}

await useBackend("wasm");
const { model, tokenizer, specialIds } = await loadGLM(args.model).catch((e) => {
  console.error(`cannot load the model folder ${args.model}: ${e.message}\n(make one with: npx -y pnpm@12.4.2 run glm quickstart)`);
  process.exit(1);
});
const preset = SEQ2SEQ_PRESETS.scitldr;
const { train, dev } = await loadSeq2seqPreset("scitldr", positionals[0]);
const trainSet = args["train-limit"] === undefined ? train : train.slice(0, Number(args["train-limit"]));
const devSet = dev.slice(0, Number(args.limit));
// The model's positions bound Part A (the preset's 256 tokens, or less for a short model).
const sourceLength = Number(args["source-length"] ?? Math.min(preset.task.sourceLength, model.config.max_sequence_length - 1));
const task = new Seq2seqTask(tokenizer, { ...preset.task, sourceLength });
console.log(`${preset.description}: ${trainSet.length} training and ${devSet.length} held-out abstracts (Part A ${sourceLength} tokens)`);

const finetune = createSeq2seqTrainer({
  model,
  tokenizer,
  task,
  train: trainSet,
  evalSets: [{ name: "dev", examples: devSet }],
  storage: new NodeStorage(args.out),
  steps: Number(args.steps),
  batchSize: Number(args.batch),
  lr: Number(args.lr),
  seed: Number(args.seed),
  callbacks: {
    onStep: (row) => {
      if (row.step % 25 === 0) console.log(`step ${row.step}/${args.steps}: loss ${row.loss.toFixed(3)}`);
    },
    onEval: (row) => console.log(`dev @ step ${row.step}: target-token loss ${row.loss.toFixed(3)}, accuracy ${(100 * row.accuracy).toFixed(1)}%`),
  },
});
await finetune.trainer.run();

// Generate a summary of every held-out abstract: fill the blank after Part A.
const numBeams = Number(args.beams);
const decoding = numBeams > 1 ? { strategy: "beam", numBeams } : { strategy: "greedy" };
const summaries = [];
for (const ex of devSet) {
  const { spans } = await infillIds(model, task.buildSeq2seqPrompt(ex), {
    specialIds,
    maxNewTokens: Number(args["max-new-tokens"]),
    noRepeatNgramSize: 3,
    ...decoding,
  });
  summaries.push(tokenizer.decode(spans[0].ids).trim());
}
const references = devSet.map((ex) => ex.references ?? [ex.target]);
const lead = devSet.map((ex) => /^.*?[.!?](?=\s|$)/s.exec(ex.source.trim())?.[0] ?? ex.source);
const tuned = rougeScores(summaries, references, { useStemmer: true }).scores;
const baseline = rougeScores(lead, references, { useStemmer: true }).scores;

const row = (name, s) => `  ${name.padEnd(22)} ${[s.rouge1, s.rouge2, s.rougeL].map((r) => (100 * r.fmeasure).toFixed(2).padStart(6)).join(" ")}`;
console.log(`\nexample: ${devSet[0].source.slice(0, 160)}…\n  generated: ${summaries[0]}\n  reference: ${references[0][0]}`);
console.log(`\nROUGE F1 (%) on ${devSet.length} held-out abstracts, stemmed:    R-1    R-2    R-L`);
console.log(row(`fine-tuned (${finetune.steps} steps)`, tuned));
console.log(row("lead sentence", baseline));
finetune.trainer.dispose();
model.dispose();
