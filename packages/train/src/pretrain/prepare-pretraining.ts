// The pretraining recipe, shared by `glm pretrain`, `glm data inspect`, the browser and API users:
// corpus → held-out split → tokenizer (given, or trained on the training split only) → ids (English
// punctuation standardised as the original's preprocessing, GLM.md §3.7) → batches with the
// objective fitted to the tokenizer → held-out sets and the unigram baseline. Browser-safe: no file
// access; the caller reads the corpus and keeps the run folder.
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "@glmjs/core";
import {
  arrayDocuments,
  createBatchIterator,
  objectiveForTokenizer,
  sentenceEndTable,
  tokenizedCorpus,
  type BatchIterator,
  type BatchIteratorState,
  type PretrainingObjective,
  type TokenizerSpecialIds,
} from "@glmjs/data";
import { standardizePunctuation } from "@glmjs/tokenizer";
import { lossTokens, type EvalSet } from "../loop/batch-source.js";
import { UnigramModel } from "../loop/unigram-model.js";
import { splitHeldOut } from "./held-out.js";
import { IteratorSource, takeBatches } from "./iterator-source.js";
import { checkPretrainingShape, pretrainingConfig, type PretrainingShape } from "./sizes.js";

/** What the recipe needs of a tokenizer (an @glmjs/tokenizer Tokenizer fits). */
export interface PretrainingTokenizer {
  readonly special: TokenizerSpecialIds;
  /** Ids in use (text vocabulary + command tokens). */
  readonly vocabSize: number;
  /** The model's embedding rows. */
  readonly paddedVocabSize: number;
  encode(text: string): number[];
  idToToken(id: number): string | undefined;
}

export interface PretrainingDataOptions extends Omit<PretrainingShape, "model" | "dropout" | "memoryLimitBytes"> {
  /** The corpus, one string per document, in corpus order (the held-out split follows that order). */
  documents: readonly string[];
  /**
   * The tokenizer, or a function that returns one given the training documents (already
   * preprocessed): called after the split, so held-out text never shapes a trained vocabulary. A
   * resumed run returns the tokenizer it saved.
   */
  tokenizer: PretrainingTokenizer | ((trainDocuments: readonly string[]) => PretrainingTokenizer | Promise<PretrainingTokenizer>);
  /**
   * Keep punctuation as it is. Default false: curly quotes and en dashes are standardised as the
   * original's English preprocessing does (GLM.md §3.7); keep it for Chinese corpora.
   */
  keepPunctuation?: boolean;
}

export interface PretrainingOptions extends PretrainingDataOptions, PretrainingShape {
  /** More held-out sets (e.g. WikiText), read once in order like the held-out split. */
  extraEvalSets?: readonly { name: string; documents: readonly string[] }[];
}

export interface PretrainingData {
  tokenizer: PretrainingTokenizer;
  /** The objective fitted to the tokenizer (with notes on what it turned off). */
  objective: PretrainingObjective;
  /** Token ids of the training and held-out documents. */
  train: Int32Array[];
  heldOut: Int32Array[];
  tokens: { train: number; heldOut: number };
  /** Texts → ids as the run encodes them (same preprocessing). */
  encode(texts: readonly string[]): Int32Array[];
  /**
   * The training batches exactly as the run draws them (from `resumeFrom` on, when given); another
   * `seed` draws other batches of the same training documents.
   */
  trainBatches(resumeFrom?: BatchIteratorState, seed?: number): BatchIterator;
  /** Batches of `documents` read once in order with the run's objective: what held-out sets are made of. */
  onceBatches(documents: Int32Array[], seed: number): BatchIterator;
  /** Facts worth telling the user (objective switches turned off, an empty held-out split). */
  notes: string[];
}

export interface PreparedPretraining extends PretrainingData {
  /** The model config (vocab_size = the tokenizer's padded size). */
  config: GLMConfig;
  /** Training batches for the Trainer; restore() re-creates the iterator at a checkpoint's state. */
  source: IteratorSource<BatchIteratorState>;
  /** "valid" (the held-out split), then the extra sets; sets without batches are left out. */
  evalSets: EvalSet[];
  /** Unigram model of blank targets, from one pass of training batches (seed + 2). */
  unigram: UnigramModel;
  /** The longest row the objective builds (Part A + Part B) from samples of seqLength tokens. */
  maxRowLength: number;
  /** The options that define this run's data and model: store it, and compare on resume. */
  record: Record<string, unknown>;
}

const count = (docs: readonly Int32Array[]) => docs.reduce((s, d) => s + d.length, 0);

/**
 * The data half of the recipe (no model): split, tokenizer, ids and the batch factories. `glm
 * data inspect` shows what `trainBatches()` yields, so it shows the samples pretraining trains on.
 */
