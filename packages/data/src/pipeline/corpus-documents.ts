// A DocumentSource over a text corpus: reads, tokenizes and yields documents in the corpus
// order, epoch after epoch. Resuming at document k re-reads (but does not tokenize) the
// documents before k.
import { readCorpus, type CorpusOptions } from "../corpus/read-corpus.js";
import type { DocumentSource } from "./document-source.js";

/** What the pipeline needs from a tokenizer (@glmjs/tokenizer's Tokenizer fits). */
export interface TextEncoder {
  encode(text: string): ArrayLike<number>;
}

export interface CorpusDocumentsOptions {
  /** Passes over the corpus (default 1; Infinity repeats forever, with a new file order per epoch when seeded). */
  epochs?: number;
  /** Applied to each text before tokenizing (e.g. @glmjs/tokenizer's standardizePunctuation for English). */
  preprocess?: (text: string) => string;
}

export function corpusDocuments(corpus: CorpusOptions, tokenizer: TextEncoder, options: CorpusDocumentsOptions = {}): DocumentSource {
  const epochs = options.epochs ?? 1;
  const preprocess = options.preprocess ?? ((text: string) => text);
  return {
    open(from: number): AsyncIterator<ArrayLike<number>> {
      return (async function* () {
        let index = 0;
        for (let epoch = 0; epoch < epochs; epoch++) {
          let inEpoch = 0;
          for await (const doc of readCorpus(corpus, epoch)) {
            inEpoch++;
            if (index++ < from) continue;
            yield tokenizer.encode(preprocess(doc.text));
          }
          if (inEpoch === 0) return;
        }
      })();
    },
  };
}
