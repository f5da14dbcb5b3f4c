// The text-level API: fill the blanks of a text (or of many), stream the fills as text deltas,
// generate after a prompt. Special ids and wrapping come from the tokenizer, as the original's
// generate_samples.py builds them.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";
import type { DecodingOptions } from "../decoding/options.js";
import { prepareInfill } from "./infill.js";
import { type EventStream, drain, eventStream } from "./stream.js";
import type { InfillEvent, InfillResult } from "./types.js";
import { decodeSafely, spliceFills, tokenizerSpecialIds, wrapForGeneration, type WrappedText } from "./wrap.js";

export interface FilledBlank {
  /** The fill, decoded. */
  text: string;
  ids: number[];
  /** As InfillSpan.score: log-probability (greedy/sampling) or the beam hypothesis score. */
  score: number;
  stoppedOn: number | null;
}

export interface FillResult {
  /** The input text with every blank replaced by its fill. */
  text: string;
  /** The final ids (context, then [sop] + span per blank), as infillIds returns them. */
  ids: number[];
  blanks: FilledBlank[];
}

/** A token with its text: `delta` extends what was emitted for this blank so far; `text` is the blank's whole text so far. */
export type FillEvent =
  (Extract<InfillEvent, { type: "token" }> & { delta: string; text: string }) | (Extract<InfillEvent, { type: "span" }> & { text: string });

export interface FillOptions extends DecodingOptions {
  onToken?: (event: FillEvent) => void;
}

/** Fills every [MASK] / [sMASK] / [gMASK] of `text`, left to right. */
export async function fill(model: GLMModel, tokenizer: Tokenizer, text: string, options: FillOptions = {}): Promise<FillResult> {
  const [r] = await fillBatch(model, tokenizer, [text], options);
  return r!;
}

/** `fill` for many texts in one batch (each result equals its unbatched one). */
export async function fillBatch(model: GLMModel, tokenizer: Tokenizer, texts: readonly string[], options: FillOptions = {}): Promise<FillResult[]> {
  const { events, finish } = textRun(model, tokenizer, texts, options, "fillBatch");
  return finish(await drain(events, options.onToken));
}

/** `fill` as an async iterator of events (token deltas as they are produced) plus `result`. */
export function fillStream(model: GLMModel, tokenizer: Tokenizer, text: string, options: FillOptions = {}): EventStream<FillEvent, FillResult> {
  const { events, finish } = textRun(model, tokenizer, [text], options, "fillStream");
  return eventStream(
    (async function* () {
      return finish(yield* events)[0]!;
    })(),
    options.onToken,
  );
}

/**
 * Generation after a prompt: `prompt + " [gMASK]"` (`[MASK]` when the vocabulary has no
 * gMASK) filled; `text` is the prompt followed by the generated text.
 */
export async function generate(model: GLMModel, tokenizer: Tokenizer, prompt: string, options: FillOptions = {}): Promise<FillResult> {
  const s = tokenizerSpecialIds(tokenizer);
  const blank = tokenizer.idToToken(s.gMask >= 0 ? s.gMask : s.mask);
  if (blank === undefined) throw new GlmjsError("SPECIAL_TOKEN_MISSING", "generate: the tokenizer has neither [gMASK] nor [MASK]");
  return fill(model, tokenizer, `${prompt} ${blank}`, options);
}

function textRun(model: GLMModel, tokenizer: Tokenizer, texts: readonly string[], options: FillOptions, where: string) {
  if (!Array.isArray(texts) || texts.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: give at least one text`);
  checkVocab(model, tokenizer, where);
  const wrapped = texts.map((t, i) => {
    const w = wrapForGeneration(tokenizer, t);
    if (w.blanks.length === 0) {
      throw new GlmjsError(
        "INPUT_INVALID",
        `${where}: ${texts.length > 1 ? `text ${i} has` : "the text has"} no blank; put [MASK] (a word or phrase), [sMASK] (a sentence) or [gMASK] (open-ended, at the end) where text should go, or use generate()`,
      );
    }
    return w;
  });
  const specialIds = tokenizerSpecialIds(tokenizer);
  const inner = prepareInfill(
    model,
    wrapped.map((w) => w.ids),
    { ...options, specialIds, onToken: undefined },
    where,
  );
  return { events: withText(inner, tokenizer), finish: (results: InfillResult[]) => results.map((r, i) => toFillResult(texts[i]!, wrapped[i]!, r, tokenizer)) };
}

/** Adds decoded text to every event (holding back a trailing partial UTF-8 character). */
async function* withText(events: AsyncGenerator<InfillEvent, InfillResult[]>, tokenizer: Tokenizer): AsyncGenerator<FillEvent, InfillResult[]> {
  const spans = new Map<string, { ids: number[]; emitted: string }>();
  for (;;) {
    const next = await events.next();
    if (next.done) return next.value;
    const e = next.value;
    const key = `${e.row}/${e.blank}`;
    if (e.type === "span") {
      spans.delete(key);
      yield { ...e, text: decodeSafely(tokenizer, e.span.ids) };
      continue;
    }
    const s = spans.get(key) ?? { ids: [], emitted: "" };
    spans.set(key, s);
    s.ids.push(e.tokenId);
    const text = decodeSafely(tokenizer, s.ids);
    let delta = "";
    if (!text.endsWith("\uFFFD")) {
      delta = text.startsWith(s.emitted) ? text.slice(s.emitted.length) : text.slice(Math.min(s.emitted.length, text.length));
      s.emitted = text;
    }
    yield { ...e, delta, text };
  }
}

function toFillResult(text: string, wrapped: WrappedText, r: InfillResult, tokenizer: Tokenizer): FillResult {
  const blanks = r.spans.map((s) => ({ text: decodeSafely(tokenizer, s.ids), ids: s.ids, score: s.score, stoppedOn: s.stoppedOn }));
  return {
    text: spliceFills(
      text,
      wrapped.blanks,
      blanks.map((b) => b.text),
    ),
    ids: r.ids,
    blanks,
  };
}

/** The tokenizer's padded vocabulary must be the model's (GLM's embedding rows). */
export function checkVocab(model: GLMModel, tokenizer: Tokenizer, where: string): void {
  const v = model.config.vocab_size;
  if (tokenizer.paddedVocabSize !== v) {
    throw new GlmjsError(
      "TOKENIZER_MISMATCH",
      `${where}: the tokenizer's vocabulary (${tokenizer.vocabSize} ids, padded to ${tokenizer.paddedVocabSize}) does not match the model's vocab_size ${v}; load the tokenizer the model was trained with`,
    );
  }
}
