// The lead-sentence baseline of summarisation: the source's first sentence. Sentences end at
// . ! or ? (closing quotes and brackets included) before whitespace and an upper-case letter,
// digit or opening quote — so "e.g. a", "Fig. 2" and decimals do not end one; the preset
// readers join the abstract's sentences with single spaces.
export function leadSentence(text: string): string {
  const t = text.trim();
  const m = /[.!?]["'”’)\]]*(?=\s+["'“‘([]?[A-Z0-9])/u.exec(t);
  if (!m) return t;
  const end = m.index + m[0].length;
  // Common abbreviations before a capital ("Dr. Smith", "et al. The") do not end a sentence either.
  const before = t.slice(0, m.index + 1);
  if (/(?:^|\s)(?:e\.g|i\.e|et al|Dr|Mr|Mrs|Ms|Prof|Fig|Eq|Sec|vs|cf|No)\.$/u.test(before)) {
    const rest = leadSentence(t.slice(end).trimStart());
    return `${t.slice(0, end)} ${rest}`.trim();
  }
  return t.slice(0, end);
}
