// Test helper: recovers the span choices from a built sample (Part B segments and the mask
// positions they point at), so a layout can be rebuilt from explicit choices and compared.

export interface DerivedChoices {
  /** [start, end) in text indices, in Part B order. */
  spans: [number, number][];
  maskId: number;
}

export function deriveSpans(
  inputIds: ArrayLike<number>,
  positionIds: ArrayLike<number>,
  blockPositionIds: ArrayLike<number>,
  sep: number,
  length: number,
): DerivedChoices {
  const segments: { maskPos: number; length: number }[] = [];
  for (let j = sep; j < length; j++) {
    if (blockPositionIds[j] === 1) segments.push({ maskPos: positionIds[j]!, length: 0 });
    else segments[segments.length - 1]!.length++;
  }
  const byMask = new Map(segments.map((s) => [s.maskPos, s.length]));
  const startOf = new Map<number, number>();
  let original = 0;
  for (let a = 0; a < sep; a++) {
    const len = byMask.get(a);
    if (len !== undefined) {
      startOf.set(a, original);
      original += len;
    } else original++;
  }
  const maskId = segments.length ? inputIds[segments[0]!.maskPos]! : -1;
  return { spans: segments.map((s) => [startOf.get(s.maskPos)!, startOf.get(s.maskPos)! + s.length]), maskId };
}
