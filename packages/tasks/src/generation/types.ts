// Results and events of blank infilling at the id level.

/** One filled blank. */
export interface InfillSpan {
  /** Generated tokens, without sop and without the end token. */
  ids: number[];
  /**
   * Greedy / sampling: the span's log-probability under the model (log-softmax of the raw
   * logits, summed over its tokens and the end token when it stopped on one). Beam search: the
   * finalised hypothesis score as the original reports it (summed log-probability of the tokens
   * and end token / length ** lengthPenalty).
   */
  score: number;
  /** The stop id that ended the span (not part of `ids`), or null when `maxNewTokens` cut it. */
  stoppedOn: number | null;
  /** Index of the blank's mask token in the context. */
  position: number;
}

export interface InfillResult {
  /** The context, then `[sop]` + generated tokens for each blank (generate.json's `final_tokens`). */
  ids: number[];
  /** One entry per blank, in order of position. */
  spans: InfillSpan[];
}

/** A generated token (emitted as soon as it is chosen; beam search emits a blank's best hypothesis when that blank is done). */
export interface InfillTokenEvent {
  type: "token";
  /** Which input (0 for a single context). */
  row: number;
  /** Which blank of that input. */
  blank: number;
  tokenId: number;
  /** Position of the token inside its span (0-based). */
  index: number;
  /** log p(token) under the model (absent for beam search). */
  logProb?: number;
}

/** A blank that is done. */
export interface InfillSpanEvent {
  type: "span";
  row: number;
  blank: number;
  span: InfillSpan;
}

export type InfillEvent = InfillTokenEvent | InfillSpanEvent;
