// Node: reads a corpus (files, folders, globs) and tokenizes it into a TokenizedCorpus, the
// in-memory form that block packing draws from.
import { readCorpus, type CorpusOptions } from "../corpus/read-corpus.js";
import { buildTokenizedCorpus, type BuildTokenizedCorpusOptions, type CorpusTokenizer } from "./build-tokenized-corpus.js";
import type { TokenizedCorpus } from "./tokenized-corpus.js";

export function readTokenizedCorpus(corpus: CorpusOptions, tokenizer: CorpusTokenizer, options: BuildTokenizedCorpusOptions = {}): Promise<TokenizedCorpus> {
  return buildTokenizedCorpus(readCorpus(corpus), tokenizer, options);
}
