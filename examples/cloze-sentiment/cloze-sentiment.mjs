// Sentiment as a blank to fill ("… It was [MASK]." → " great" / " terrible"), the way GLM poses
// classification: accuracy zero-shot, then after fine-tuning with @glmjs/tasks, against the
// majority-class baseline.
//   node cloze-sentiment.mjs <data folder> [--model runs/quickstart/model] [--steps 300] [--limit N]
// The data folder holds train.tsv and dev.tsv (sentence<TAB>label, 1 positive, 0 negative), e.g.
// ../shared/data/sentence_polarity.
import { parseArgs } from "node:util";
import { useBackend } from "@glmjs/core";
import "@glmjs/backend-wasm";
import { ClozeTask, createClozeTrainer, evaluateCloze, majorityClass } from "@glmjs/tasks";
import { loadClozePreset, loadGLM } from "@glmjs/tasks/node";
import { NodeStorage } from "@glmjs/train/node";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: "string", default: "runs/quickstart/model" },
    preset: { type: "string", default: "sentence_polarity" },
    steps: { type: "string", default: "300" },
    batch: { type: "string", default: "16" },
    lr: { type: "string", default: "1e-4" },
    limit: { type: "string" },
    out: { type: "string", default: "runs/cloze-sentiment" },
    seed: { type: "string", default: "1234" },
  },
});
if (positionals.length !== 1) {
  console.error("usage: node cloze-sentiment.mjs <data folder with train.tsv and dev.tsv> [--model <model folder>] [--steps N] [--limit N]");
  process.exit(2);
}
const limit = args.limit === undefined ? Infinity : Number(args.limit);

await useBackend("wasm");
const { model, tokenizer } = await loadGLM(args.model).catch((e) => {
  console.error(`cannot load the model folder ${args.model}: ${e.message}\n(make one with: npx -y pnpm@12.4.2 run glm quickstart)`);
  process.exit(1);
});
const { preset, train, dev } = await loadClozePreset(args.preset, positionals[0]);
const trainSet = train.slice(0, limit);
const devSet = dev.slice(0, limit);
const task = new ClozeTask(tokenizer, preset.task);
console.log(`${preset.description}: ${trainSet.length} training and ${devSet.length} held-out sentences`);
console.log(`pattern "${preset.task.pattern}", answers ${task.verbalizer.words.map((w) => JSON.stringify(w)).join(" / ")} (${task.mode})`);

// The baseline: always answer the label most frequent in the training data.
const majority = majorityClass(trainSet.map((ex) => ex[task.labelField]));
const majorityAccuracy = devSet.filter((ex) => ex[task.labelField] === majority.label).length / devSet.length;

const zeroShot = await evaluateCloze(model, task, devSet);
console.log(`zero-shot accuracy: ${(100 * zeroShot.accuracy).toFixed(1)}%`);

const finetune = createClozeTrainer({
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
      if (row.step % 50 === 0) console.log(`step ${row.step}/${args.steps}: loss ${row.loss.toFixed(3)}`);
    },
    onEval: (row) => console.log(`dev @ step ${row.step}: accuracy ${(100 * row.accuracy).toFixed(1)}%`),
  },
});
await finetune.trainer.run();
const tuned = await evaluateCloze(model, task, devSet);

console.log(`\nheld-out accuracy on ${devSet.length} sentences:`);
console.log(`  majority class ("${majority.label}"): ${(100 * majorityAccuracy).toFixed(1)}%`);
console.log(`  zero-shot:                ${(100 * zeroShot.accuracy).toFixed(1)}%`);
console.log(`  fine-tuned (${finetune.steps} steps):  ${(100 * tuned.accuracy).toFixed(1)}%`);
finetune.trainer.dispose();
model.dispose();
