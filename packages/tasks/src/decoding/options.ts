// Decoding options: what a caller may set, and their validated, defaulted form.
import { GlmjsError } from "@glmjs/common";
import type { TaskSpecialIds } from "../special-ids.js";
import { defaultStopIds } from "./special-ids.js";

export type DecodingStrategy = "greedy" | "sample" | "beam";

/** How each blank's span is decoded. */
export interface DecodingOptions {
  /** "greedy" (default), "sample" (seeded) or "beam" (the original's beam search). */
  strategy?: DecodingStrategy;
  /** Most tokens generated per blank (the original's `out_seq_length`). Default 32. */
  maxNewTokens?: number;
  /** Fewest tokens per blank before a stop id may be chosen. Default 0. */
  minNewTokens?: number;
  /** The original's name (`min_tgt_length`) for `minNewTokens`; give one of the two. */
  minLength?: number;
  /** Ids that end a span (not fed, not part of it). Default: eop and eos. */
  stopIds?: number[];
  /** Beam search: number of beams. Default 4. */
  numBeams?: number;
  /** Beam search: hypothesis score = summed log-probability / length ** lengthPenalty. Default 1. */
  lengthPenalty?: number;
  /** Ban any token that would repeat an n-gram of the span's generated tokens. 0 = off (default). */
  noRepeatNgramSize?: number;
  /** CTRL-style penalty (> 1 discourages) on text tokens of the context and of everything generated. Default 1. */
  repetitionPenalty?: number;
  /** Sampling (and beam search, as the original's `top_k_logits`): keep the k best logits. 0 = off. */
  topK?: number;
  /** Sampling (and beam search): keep the smallest set of tokens whose probability exceeds p. 0 or 1 = off. */
  topP?: number;
  /** Sampling: logits are divided by it. Default 1. */
  temperature?: number;
  /**
   * Sampling seed: the same seed gives the same text on every backend. Batched, row i uses
   * `seed + i`, or `seed[i]` when an array is given. Default: a random seed.
   */
  seed?: number | readonly number[];
  /**
   * The original never feeds the last token of a span cut by `maxNewTokens` (later blanks do
   * not see it; generate.json records this). Default false (as the original); true feeds it.
   */
  feedTruncatedToken?: boolean;
  /** Stops decoding: the call rejects (the stream throws) with the signal's reason; tensors are freed. */
  signal?: AbortSignal;
}

