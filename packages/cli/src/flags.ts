// Command-line values: parsers for commander (they name the flag through commander's "option
// '--x <n>' argument 'v' is invalid" message), and the translation of library errors that name
// an API option ("seqLength", "schedule.peakLr") into the flag the user typed (--seq-len, --lr).
import { GlmjsError } from "@glmjs/common";
import { InvalidArgumentError } from "commander";
import { INVALID_OPTION, isInvalidOptionError } from "@glmjs/data";

/** Parser of an integer flag in [min, max]. Refuses "", "1.5", "abc". */
export function intFlag(min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = value.trim() === "" ? NaN : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** Parser of a finite number (ranges are the library's to check, so API users get them too). */
export function numFlag(value: string): number {
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

/** Parser of a number > 0. */
export function positiveFlag(value: string): number {
  const n = numFlag(value);
  if (!(n > 0)) throw new InvalidArgumentError("expected a number > 0");
  return n;
}

/**
 * Runs `f`; an InvalidOptionError whose option has a flag becomes an error in the flag's terms
 * ("--lr must be a number > 0, got -1"); option paths inside the requirement are translated too.
 */
export async function withFlags<T>(flags: Readonly<Record<string, string>>, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw inFlagTerms(e, flags);
  }
}

export function inFlagTerms(e: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!isInvalidOptionError(e)) return e;
  const flag = flags[e.option];
  if (!flag) return e;
  let requirement = e.requirement;
  // Identifiers only (camelCase or dotted paths): plain words in prose stay as they are.
  for (const [option, other] of Object.entries(flags)) {
    if (/[A-Z.]/.test(option)) requirement = requirement.split(option).join(other);
  }
  const value = typeof e.value === "string" ? e.value : String(e.value);
  return new GlmjsError(INVALID_OPTION, `${flag} ${requirement}, got ${value}`, { cause: e });
}
