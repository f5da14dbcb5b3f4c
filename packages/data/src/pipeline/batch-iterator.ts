// The batch iterator: documents → packed raw samples → objective → padded GLMBatch, with a
// small JSON state (packer position + RNG state) from which a run resumes exactly.
// Two packers: "block" (default for an in-memory TokenizedCorpus) builds each sample as the
// original's BlockDataset from (seed, sample index); "sequential" (the only choice for a
// streaming DocumentSource, for corpora too large to hold) reads documents in a seeded order.
import { GlmjsError } from "@glmjs/common";
import type { BuiltBatch, GLMBatch } from "../batch.js";
import { BlockObjective } from "../objective/block-objective.js";
import { defaultObjectiveSettings, objectivePresets, type ObjectivePresetName, type ObjectiveSettings, type SpecialIds } from "../objective/settings.js";
import type { RawSample } from "../objective/raw-sample.js";
import { SequencePacker, type PackerState } from "../packing/sequence-packer.js";
import { BlockDatasetPacker, type BlockPackerState } from "../packing/block-dataset-packer.js";
import { documentViews, isTokenizedCorpus, type TokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { Rng, type RngState } from "../random/rng.js";
import { arrayDocuments, type DocumentSource, type DocumentStream } from "./document-source.js";
import { InvalidOptionError, requireInteger } from "../errors/invalid-option.js";
import { checkSeqLength } from "../objective/pretraining-objective.js";

export type PackingKind = "block" | "sequential";

export interface BlockPackingOptions {
  /** The original's non_sentence_start (default 0: windows always start after a sentence end). */
  nonSentenceStart?: number;
  /** The original's sample_across_doc (default true). */
  sampleAcrossDocuments?: boolean;
  /** Reader `index` of `count`: disjoint sample indices per reader. */
  shard?: { index: number; count: number };
  /** Samples (of this reader) before the iterator ends. Default: never ends. */
  samples?: number;
}

export interface BatchIteratorOptions {
  /**
   * A TokenizedCorpus (in memory, indexed: tokenizedCorpus() / buildTokenizedCorpus()) or a
   * streaming DocumentSource (arrayDocuments() / corpusDocuments()).
   */
  documents: DocumentSource | TokenizedCorpus;
  /**
   * "block" (default for a TokenizedCorpus): the original's BlockDataset packing (documents drawn
   * ∝ length, random windows). "sequential" (default and only choice for a DocumentSource):
   * documents read in order, leftovers start the next sample. A TokenizedCorpus read
   * sequentially is read in a fresh seeded order per epoch, forever.
   */
  packing?: PackingKind;
  /** Settings of the "block" packer. */
  block?: BlockPackingOptions;
  batchSize: number;
  /** Raw sample length S (512 or 1024); rows come out longer (Part B adds 2 per span). */
  seqLength: number;
  special: SpecialIds;
  /** From sentenceEndTable(). */
  sentenceEnd: Uint8Array;
  /** A preset name or settings (missing fields take the defaults). Default "glm-large-blank". */
  objective?: ObjectivePresetName | Partial<ObjectiveSettings>;
  /** Seed of the objective's random choices (and of the block packer's draws). */
  seed?: number;
  /** Pad every batch to at least this many columns (default: the longest row). */
  padTo?: number;
  /** A state() from an earlier run: continue exactly after its last batch. */
  resumeFrom?: BatchIteratorState;
}

export interface BatchIteratorState {
  version: 1;
  /** Sequential: the document cursor; block: the sample counter (`kind: "block"`). */
  packer: PackerState | BlockPackerState;
  rng: RngState;
  /** Batches produced so far. */
  batches: number;
}

export interface BatchIterator extends AsyncIterable<BuiltBatch> {
  /** The next batch, or undefined when the documents are exhausted. */
  next(): Promise<BuiltBatch | undefined>;
  /** State after the last batch returned by next(). */
  state(): BatchIteratorState;
  /**
   * Optional: hands a finished batch back so its memory is reused (faster). Only when neither
   * the batch nor any view of its arrays is used any more.
   */
  recycle(batch: GLMBatch): void;
}

export function resolveObjective(objective: BatchIteratorOptions["objective"]): Partial<ObjectiveSettings> {
  if (objective === undefined) return objectivePresets["glm-large-blank"];
  if (typeof objective === "string") {
    const preset = (objectivePresets as Record<string, ObjectiveSettings>)[objective];
    if (!preset)
      throw new InvalidOptionError("objective", objective, `must be a preset (${Object.keys(objectivePresets).join(", ")}) or settings`, "createBatchIterator");
    return preset;
  }
  return objective;
}

export function createBatchIterator(options: BatchIteratorOptions): BatchIterator {
  const { batchSize, seqLength, special } = options;
  requireInteger("createBatchIterator", "batchSize", batchSize, 1);
  const settings = { ...defaultObjectiveSettings, ...resolveObjective(options.objective) };
  checkSeqLength("createBatchIterator", "seqLength", seqLength, settings);
  const objective = new BlockObjective({
    special,
    sentenceEnd: options.sentenceEnd,
    maxSeqLength: seqLength,
    settings,
    padTo: options.padTo,
  });
  const resume = options.resumeFrom;
  if (resume && resume.version !== 1) throw new GlmjsError("STATE_INVALID", `createBatchIterator: unsupported state version ${String(resume.version)}`);
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(options.seed ?? 0);
  let batches = resume?.batches ?? 0;
  const samples = openSamples(options);

  const iterator: BatchIterator = {
    async next(): Promise<BuiltBatch | undefined> {
      const raw = await samples.take(batchSize);
      if (raw.length === 0) return undefined;
      const batch = objective.buildBatch(raw, rng);
      batches++;
      return batch;
    },
    recycle(batch: GLMBatch): void {
      objective.recycle(batch);
    },
    state(): BatchIteratorState {
      return { version: 1, packer: samples.state(), rng: rng.state(), batches };
    },
    [Symbol.asyncIterator](): AsyncIterator<BuiltBatch> {
      return {
        next: async () => {
          const b = await iterator.next();
          return b ? { done: false, value: b } : { done: true, value: undefined };
        },
      };
    },
  };
  return iterator;
}

/** Raw samples for batches, from either packer. */
interface SampleSource {
  /** Up to `count` samples (fewer at the end); valid until the next call's batch is built. */
  take(count: number): Promise<RawSample[]>;
  state(): PackerState | BlockPackerState;
}

function openSamples(options: BatchIteratorOptions): SampleSource {
  const { documents, batchSize, seqLength, special } = options;
  const indexed = isTokenizedCorpus(documents);
  const packing = options.packing ?? (indexed ? "block" : "sequential");
  if (packing !== "block" && packing !== "sequential")
    throw new InvalidOptionError("packing", packing, 'must be "block" or "sequential"', "createBatchIterator");
  const saved = options.resumeFrom?.packer;
  const savedKind = saved ? ("kind" in saved ? "block" : "sequential") : undefined;
  if (savedKind && savedKind !== packing) {
    throw new GlmjsError(
      "STATE_INVALID",
      `createBatchIterator: the state to resume from was saved with ${savedKind} packing, but this iterator uses ${packing} packing; pass packing: "${savedKind}"`,
    );
  }
  if (packing === "block") {
    if (!indexed) {
      throw new GlmjsError(
        "OPTION_INVALID",
        'createBatchIterator: packing "block" draws documents at random and needs an in-memory TokenizedCorpus (tokenizedCorpus() or buildTokenizedCorpus()); a streaming DocumentSource packs "sequential"',
      );
    }
    const table = options.sentenceEnd;
    const packer = new BlockDatasetPacker(
      documents,
      {
        seqLength,
        eos: special.eos,
        cls: special.cls,
        isSentenceEnd: (id) => table[id] === 1,
        seed: options.seed ?? 0,
        ...options.block,
        // Raw samples live only until their batch is built: a ring of buffers avoids allocating them.
        ring: batchSize + 1,
      },
      saved as BlockPackerState | undefined,
    );
    return {
      take(count) {
        const out: RawSample[] = [];
        while (out.length < count) {
          const s = packer.next();
          if (!s) break;
          out.push(s);
        }
        return Promise.resolve(out);
      },
      state: () => packer.state(),
    };
  }
  const source: DocumentSource = indexed ? arrayDocuments(documentViews(documents), { seed: options.seed ?? 0, epochs: Infinity }) : documents;
  return sequentialSamples(source, options, saved as PackerState | undefined);
}

function sequentialSamples(documents: DocumentSource, options: BatchIteratorOptions, resume: PackerState | undefined): SampleSource {
  const { batchSize, seqLength, special } = options;
  const stream: DocumentStream = documents.open(resume?.nextDocument ?? 0);
  const queue: ArrayLike<number>[] = [];
  let queueHead = 0;
  let queuedTokens = 0;
  let ended = false;
  let packer: SequencePacker | undefined;

  const fill = async (tokens: number): Promise<void> => {
    while (!ended && queuedTokens < tokens) {
      const r = await stream.next();
      if (r.done) ended = true;
      else {
        queue.push(r.value);
        queuedTokens += r.value.length + 1;
      }
    }
  };
  const pull = (): ArrayLike<number> | undefined => {
    if (queueHead >= queue.length) return undefined;
    const doc = queue[queueHead]!;
    queue[queueHead++] = undefined as unknown as ArrayLike<number>;
    queuedTokens -= doc.length + 1;
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
    return doc;
  };
  return {
    async take(count) {
      // Enough documents for a whole batch (+1 sample of slack) before packing synchronously.
      await fill((count + 1) * seqLength);
      if (!packer) {
        let carried: ArrayLike<number> | undefined;
        if (resume && resume.carryOffset > 0) {
          carried = pull();
          if (!carried) throw new GlmjsError("STATE_INVALID", "createBatchIterator: the document to resume in is missing (the corpus changed?)");
        }
        // Raw samples live only until their batch is built: a ring of buffers avoids allocating them.
        packer = new SequencePacker(
          { seqLength, eos: special.eos, cls: special.cls, sentenceEnd: options.sentenceEnd, ring: batchSize + 1 },
          pull,
          resume,
          carried,
        );
      }
      const out: RawSample[] = [];
      while (out.length < count) {
        const s = packer.next();
        if (!s) break;
        out.push(s);
      }
      return out;
    },
    state: () => (packer ? packer.state() : (resume ?? { nextDocument: 0, carryOffset: 0 })),
  };
}
