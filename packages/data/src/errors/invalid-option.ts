// An option of a glmjs API call is out of range. It names the option by its path in the options
// object (e.g. "seqLength", "schedule.peakLr"), so a front end can report it in its own terms
// (the CLI maps "seqLength" to --seq-len) instead of repeating an internal function name.
import { GlmjsError } from "@glmjs/common";

/** The `code` of every InvalidOptionError; check it (`GlmjsError.is(e, INVALID_OPTION)`) rather than `instanceof` across package copies. */
export const INVALID_OPTION = "OPTION_INVALID";

/** An option out of range (code "OPTION_INVALID"); `option`, `value` and `requirement` say which, what and why. */
export class InvalidOptionError extends GlmjsError {
  declare readonly code: typeof INVALID_OPTION;

  /**
   * @param option path of the option in the caller's options object ("batchSize", "optimizer.weightDecay")
   * @param value the value given
   * @param requirement what the value must be, as a sentence fragment ("must be an integer >= 1")
   * @param where the API that was called (for the message only)
   */
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly requirement: string,
    readonly where: string,
  ) {
    super(INVALID_OPTION, `${where}: ${option} ${requirement}, got ${describeValue(value)}`);
    this.name = "InvalidOptionError";
  }
}

/** True for an InvalidOptionError from any copy of @glmjs/data. */
export function isInvalidOptionError(e: unknown): e is InvalidOptionError {
  return GlmjsError.is(e, INVALID_OPTION) && typeof (e as { option?: unknown }).option === "string";
}

export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(where: string, option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidOptionError(option, value, `must be an integer ${range}`, where);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number in the range. `lowOpen`/`highOpen` exclude the bound
 * ("> 0" rather than ">= 0").
 */
export function requireNumber(
  where: string,
  option: string,
  value: unknown,
  range: { min?: number; max?: number; lowOpen?: boolean; highOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, lowOpen = false, highOpen = false } = range;
  const ok = typeof value === "number" && Number.isFinite(value) && (lowOpen ? value > min : value >= min) && (highOpen ? value < max : value <= max);
  if (!ok) throw new InvalidOptionError(option, value, `must be ${rangeText(min, max, lowOpen, highOpen)}`, where);
  return value as number;
}

function rangeText(min: number, max: number, lowOpen: boolean, highOpen: boolean): string {
  if (min === -Infinity && max === Infinity) return "a finite number";
  if (max === Infinity) return `a number ${lowOpen ? ">" : ">="} ${min}`;
  if (min === -Infinity) return `a number ${highOpen ? "<" : "<="} ${max}`;
  return `a number in ${lowOpen ? "(" : "["}${min}, ${max}${highOpen ? ")" : "]"}`;
}
