// Part A of a seq2seq example in the original's layouts (THUDM/GLM tasks/seq2seq/dataset.py;
// GLM.md §5.3), token for token:
//   summary              [CLS] [M] tok(" Content:") tok(" " + source)    source cut at the end to fit
//   question-generation  [CLS] tok(source.rstrip() + " Question:") [M] tok(" Answer: " + answer)
//                        (answer part only when an answer is given; a long source is cut around
//                        the answer's first occurrence)
//   custom               [CLS] tok(source) [M] [eos]                     source cut at the start to fit
// then right-padded with pad to `sourceLength` when `padSource` (the original does; sep then
// covers the pads, which Part A and B attend to). [M] is [MASK], or [sMASK]/[gMASK] for models
// pretrained with task masks (the original uses [sMASK] with --task-mask).
import { GlmjsError } from "@glmjs/common";
import type { TaskSpecialIds } from "../special-ids.js";

export type Seq2seqFormat = "summary" | "question-generation" | "custom";
export type MaskKind = "MASK" | "sMASK" | "gMASK";

export interface PartA {
  ids: number[];
  /** Index of the blank the target fills (its position id in Part B). */
  maskPosition: number;
  /** Source tokens removed to fit `sourceLength`. */
  truncated: number;
}

export interface PartAOptions {
  format: Seq2seqFormat;
  sourceLength: number;
  mask: MaskKind;
  padSource: boolean;
}

export function maskId(special: TaskSpecialIds, kind: MaskKind): number {
  return kind === "MASK" ? special.mask : kind === "sMASK" ? special.sMask : special.gMask;
}

/** Part A for `source` (and `answer`, question generation only); `encode` is the tokenizer's. */
export function buildPartA(source: string, answer: string | undefined, encode: (text: string) => number[], special: TaskSpecialIds, o: PartAOptions): PartA {
  const m = maskId(special, o.mask);
  if (!(m >= 0)) throw new GlmjsError("SPECIAL_TOKEN_MISSING", `seq2seq: this tokenizer has no ${o.mask} token; choose another mask`);
  let ids: number[];
  let truncated = 0;
  if (o.format === "summary") {
    const prompt = [special.cls, m, ...encode(" Content:")];
    let src = encode(" " + source);
    const room = o.sourceLength - prompt.length;
    if (room <= 0)
      throw new GlmjsError(
        "SEQUENCE_TOO_LONG",
        `seq2seq: sourceLength ${o.sourceLength} leaves no room for the source after the ${prompt.length}-token prompt`,
      );
    if (src.length > room) {
      truncated = src.length - room;
      src = src.slice(0, room);
    }
    ids = [...prompt, ...src];
  } else if (o.format === "question-generation") {
    let src = encode(source.trimEnd() + " Question:");
    const ans = answer === undefined ? [] : encode(" Answer: " + answer);
    const room = o.sourceLength - ans.length - 2;
    if (room <= 0)
      throw new GlmjsError("SEQUENCE_TOO_LONG", `seq2seq: sourceLength ${o.sourceLength} leaves no room for the source beside the ${ans.length}-token answer`);
    if (src.length > room) {
      truncated = src.length - room;
      const at = answer === undefined ? -1 : indexOfRun(src, encode(" " + answer));
      const start = at < 0 ? 0 : Math.max(at - Math.floor(room / 2), 0);
      src = src.slice(start, start + room);
    }
    ids = [special.cls, ...src, m, ...ans];
  } else {
    let src = encode(source);
    const room = o.sourceLength - 3;
    if (room <= 0) throw new GlmjsError("OPTION_INVALID", `seq2seq: sourceLength must be > 3, got ${o.sourceLength}`);
    if (src.length > room) {
      truncated = src.length - room;
      src = src.slice(src.length - room);
    }
    ids = [special.cls, ...src, m, special.eos];
  }
  const maskPosition = ids.indexOf(m);
  if (o.padSource && ids.length < o.sourceLength) ids = ids.concat(Array.from({ length: o.sourceLength - ids.length }, () => special.pad));
  return { ids, maskPosition, truncated };
}

/** The first index where `run` occurs in `ids`, or -1. */
function indexOfRun(ids: readonly number[], run: readonly number[]): number {
  if (run.length === 0) return -1;
  outer: for (let i = 0; i + run.length <= ids.length; i++) {
    for (let k = 0; k < run.length; k++) if (ids[i + k] !== run[k]) continue outer;
    return i;
  }
  return -1;
}
