// The batch iterator: documents → packed raw samples → objective → padded GLMBatch, with a
// small JSON state (document cursor + RNG state) from which a run resumes exactly.
import type { BuiltBatch, GLMBatch } from "../batch.js";
import { BlockObjective } from "../objective/strategy.js";
import { objectivePresets, type ObjectivePresetName, type ObjectiveSettings, type SpecialIds } from "../objective/settings.js";
import type { RawSample } from "../objective/raw-sample.js";
import { SequencePacker, type PackerState } from "../packing/packer.js";
import { Rng, type RngState } from "../random/rng.js";
import type { DocumentSource, DocumentStream } from "./documents.js";

export interface BatchIteratorOptions {
  documents: DocumentSource;
  batchSize: number;
  /** Raw sample length S (512 or 1024); rows come out longer (Part B adds 2 per span). */
  seqLength: number;
  special: SpecialIds;
  /** From sentenceEndTable(). */
  sentenceEnd: Uint8Array;
  /** A preset name or settings (missing fields take the defaults). Default "glm-large-blank". */
  objective?: ObjectivePresetName | Partial<ObjectiveSettings>;
  /** Seed of the objective's random choices. */
  seed?: number;
  /** Pad every batch to at least this many columns (default: the longest row). */
  padTo?: number;
  /** A state() from an earlier run: continue exactly after its last batch. */
  resumeFrom?: BatchIteratorState;
}

export interface BatchIteratorState {
  version: 1;
  packer: PackerState;
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
    if (!preset) throw new Error(`unknown objective preset "${objective}"; known: ${Object.keys(objectivePresets).join(", ")}`);
    return preset;
  }
  return objective;
}

export function createBatchIterator(options: BatchIteratorOptions): BatchIterator {
  const { batchSize, seqLength, special } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`createBatchIterator: batchSize must be a positive integer, got ${batchSize}`);
  const objective = new BlockObjective({
    special,
    sentenceEnd: options.sentenceEnd,
    maxSeqLength: seqLength,
    settings: resolveObjective(options.objective),
    padTo: options.padTo,
  });
  const resume = options.resumeFrom;
  if (resume && resume.version !== 1) throw new Error(`createBatchIterator: unsupported state version ${String(resume.version)}`);
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(options.seed ?? 0);
  let batches = resume?.batches ?? 0;
  const stream: DocumentStream = options.documents.open(resume?.packer.nextDocument ?? 0);
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

  const iterator: BatchIterator = {
    async next(): Promise<BuiltBatch | undefined> {
      // Enough documents for a whole batch (+1 sample of slack) before packing synchronously.
      await fill((batchSize + 1) * seqLength);
      if (!packer) {
        let carried: ArrayLike<number> | undefined;
        if (resume && resume.packer.carryOffset > 0) {
          carried = pull();
          if (!carried) throw new Error("createBatchIterator: the document to resume in is missing (the corpus changed?)");
        }
        // Raw samples live only until their batch is built: a ring of buffers avoids allocating them.
        packer = new SequencePacker({ seqLength, eos: special.eos, cls: special.cls, sentenceEnd: options.sentenceEnd, ring: batchSize + 1 }, pull, resume?.packer, carried);
      }
      const samples: RawSample[] = [];
      while (samples.length < batchSize) {
        const s = packer.next();
        if (!s) break;
        samples.push(s);
      }
      if (samples.length === 0) return undefined;
      const batch = objective.buildBatch(samples, rng);
      batches++;
      return batch;
    },
    recycle(batch: GLMBatch): void {
      objective.recycle(batch);
    },
    state(): BatchIteratorState {
      const packerState = packer ? packer.state() : (resume?.packer ?? { nextDocument: 0, carryOffset: 0 });
      return { version: 1, packer: packerState, rng: rng.state(), batches };
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
