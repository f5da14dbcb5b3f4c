// Browser Web Worker entry point of batch prefetching (in-memory token documents).
import { createPrefetchServer } from "./prefetch-server.js";
import type { ToWorker } from "./prefetch-protocol.js";

interface WorkerScope {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createPrefetchServer(scope);
scope.addEventListener("message", (e) => handle(e.data as ToWorker));
