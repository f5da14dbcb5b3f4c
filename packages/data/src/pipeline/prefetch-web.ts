// Batch prefetching in a browser Web Worker. The page creates the worker from this package's
// prefetch-worker-web.js (bundlers: `new Worker(new URL("@glmjs/data/…", import.meta.url), { type: "module" })`)
// and passes it here. Only in-memory token documents are available in the browser.
import { GlmjsError } from "@glmjs/common";
import { createPrefetchClient, type PrefetchingBatchIterator } from "./prefetch-client.js";
import type { FromWorker, PrefetchSpec } from "./prefetch-protocol.js";

export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
  addEventListener(type: "error", listener: (e: { message?: string }) => void): void;
  terminate(): void;
}

export function createWebWorkerBatchIterator(worker: WebWorkerLike, spec: PrefetchSpec, depth = 4): PrefetchingBatchIterator {
  return createPrefetchClient(
    worker,
    (onMessage, onError) => {
      worker.addEventListener("message", (e: { data: unknown }) => onMessage(e.data as FromWorker));
      worker.addEventListener("error", (e: { message?: string }) => onError(new GlmjsError("PREFETCH_FAILED", e.message ?? "web worker error")));
    },
    spec,
    depth,
    async () => worker.terminate(),
  );
}
