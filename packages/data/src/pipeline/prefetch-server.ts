// Worker side of batch prefetching: builds batches on request and posts them (buffers
// transferred, not copied). Shared by the Node and browser worker entry points.
import { GlmjsError } from "@glmjs/common";
import { compactBatch } from "../batch.js";
import { arrayDocuments, type DocumentSource } from "./document-source.js";
import type { TokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { createBatchIterator, type BatchIterator } from "./batch-iterator.js";
import { batchTransferList, type FromWorker, type PortLike, type PrefetchDocuments, type ToWorker } from "./prefetch-protocol.js";

export type DocumentSourceFactory = (spec: PrefetchDocuments) => Promise<DocumentSource | TokenizedCorpus>;

/** In-memory documents: "tokens" (a DocumentSource) or "indexed" (a TokenizedCorpus). */
export async function tokensSource(spec: PrefetchDocuments): Promise<DocumentSource | TokenizedCorpus> {
  if (spec.kind === "indexed") return { tokens: spec.tokens, offsets: spec.offsets };
  if (spec.kind !== "tokens") throw new GlmjsError("OPTION_INVALID", `prefetch worker: document kind "${spec.kind}" is not available here`);
  const { documents, ...options } = spec;
  return arrayDocuments(documents, options);
}

/** Returns the message handler of a worker. */
export function createPrefetchServer(port: PortLike, sources: DocumentSourceFactory = tokensSource): (message: ToWorker) => void {
  let iterator: BatchIterator | undefined;
  let ready: Promise<void> = Promise.resolve();
  let pending = 0;
  let running = false;
  let ended = false;
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await ready;
      while (pending > 0 && !ended && iterator) {
        const batch = await iterator.next();
        pending--;
        if (!batch) {
          ended = true;
          post({ type: "end", state: iterator.state() });
          break;
        }
        // Batches are views into shared slabs: give each its own buffer before transferring it.
        const own = compactBatch(batch);
        post({ type: "batch", batch: own, state: iterator.state() }, batchTransferList(own));
      }
    } catch (e) {
      ended = true;
      post({ type: "error", message: (e as Error).stack ?? String(e) });
    } finally {
      running = false;
    }
  };
  return (message: ToWorker): void => {
    if (message.type === "start") {
      const { documents, ...rest } = message.spec;
      ready = sources(documents).then((source) => {
        iterator = createBatchIterator({ ...rest, documents: source });
      });
      ready.catch((e: unknown) => {
        ended = true;
        post({ type: "error", message: (e as Error).message });
      });
    } else if (message.type === "more") {
      pending += message.count;
      void pump();
    }
  };
}
