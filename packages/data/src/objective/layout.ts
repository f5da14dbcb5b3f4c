// Part A / Part B layout of one sample (GLM.md §4.3 steps 5-9, §4.5). These functions are the
// only place that writes sample rows; the random paths choose spans and call them, so a
// sample can also be rebuilt from explicit span choices (the fixture's worked examples).
import { GlmjsError } from "@glmjs/common";
import type { Rng } from "../random/rng.js";

/** One built sample, before batching (reused between batches to avoid allocation). */
export class SampleBuffer {
  tokens = new Int32Array(0);
  targets = new Int32Array(0);
  positionIds = new Int32Array(0);
  blockPositionIds = new Int32Array(0);
  /** 0/1 (float so that batching is a plain copy). */
  lossMask = new Float32Array(0);
  /** Unpadded length. */
  length = 0;
  /** Length of Part A. */
  sep = 0;
  /** Length of the text the sample was built from (incl. [ENC]/eos), for statistics. */
  textLength = 0;

  ensure(capacity: number): void {
    if (this.tokens.length >= capacity) return;
    const cap = Math.max(capacity, this.tokens.length * 2);
    this.tokens = new Int32Array(cap);
    this.targets = new Int32Array(cap);
    this.positionIds = new Int32Array(cap);
    this.blockPositionIds = new Int32Array(cap);
    this.lossMask = new Float32Array(cap);
  }
}

/** 0, 1, 2, … : Part A positions are consecutive, so they are copied from here. */
let iota = new Int32Array(0);
function consecutive(upTo: number): Int32Array {
  if (iota.length < upTo) {
    iota = new Int32Array(Math.max(upTo, iota.length * 2, 4096));
    for (let i = 0; i < iota.length; i++) iota[i] = i;
  }
  return iota;
}

/** dBLOCK noise on Part B inputs (token mode of GLM-10B / GLM-Large-Chinese). */
export interface BlockNoise {
  prob: number;
  dBlock: number;
  rng: Rng;
}

export interface BlockLayoutIds {
  sop: number;
  eop: number;
  eos: number;
}

/** Copies `count` ints (short runs by hand: a subarray view costs more than the copy). */
function copyRun(dst: Int32Array, at: number, src: Int32Array, from: number, count: number): void {
  if (count > 32) dst.set(src.subarray(from, from + count), at);
  else for (let i = 0; i < count; i++) dst[at + i] = src[from + i]!;
}

/**
 * Blank-infilling layout (the original's make_block_data). `spans` holds `spanCount` pairs
 * (start, end) sorted by start, not overlapping; `order` lists span indices in Part B order.
 * Part A = text with each span replaced by one `maskId`; Part B = per span `[sop] + span`
 * (targets `span + [eop]`), positions at the mask, block positions 1 … l+1. `scratch` needs
 * room for `spanCount` ints.
 */
export function writeBlockSample(
  out: SampleBuffer,
  text: Int32Array,
  spans: Int32Array,
  spanCount: number,
  order: Int32Array,
  maskId: number,
  ids: BlockLayoutIds,
  blockPositionEncoding: boolean,
  noise: BlockNoise | null,
  scratch: Int32Array,
): void {
  const n = text.length;
  let masked = 0;
  for (let s = 0; s < spanCount; s++) masked += spans[2 * s + 1]! - spans[2 * s]!;
  const sep = n - masked + spanCount;
  out.ensure(n + 2 * spanCount);
  const tokens = out.tokens;
  const targets = out.targets;
  const pos = out.positionIds;
  const block = out.blockPositionIds;
  const loss = out.lossMask;

  // Part A; the mask position of span s is kept in scratch[s].
  let a = 0;
  let last = 0;
  for (let s = 0; s < spanCount; s++) {
    const start = spans[2 * s]!;
    if (start < last) throw new GlmjsError("INPUT_INVALID", `writeBlockSample: span ${s} [${start}, ${spans[2 * s + 1]}) overlaps or is out of order`);
    copyRun(tokens, a, text, last, start - last);
    a += start - last;
    scratch[s] = a;
    tokens[a++] = maskId;
    last = spans[2 * s + 1]!;
  }
  tokens.set(text.subarray(last, n), a);
  a += n - last;
  targets.set(tokens.subarray(0, a));
  pos.set(consecutive(a).subarray(0, a));
  block.fill(0, 0, a);
  loss.fill(0, 0, a);
  // Part B in the given order.
  let b = a;
  for (let o = 0; o < spanCount; o++) {
    const s = order[o]!;
    const start = spans[2 * s]!;
    const end = spans[2 * s + 1]!;
    const maskPos = scratch[s]!;
    const len = end - start + 1;
    tokens[b] = ids.sop;
    for (let i = start; i < end; i++) {
      const t = text[i]!;
      if (t === ids.eos)
        throw new GlmjsError(
          "INPUT_INVALID",
          `writeBlockSample: span [${start}, ${end}) contains the eos token ${ids.eos} (spans must stay inside one document)`,
        );
      tokens[b + 1 + i - start] = noise !== null && noise.rng.float() < noise.prob ? noise.dBlock : t;
      targets[b + i - start] = t;
    }
    targets[b + len - 1] = ids.eop;
    for (let j = 0; j < len; j++) {
      pos[b + j] = maskPos;
      block[b + j] = blockPositionEncoding ? j + 1 : 1;
      loss[b + j] = 1;
    }
    b += len;
  }
  out.length = b;
  out.sep = sep;
  out.textLength = n;
}

/**
 * Suffix-generation layout of document mode (GLM.md §4.5): inputs
 * `source + [gMASK] + [sop] + target[0 … G−2]`, targets `source + [gMASK] + target`, no eop;
 * loss mask 0 on source and gMASK, then the dataset's loss mask of the target.
 */
export function writeSuffixSample(
  out: SampleBuffer,
  text: Int32Array,
  textLossMask: Uint8Array,
  generationLength: number,
  gMaskId: number,
  sop: number,
  blockPositionEncoding: boolean,
): void {
  const n = text.length;
  const division = n - generationLength;
  out.ensure(n + 1);
  const { tokens, targets, positionIds: pos, blockPositionIds: block, lossMask: loss } = out;
  tokens.set(text.subarray(0, division));
  targets.set(text.subarray(0, division));
  pos.set(consecutive(division).subarray(0, division));
  block.fill(0, 0, division);
  loss.fill(0, 0, division);
  tokens[division] = gMaskId;
  targets[division] = gMaskId;
  pos[division] = division;
  block[division] = 0;
  loss[division] = 0;
  tokens[division + 1] = sop;
  for (let j = 0; j < generationLength; j++) {
    const at = division + 1 + j;
    if (j < generationLength - 1) tokens[at + 1] = text[division + j]!;
    targets[at] = text[division + j]!;
    pos[at] = division;
    block[at] = blockPositionEncoding ? j + 1 : 1;
    loss[at] = textLossMask[division + j]!;
  }
  out.length = n + 1;
  out.sep = division + 1;
  out.textLength = n;
}
