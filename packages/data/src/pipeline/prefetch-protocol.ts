// Message protocol between a batch-prefetching worker (Node worker_threads or a browser Web
// Worker) and the main thread. The worker runs the same synchronous pipeline as
// createBatchIterator, so the batch sequence is identical; each batch travels with the state
// after it, so resumption works the same way.
import type { BuiltBatch } from "../batch.js";
import type { CorpusOptions } from "../corpus/read-corpus.js";
import type { ArrayDocumentsOptions } from "./document-source.js";
import type { BatchIteratorOptions, BatchIteratorState } from "./batch-iterator.js";

/** Serialisable description of where documents come from. */
export type PrefetchDocuments =
  | ({ kind: "tokens"; documents: Int32Array[] } & ArrayDocumentsOptions)
  /** A TokenizedCorpus (block packing by default); its arrays are copied to the worker once. */
  | { kind: "indexed"; tokens: Int32Array; offsets: Float64Array }
  /** Node only: a corpus tokenized in the worker with @glmjs/tokenizer's loadTokenizer(tokenizer). */
  | { kind: "corpus"; corpus: Omit<CorpusOptions, "issues">; tokenizer: string; epochs?: number; standardizePunctuation?: boolean };

export interface PrefetchSpec extends Omit<BatchIteratorOptions, "documents"> {
  documents: PrefetchDocuments;
}

export type ToWorker = { type: "start"; spec: PrefetchSpec } | { type: "more"; count: number };
export type FromWorker =
  { type: "batch"; batch: BuiltBatch; state: BatchIteratorState } | { type: "end"; state: BatchIteratorState } | { type: "error"; message: string };

/** The worker-side or main-side end of a channel (MessagePort, Worker, parentPort, self). */
export interface PortLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
}

export function batchTransferList(batch: BuiltBatch): ArrayBuffer[] {
  // Arrays may share one buffer; each buffer may be listed only once.
  const arrays = [batch.inputIds, batch.positionIds, batch.blockPositionIds, batch.targets, batch.lossMask, batch.sep, batch.lengths, batch.textLengths];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
