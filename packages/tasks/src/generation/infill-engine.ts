// Greedy and sampling infilling over a batch of contexts, blank after blank, as the original's
// generate_samples.py loop: Part A encoded once (bidirectional), then every blank decoded from
// [sop] at the blank's position with block positions 1, 2, …, each step feeding one token per
// row through the key/value cache, so later blanks see the context and the spans before them.
// A span ends on a stop id (not fed, not kept) or at maxNewTokens; in the latter case the
// original appends the last token but never feeds it (reproduced unless feedTruncatedToken).
// Rows advance independently (they may be at different blanks); finished rows leave the batch.
import type { GLMModel } from "@glmjs/core";
import { Rng } from "@glmjs/data";
import { type ResolvedDecoding, throwIfAborted } from "../decoding/options.js";
import { createSelector, type SelectionRow } from "../decoding/selector.js";
import type { TaskSpecialIds } from "../special-ids.js";
import { blankPositions } from "../decoding/special-ids.js";
import { contextRow } from "./context.js";
import { openSession } from "./session.js";
import type { InfillEvent, InfillResult } from "./types.js";

/** Decodes every blank of every context; yields token/span events, returns one result per context. */
export async function* infillGreedyOrSample(
  model: GLMModel,
  contexts: readonly number[][],
  special: TaskSpecialIds,
  d: ResolvedDecoding,
): AsyncGenerator<InfillEvent, InfillResult[]> {
  const rows = contexts.map((c, i) => new RowRun(i, c, blankPositions(c, special), special, d));
  let active = rows.filter((r) => !r.done);
  if (active.length === 0) return rows.map((r) => r.result());
  const selector = createSelector(d);
  const session = openSession(model);
  try {
    throwIfAborted(d.signal);
    session.prefill(active.map((r) => contextRow(r.context)));
    while (active.length > 0) {
      throwIfAborted(d.signal);
      const logits = session.step(
        { tokens: active.map((r) => r.feedToken), positions: active.map((r) => r.position), blocks: active.map((r) => r.feedBlock) },
        active.some((r) => !r.feedOnly),
      );
      let selection;
      try {
        selection = logits ? await selector.select(logits, active.map((r) => r.selectionRow())) : undefined;
      } finally {
        logits?.dispose();
      }
      const events: InfillEvent[] = [];
      active.forEach((r, k) => {
        if (r.feedOnly) r.nextBlank();
        else r.accept(selection!.ids[k]!, selection!.logProbs[k]!, events);
      });
      for (const e of events) yield e;
      const keep = active.flatMap((r, k) => (r.done ? [] : [k]));
      if (keep.length < active.length) {
        if (keep.length > 0) session.keepRows(keep);
        active = keep.map((k) => active[k]!);
      }
    }
  } finally {
    session.dispose();
  }
  return rows.map((r) => r.result());
}

/** One input's progress through its blanks. */
class RowRun {
  readonly ids: number[];
  private readonly spans: InfillResult["spans"] = [];
  private blank = -1;
  private span: number[] = [];
  private score = 0;
  feedToken = 0;
  feedBlock = 0;
  /** This step only enters a truncated span's last token into the cache (feedTruncatedToken). */
  feedOnly = false;
  done = false;
  private readonly stop: Set<number>;
  private readonly seen = new Set<number>();
  private readonly specialSet: Set<number>;
  private readonly rng: Rng | undefined;

  constructor(
    readonly index: number,
    readonly context: readonly number[],
    private readonly blanks: number[],
    private readonly special: TaskSpecialIds,
    private readonly d: ResolvedDecoding,
  ) {
    this.ids = [...context];
    this.stop = new Set(d.stopIds);
    this.specialSet = new Set(Object.values(special).filter((v) => v >= 0));
    if (d.repetitionPenalty !== 1) for (const t of context) this.noteSeen(t);
    this.rng = d.strategy === "sample" ? new Rng(d.seeds(index)) : undefined;
    this.nextBlank();
  }

  get position(): number {
    return this.blanks[this.blank]!;
  }

  selectionRow(): SelectionRow {
    return { span: this.span, seen: this.seen, rng: this.rng, skip: this.feedOnly };
  }

  /** The token chosen for this row at this step. */
  accept(token: number, logProb: number, events: InfillEvent[]): void {
    if (this.stop.has(token)) {
      this.score += logProb;
      this.closeSpan(token, events);
      this.nextBlank();
      return;
    }
    this.span.push(token);
    this.ids.push(token);
    this.score += logProb;
    this.noteSeen(token);
    events.push({ type: "token", row: this.index, blank: this.blank, tokenId: token, index: this.span.length - 1, logProb });
    if (this.span.length < this.d.maxNewTokens) {
      this.feedToken = token;
      this.feedBlock = this.span.length + 1;
      return;
    }
    this.closeSpan(null, events);
    if (this.d.feedTruncatedToken && this.blank + 1 < this.blanks.length) {
      this.feedToken = token;
      this.feedBlock = this.span.length + 1;
      this.feedOnly = true;
    } else {
      this.nextBlank();
    }
  }

  /** Moves to the next blank: [sop] at its position, block position 1. */
  nextBlank(): void {
    this.feedOnly = false;
    this.blank++;
    if (this.blank >= this.blanks.length) {
      this.done = true;
      return;
    }
    this.ids.push(this.special.sop);
    this.span = [];
    this.score = 0;
    this.feedToken = this.special.sop;
    this.feedBlock = 1;
  }

  result(): InfillResult {
    return { ids: this.ids, spans: this.spans };
  }

  private closeSpan(stoppedOn: number | null, events: InfillEvent[]): void {
    const span = { ids: this.span, score: this.score, stoppedOn, position: this.position };
    this.spans.push(span);
    events.push({ type: "span", row: this.index, blank: this.blank, span });
  }

  private noteSeen(token: number): void {
    if (this.d.repetitionPenalty !== 1 && !this.specialSet.has(token)) this.seen.add(token);
  }
}
