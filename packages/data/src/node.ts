// Node-only surface of @glmjs/data: corpus files (node:fs) and worker_threads prefetching.
export * from "./index.js";
export { readCorpus, corpusFileOrder, type CorpusOptions, type CorpusDocument } from "./corpus/read-corpus.js";
export { expandCorpusPaths } from "./corpus/files.js";
export { corpusDocuments, type CorpusDocumentsOptions, type TextEncoder } from "./pipeline/corpus-documents.js";
export { createPrefetchingBatchIterator, type NodePrefetchOptions } from "./pipeline/prefetch-node.js";
export { readTokenizedCorpus } from "./indexed/read-tokenized-corpus.js";
export { readBrownCorpus } from "./corpus/brown-files.js";
