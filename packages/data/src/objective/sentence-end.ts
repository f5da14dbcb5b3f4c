// "Sentence end" as the original decides it: the token's vocabulary string contains one of
// . ? ! ; : or a newline (GLM.md §4.1). Precomputed once per vocabulary into a lookup table.

const SENTENCE_END_CHARS = [".", "?", "!", ";", ":", "\n"];

export function isSentenceEndToken(token: string): boolean {
  for (const c of SENTENCE_END_CHARS) if (token.includes(c)) return true;
  return false;
}

/**
 * A table `t` with `t[id] === 1` when token `id` ends a sentence. `idToToken` returns the
 * vocabulary string (for byte-level BPE the byte-mapped string, as the original's IdToToken).
 */
export function sentenceEndTable(vocabSize: number, idToToken: (id: number) => string | undefined): Uint8Array {
  const table = new Uint8Array(vocabSize);
  for (let id = 0; id < vocabSize; id++) {
    const token = idToToken(id);
    if (token !== undefined && isSentenceEndToken(token)) table[id] = 1;
  }
  return table;
}
