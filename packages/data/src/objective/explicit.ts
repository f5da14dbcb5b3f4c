// Building one sample from explicit choices (spans and their Part B order, or a generation
// length). The random objective calls the same layout functions, so a sample built here is
// laid out exactly as one the objective would produce with those choices.
import { GlmjsError } from "@glmjs/common";
import { SampleBuffer, writeBlockSample, writeSuffixSample } from "./layout.js";

export interface BuiltSample {
  inputIds: Int32Array;
  positionIds: Int32Array;
  blockPositionIds: Int32Array;
  targets: Int32Array;
  lossMask: Uint8Array;
  sep: number;
}

function trimmed(out: SampleBuffer): BuiltSample {
  const n = out.length;
  return {
    inputIds: out.tokens.slice(0, n),
    positionIds: out.positionIds.slice(0, n),
    blockPositionIds: out.blockPositionIds.slice(0, n),
    targets: out.targets.slice(0, n),
    lossMask: Uint8Array.from(out.lossMask.subarray(0, n)),
    sep: out.sep,
  };
}

/**
 * Blank-infilling sample from `spans` ([start, end) in text indices), listed in Part B order.
 * `maskId` is [MASK], [sMASK] or [gMASK] depending on the objective.
 */
export function buildBlankSample(
  text: ArrayLike<number>,
  spans: readonly (readonly [number, number])[],
  ids: { maskId: number; sop: number; eop: number; eos: number },
  blockPositionEncoding = true,
): BuiltSample {
  const tokens = Int32Array.from(text);
  spans.forEach(([s, e], i) => {
    if (!(Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s < e && e <= tokens.length)) {
      throw new GlmjsError("INPUT_INVALID", `buildBlankSample: span ${i} = [${s}, ${e}) is not inside the ${tokens.length}-token text`);
    }
  });
  // Text order for Part A; `order` maps Part B position → index in text order.
  const byStart = spans.map((span, i) => ({ span, i })).sort((x, y) => x.span[0] - y.span[0]);
  for (let k = 1; k < byStart.length; k++) {
    if (byStart[k]!.span[0] < byStart[k - 1]!.span[1])
      throw new GlmjsError("INPUT_INVALID", `buildBlankSample: spans [${byStart[k - 1]!.span}] and [${byStart[k]!.span}] overlap`);
  }
  const flat = new Int32Array(spans.length * 2);
  const rank = new Int32Array(spans.length);
  byStart.forEach(({ span, i }, k) => {
    flat[2 * k] = span[0];
    flat[2 * k + 1] = span[1];
    rank[i] = k;
  });
  const out = new SampleBuffer();
  writeBlockSample(out, tokens, flat, spans.length, rank, ids.maskId, ids, blockPositionEncoding, null, new Int32Array(spans.length));
  return trimmed(out);
}

/** Document-mode suffix sample: the last `generationLength` tokens become the target. */
export function buildSuffixSample(
  text: ArrayLike<number>,
  generationLength: number,
  ids: { gMaskId: number; sop: number; cls: number },
  lossMask?: ArrayLike<number>,
  blockPositionEncoding = true,
): BuiltSample {
  const tokens = Int32Array.from(text);
  if (!(Number.isInteger(generationLength) && generationLength >= 1 && generationLength <= tokens.length - 1)) {
    throw new GlmjsError("INPUT_INVALID", `buildSuffixSample: generationLength ${generationLength} must be in 1 … ${tokens.length - 1}`);
  }
  const mask = lossMask ? Uint8Array.from(lossMask) : Uint8Array.from(tokens, (t) => (t === ids.cls ? 0 : 1));
  const out = new SampleBuffer();
  writeSuffixSample(out, tokens, mask, generationLength, ids.gMaskId, ids.sop, blockPositionEncoding);
  return trimmed(out);
}
