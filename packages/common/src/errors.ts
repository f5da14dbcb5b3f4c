// One base class for every error glmjs throws on purpose. Callers branch on `code` (a stable
// string) rather than on classes: with two copies of a glmjs package in one bundle (a common
// result of mismatched versions) `instanceof` fails across the copies, while the brand below is
// a registered symbol and so the same in every copy.

const BRAND = Symbol.for("glmjs.error");

export interface GlmjsErrorOptions {
  /** The lower-level error that caused this one (kept as `err.cause`). */
  cause?: unknown;
}

export class GlmjsError extends Error {
  /** Stable, machine-readable reason, e.g. "CHECKPOINT_INVALID". Messages may change; codes do not. */
  readonly code: string;

  constructor(code: string, message: string, options: GlmjsErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.name = "GlmjsError";
  }

  /**
   * Whether `value` is an error thrown by glmjs (from any copy of any glmjs package), and, when
   * `code` is given, one with that code.
   */
  static is(value: unknown, code?: string): value is GlmjsError {
    if (typeof value !== "object" || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}

// On the prototype (not an own field) so subclasses and every instance inherit it without a copy.
Object.defineProperty(GlmjsError.prototype, BRAND, { value: true, enumerable: false });
