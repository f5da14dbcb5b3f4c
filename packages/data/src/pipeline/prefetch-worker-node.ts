// Node worker_threads entry point of batch prefetching.
import { GlmjsError } from "@glmjs/common";
import { parentPort } from "node:worker_threads";
import { corpusDocuments } from "./corpus-documents.js";
import { createPrefetchServer, tokensSource } from "./prefetch-server.js";
import type { PrefetchDocuments, ToWorker } from "./prefetch-protocol.js";

if (!parentPort) throw new GlmjsError("INTERNAL", "prefetch-worker-node.js must run in a worker thread");
const port = parentPort;

async function sources(spec: PrefetchDocuments) {
  if (spec.kind !== "corpus") return tokensSource(spec);
  const { loadTokenizer, standardizePunctuation } = await import("@glmjs/tokenizer");
  const preprocess = spec.standardizePunctuation ? standardizePunctuation : undefined;
  return corpusDocuments(spec.corpus, await loadTokenizer(spec.tokenizer), { epochs: spec.epochs, preprocess });
}

const handle = createPrefetchServer(port, sources);
port.on("message", (m: ToWorker) => handle(m));
