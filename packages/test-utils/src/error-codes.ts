// The code of the error a call throws, for tests that check `GlmjsError.is(e, code)` on real throw
// sites. A call that does not throw, or throws something that is not a GlmjsError, yields a string
// saying so, so a failing expectation shows what happened instead.
import { GlmjsError } from "@glmjs/common";

function codeOf(e: unknown): string {
  return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}

/** The code of the GlmjsError `f` throws. */
export function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return codeOf(e);
  }
  return "no error";
}

/** The code of the GlmjsError `p` (or the promise `p()` returns) rejects with. */
export async function rejectedCode(p: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return codeOf(e);
  }
  return "no error";
}
