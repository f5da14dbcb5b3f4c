// The original's right_strip_seq (BlockDataset, GLM.md §4.1): how many tokens of a piece that
// is too long for its room to keep, preferring a cut right after a sentence-ending token, and a
// hard cut when the sentence-end cut would keep fewer than floor(room / 2) tokens.

/**
 * Tokens to keep of a piece of `length` tokens whose token p is `tokenAt(p)` (p = 0 is its
 * leading [ENC], never a cut point) in `room` slots. Returns `length` when it fits.
 */
export function rightStripKeep(length: number, room: number, tokenAt: (p: number) => number, isSentenceEnd: (tokenId: number) => boolean): number {
  let strip = length - room;
  if (strip <= 0) return length;
  while (strip < length - 1 && !isSentenceEnd(tokenAt(length - strip - 1))) strip++;
  if (length - strip < Math.floor(room / 2)) strip = length - room;
  return length - strip;
}
