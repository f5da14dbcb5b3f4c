// The training loop, in a Web Worker so the page stays responsive: a WordPiece tokenizer trained
// on the corpus, @glmjs/train's pretraining recipe (held-out split, GLM's mixed blank-infilling
// objective, unigram baseline), the Trainer writing to in-memory storage, and between two steps
// the page's requests (pause, fill a blank, export) through the StepGate.
import { GLMModel, tf } from "@glmjs/core";
import { fill, topCandidates } from "@glmjs/tasks";
import { trainTokenizer, type GLMTokenizer } from "@glmjs/tokenizer";
import { DEFAULT_TRAINER_OPTIONS, GLM_ADAMW, MemoryStorage, Trainer, preparePretraining } from "@glmjs/train";
import { chooseTrainingBackend } from "./backend.js";
import { MODEL_SHAPES, type FromWorker, type ToWorker, type TrainSettings } from "./protocol.js";
import { StepGate, gatedSource } from "./step-gate.js";

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

const gate = new StepGate();
let trainer: Trainer | undefined;
let model: GLMModel | undefined;
let tokenizer: GLMTokenizer | undefined;
let started = false;

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.type) {
    case "start":
      if (started) return post({ type: "error", message: "training already started: reload the page for another run" });
      started = true;
      void train(m.documents, m.settings).catch((e: unknown) => {
        void gate.finish();
        post({ type: "error", message: (e as Error).message });
      });
      return;
    case "pause":
      gate.pause();
      return post({ type: "state", state: "paused" });
    case "resume":
      gate.resume();
      return post({ type: "state", state: "training" });
    case "stop":
      trainer?.requestStop();
      gate.resume();
      return;
    case "fill":
      void gate
        .submit(() => fillBlank(m.text))
        .then(
          (r) => post({ type: "fill-result", id: m.id, ...r }),
          (e: unknown) => post({ type: "fill-result", id: m.id, error: (e as Error).message }),
        );
      return;
    case "export":
      void gate.submit(exportFolder).then(
        ({ files, step }) => post({ type: "export-result", id: m.id, files, step }, [files["model.safetensors"].buffer]),
        (e: unknown) => post({ type: "export-result", id: m.id, error: (e as Error).message }),
      );
      return;
  }
};

async function train(documents: string[], s: TrainSettings): Promise<void> {
  const backend = await chooseTrainingBackend(s.backend);
  post({ type: "backend", ...backend });
  post({ type: "status", message: `training a WordPiece tokenizer (${s.vocabSize} ids) on ${documents.length} documents…` });
  // Every 10th document is held out (the recipe's default, every 20th run of 10, suits corpora of hundreds).
  const prepared = await preparePretraining({
    documents,
    tokenizer: (train) => trainTokenizer(train, { type: "wordpiece", vocabSize: s.vocabSize }),
    model: MODEL_SHAPES[s.model],
    objective: "mixed",
    batchSize: s.batchSize,
    seqLength: s.seqLength,
    seed: s.seed,
    evalBatches: 2,
    heldOut: { every: 10, run: 1 },
  });
  tokenizer = prepared.tokenizer as GLMTokenizer;
  model = GLMModel.fromConfig(prepared.config, { seed: s.seed });
  const valid = prepared.evalSets[0];
  post({
    type: "prepared",
    info: {
      trainDocuments: prepared.train.length,
      heldOutDocuments: prepared.heldOut.length,
      trainTokens: prepared.tokens.train,
      heldOutTokens: prepared.tokens.heldOut,
      vocabSize: tokenizer.vocabSize,
      parameters: model.parameterCount(),
      unigramLoss: valid?.unigramLoss,
      notes: prepared.notes,
    },
  });
  trainer = new Trainer(
    model,
    gatedSource(prepared.source, gate),
    prepared.evalSets,
    new MemoryStorage(),
    {
      ...DEFAULT_TRAINER_OPTIONS,
      steps: s.steps,
      optimizer: GLM_ADAMW,
      schedule: { peakLr: s.peakLr, decaySteps: s.steps, warmupFraction: 0.02, style: "cosine", decayRatio: 0.1 },
      evalEvery: s.evalEvery,
      // Checkpoints (weights + AdamW moments) would only fill memory here: the page exports the weights.
      checkpointEvery: 0,
      keepCheckpoints: 1,
      plotEvery: 1_000_000,
      seed: s.seed,
    },
    { onStep: (row) => post({ type: "step", row }), onEval: (row) => post({ type: "eval", row }) },
  );
  gate.training = true;
  post({ type: "state", state: "training" });
  // The held-out loss of the initial weights: the chart's first point.
  if (valid) await trainer.evaluateAll();
  const result = await trainer.run();
  await gate.finish();
  // The Trainer's own message about an interruption speaks of resume(), which a tab does not offer.
  post({ type: "state", state: "done", message: result.reason === "interrupted" ? `stopped at step ${result.step}` : result.message });
}

async function fillBlank(text: string) {
  if (!model || !tokenizer) throw new Error("start training first: the model is made from the corpus's tokenizer");
  const before = tf.memory().numTensors;
  const filled = await fill(model, tokenizer, text, { maxNewTokens: 12 });
  const candidates = await topCandidates(model, tokenizer, text, 5);
  if (tf.memory().numTensors !== before) console.warn(`fill left ${tf.memory().numTensors - before} tensors`);
  return { text: filled.text, fills: filled.blanks.map((b) => b.text), candidates, endId: tokenizer.special.eop, step: trainer?.currentStep ?? 0 };
}

async function exportFolder() {
  if (!model || !tokenizer) throw new Error("start training first: there is no model yet");
  const files = await model.toFiles();
  return { files: { ...files, "tokenizer.json": JSON.stringify(tokenizer.toJSON()) }, step: trainer?.currentStep ?? 0 };
}
