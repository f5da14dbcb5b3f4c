// No-repeat-n-gram (fairseq / the original's NoRepeatNGramLogitsProcessor): a token is banned
// when, appended to the last n−1 generated tokens, it would repeat an n-gram already in them.

/** The tokens that would complete an n-gram already present in `tokens`. */
export function bannedNgramTokens(tokens: readonly number[], n: number): number[] {
  if (n <= 0) return [];
  const len = tokens.length;
  // Fewer than n−1 tokens: no n-gram can be repeated yet.
  if (len + 1 < n) return [];
  if (n === 1) return [...new Set(tokens)];
  const banned: number[] = [];
  const prefixStart = len - (n - 1);
  // Every earlier n-gram whose first n−1 tokens equal the current (n−1)-token suffix bans its last token.
  for (let s = 0; s + n <= len; s++) {
    let same = true;
    for (let j = 0; j < n - 1; j++) {
      if (tokens[s + j] !== tokens[prefixStart + j]) {
        same = false;
        break;
      }
    }
    if (same) banned.push(tokens[s + n - 1]!);
  }
  return banned;
}