export async function preparePretrainingData(o: PretrainingDataOptions): Promise<PretrainingData> {
  const every = o.heldOut?.every ?? 20;
  const run = o.heldOut?.run ?? 10;
  const preprocess = o.keepPunctuation ? (t: string) => t : standardizePunctuation;
  const texts = o.documents.map(preprocess);
  const split = splitHeldOut(texts, { every, run });
  const tokenizer = typeof o.tokenizer === "function" ? await o.tokenizer(split.train) : o.tokenizer;
  const objective = objectiveForTokenizer(o.objective ?? "mixed", tokenizer);
  const encodeText = (docs: readonly string[]) => docs.map((d) => Int32Array.from(tokenizer.encode(d)));
  const train = encodeText(split.train);
  const heldOut = encodeText(split.heldOut);
  const sentenceEnd = sentenceEndTable(tokenizer.vocabSize, (id) => tokenizer.idToToken(id));
  const packing = o.packing ?? "block";
  const trainCorpus = packing === "block" ? tokenizedCorpus(train) : undefined;
  const common = { batchSize: o.batchSize, seqLength: o.seqLength, special: objective.special, sentenceEnd, objective: objective.settings };
  const notes = [...objective.notes];
  if (heldOut.length === 0) {
    notes.push(
      `no document is held out: the corpus has ${o.documents.length} documents and every ${every}th run of ${run} is held out, so the first held-out one would be document ${(every - 1) * run + 1}`,
    );
  }
  return {
    tokenizer,
    objective,
    train,
    heldOut,
    tokens: { train: count(train), heldOut: count(heldOut) },
    encode: (docs) => encodeText(docs.map(preprocess)),
    trainBatches: (resumeFrom, seed = o.seed) =>
      createBatchIterator({
        ...common,
        ...(trainCorpus
          ? { documents: trainCorpus, packing: "block" as const }
          : { documents: arrayDocuments(train, { seed, shuffle: true, epochs: Infinity }), packing: "sequential" as const }),
        seed,
        ...(resumeFrom ? { resumeFrom } : {}),
      }),
    onceBatches: (documents, seed) =>
      createBatchIterator({ ...common, documents: arrayDocuments(documents, { seed, shuffle: false, epochs: 1 }), packing: "sequential", seed }),
    notes,
  };
}

/**
 * The whole recipe: checks every size first (checkPretrainingShape), then prepares the data, the
 * model config, the training source, the held-out sets ("valid" + `extraEvalSets`, the first
 * `evalBatches` batches of each, seed + 1) and the unigram baseline (seed + 2). Throws when every
 * sample is dropped (documents too short for the objective's blanks).
 */
export async function preparePretraining(o: PretrainingOptions): Promise<PreparedPretraining> {
  const shape = checkPretrainingShape(o);
  const data = await preparePretrainingData(o);
  const config = pretrainingConfig(o, data.tokenizer.paddedVocabSize);
  const source = new IteratorSource<BatchIteratorState>((from) => data.trainBatches(from));

  // The baseline knows what blanks hold (their [eop]s included): a pass's worth of training
  // batches drawn with another seed than the run's (sequential packing: one pass in file order).
  const onePass = Math.max(1, Math.ceil(data.tokens.train / (o.batchSize * o.seqLength)));
  const passBatches = (o.packing ?? "block") === "block" ? data.trainBatches(undefined, o.seed + 2) : data.onceBatches(data.train, o.seed + 2);
  const pass = await takeBatches(passBatches, onePass);
  // No loss token in a whole pass (and a few batches more): every sample was dropped.
  if (pass.every((b) => lossTokens(b) === 0) && (await takeBatches(passBatches, 16)).every((b) => lossTokens(b) === 0)) {
    throw new GlmjsError("NO_SAMPLES", droppedEverything(data, o.seqLength));
  }
  const unigram = UnigramModel.fromBatches(pass, config.vocab_size);

  const evalBatches = o.evalBatches ?? 8;
  const evalSets: EvalSet[] = [];
  const addEvalSet = async (name: string, docs: Int32Array[]) => {
    if (evalBatches === 0 || docs.length === 0) return;
    const batches = await takeBatches(data.onceBatches(docs, o.seed + 1), evalBatches);
    if (batches.length > 0) evalSets.push({ name, batches, unigramLoss: unigram.crossEntropy(batches) });
  };
  await addEvalSet("valid", data.heldOut);
  for (const extra of o.extraEvalSets ?? []) await addEvalSet(extra.name, data.encode(extra.documents));
  return { ...data, config, source, evalSets, unigram, maxRowLength: shape.maxRowLength, record: pretrainingRecord(o) };
}

/** The options that define a run's data and model, as preparePretraining records them. */
export function pretrainingRecord(o: PretrainingShape & { keepPunctuation?: boolean }): Record<string, unknown> {
  return {
    ...(typeof o.model === "string" ? { preset: o.model } : { model: o.model }),
    objective: o.objective ?? "mixed",
    packing: o.packing ?? "block",
    batch: o.batchSize,
    seqLen: o.seqLength,
    dropout: o.dropout ?? 0,
    seed: o.seed,
    heldOutEvery: o.heldOut?.every ?? 20,
    ...(o.heldOut?.run !== undefined && o.heldOut.run !== 10 ? { heldOutRun: o.heldOut.run } : {}),
    evalBatches: o.evalBatches ?? 8,
    keepPunctuation: o.keepPunctuation ?? false,
  };
}

/** Why a corpus gave no trainable sample, and what to change. */
export function droppedEverything(data: Pick<PretrainingData, "train" | "tokens">, seqLength: number): string {
  const docs = data.train.length;
  const mean = docs > 0 ? data.tokens.train / docs : 0;
  return (
    `every sample was dropped: the objective found no room for its blanks in documents this short ` +
    `(${docs} training document${docs === 1 ? "" : "s"} of ${mean.toFixed(1)} tokens on average, samples of up to ${seqLength} tokens). ` +
    `Blanks stay inside one document and need a few unmasked tokens around them: use a corpus of longer documents (paragraphs rather than single lines or words)`
  );
}