export interface ResolvedDecoding {
  strategy: DecodingStrategy;
  maxNewTokens: number;
  minNewTokens: number;
  stopIds: number[];
  numBeams: number;
  lengthPenalty: number;
  noRepeatNgramSize: number;
  repetitionPenalty: number;
  topK: number;
  topP: number;
  temperature: number;
  seeds: (row: number) => number;
  feedTruncatedToken: boolean;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_NEW_TOKENS = 32;
export const DEFAULT_NUM_BEAMS = 4;

/** Validates and defaults `options` (errors name the option and the allowed range). */
export function resolveDecoding(options: DecodingOptions, special: TaskSpecialIds, vocabSize: number, where: string): ResolvedDecoding {
  const o = options ?? {};
  const strategy = o.strategy ?? "greedy";
  if (strategy !== "greedy" && strategy !== "sample" && strategy !== "beam") {
    throw new GlmjsError("OPTION_INVALID", `${where}: strategy must be "greedy", "sample" or "beam", got ${JSON.stringify(strategy)}`);
  }
  const int = (name: string, v: number | undefined, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < min) throw new GlmjsError("OPTION_INVALID", `${where}: ${name} must be an integer ≥ ${min}, got ${String(v)}`);
    return v;
  };
  const real = (name: string, v: number | undefined, fallback: number, ok: (x: number) => boolean, range: string): number => {
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new GlmjsError("OPTION_INVALID", `${where}: ${name} must be ${range}, got ${String(v)}`);
    return v;
  };
  if (o.minNewTokens !== undefined && o.minLength !== undefined && o.minNewTokens !== o.minLength) {
    throw new GlmjsError("OPTION_INVALID", `${where}: minNewTokens (${o.minNewTokens}) and minLength (${o.minLength}) are the same setting; give one`);
  }
  const maxNewTokens = int("maxNewTokens", o.maxNewTokens, DEFAULT_MAX_NEW_TOKENS, 1);
  const minNewTokens = int(o.minLength !== undefined ? "minLength" : "minNewTokens", o.minNewTokens ?? o.minLength, 0, 0);
  const stopIds = o.stopIds === undefined ? defaultStopIds(special) : [...o.stopIds];
  for (const id of stopIds) {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
      throw new GlmjsError("OPTION_INVALID", `${where}: stopIds holds ${String(id)}, not an id of the model's vocabulary of ${vocabSize}`);
  }
  const temperature = real("temperature", o.temperature, 1, (x) => x > 0, "a number > 0");
  const topK = int("topK", o.topK, 0, 0);
  const topP = real("topP", o.topP, 0, (x) => x >= 0 && x <= 1, "a number in [0, 1]");
  const r: ResolvedDecoding = {
    strategy,
    maxNewTokens,
    minNewTokens,
    stopIds,
    numBeams: int("numBeams", o.numBeams, strategy === "beam" ? DEFAULT_NUM_BEAMS : 1, 1),
    lengthPenalty: real("lengthPenalty", o.lengthPenalty, 1, () => true, "a finite number"),
    noRepeatNgramSize: int("noRepeatNgramSize", o.noRepeatNgramSize, 0, 0),
    repetitionPenalty: real("repetitionPenalty", o.repetitionPenalty, 1, (x) => x > 0, "a number > 0"),
    topK,
    topP: topP === 1 ? 0 : topP,
    temperature,
    seeds: seedsOf(o.seed, where),
    feedTruncatedToken: o.feedTruncatedToken ?? false,
    signal: o.signal,
  };
  // Settings that would silently do nothing with the chosen strategy are refused.
  if (strategy !== "sample" && temperature !== 1)
    throw new GlmjsError("OPTION_INVALID", `${where}: temperature applies to strategy "sample" only (got strategy "${strategy}")`);
  if (strategy === "greedy" && (topK > 0 || r.topP > 0))
    throw new GlmjsError("OPTION_INVALID", `${where}: topK/topP do nothing with strategy "greedy"; use strategy "sample" (or "beam")`);
  if (strategy !== "beam" && o.numBeams !== undefined && o.numBeams !== 1) throw new GlmjsError("OPTION_INVALID", `${where}: numBeams needs strategy "beam"`);
  if (r.minNewTokens > maxNewTokens)
    throw new GlmjsError("OPTION_INVALID", `${where}: minNewTokens (${r.minNewTokens}) exceeds maxNewTokens (${maxNewTokens})`);
  if (o.signal !== undefined && !isAbortSignal(o.signal)) throw new GlmjsError("OPTION_INVALID", `${where}: signal must be an AbortSignal`);
  return r;
}

function seedsOf(seed: DecodingOptions["seed"], where: string): (row: number) => number {
  if (seed === undefined) {
    const base = Math.floor(Math.random() * 2 ** 32);
    return (row) => base + row;
  }
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new GlmjsError("OPTION_INVALID", `${where}: seed must be an integer, got ${seed}`);
    return (row) => seed + row;
  }
  if (!Array.isArray(seed) || seed.some((s) => !Number.isInteger(s)))
    throw new GlmjsError("OPTION_INVALID", `${where}: seed must be an integer or an array of integers (one per row)`);
  return (row) => {
    const s = seed[row];
    if (s === undefined) throw new GlmjsError("OPTION_INVALID", `${where}: seed holds ${seed.length} values, row ${row} has none`);
    return s;
  };
}

function isAbortSignal(s: unknown): s is AbortSignal {
  return typeof s === "object" && s !== null && typeof (s as AbortSignal).aborted === "boolean" && typeof (s as AbortSignal).addEventListener === "function";
}

/** Throws the signal's reason (an AbortError when none was given) if it has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason !== undefined) throw reason;
  throw abortError();
}

/** The error of an aborted run without a reason of its own: code "ABORTED", `name` "AbortError" (as fetch's). */
export function abortError(): GlmjsError {
  const e = new GlmjsError("ABORTED", "generation was aborted");
  e.name = "AbortError";
  return e;
}
