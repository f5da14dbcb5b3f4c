// The code of the error a call throws, and the codes a package's sources throw, for tests that check `GlmjsError.is(e, code)` on real throw
// sites. A call that does not throw, or throws something that is not a GlmjsError, yields a string
// saying so, so a failing expectation shows what happened instead.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "generated" || entry === "test-helpers" ? [] : sourceFiles(path);
    return entry.endsWith(".ts") && !/\.(test|test-helper)\.ts$/.test(entry) ? [path] : [];
  });
}

/**
 * The codes a package's sources under `srcDir` throw: the string literals in the code argument of
 * each `new GlmjsError(…)` (not those compared with ===/!==), and those its GlmjsError subclasses
 * pass to super(). For the tests that check a package's exported code list against its sources.
 */
export function codesThrownBy(srcDir: string): Set<string> {
  const thrown = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/\bnew\s+GlmjsError\(\s*([^,]+),/g)) {
      for (const c of m[1]!.matchAll(/(?<![=!]==\s*)"([A-Z][A-Z0-9_]*)"/g)) thrown.add(c[1]!);
    }
    for (const m of source.matchAll(/\bsuper\(\s*"([A-Z][A-Z0-9_]*)"/g)) thrown.add(m[1]!);
  }
  return thrown;
}
