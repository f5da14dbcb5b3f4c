// COMMON_ERROR lists exactly the codes the package's sources throw: a new code is added there (and so
// documented) before it is used, and a listed code no source throws is dead.
// (Its own scan, not @glmjs/test-utils' codesThrownBy: test-utils depends on this package.)
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMON_ERROR } from "./error-codes.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "generated" || entry === "test-helpers" ? [] : sources(path);
    return entry.endsWith(".ts") && !/\.(test|test-helper)\.ts$/.test(entry) ? [path] : [];
  });
}

describe("COMMON_ERROR", () => {
  it("names each code by itself and lists exactly the codes the sources throw", () => {
    for (const [name, code] of Object.entries(COMMON_ERROR)) expect(code).toBe(name);
    const thrown = new Set<string>();
    for (const file of sources(fileURLToPath(new URL(".", import.meta.url)))) {
      const source = readFileSync(file, "utf8");
      for (const m of source.matchAll(/\bnew\s+GlmjsError\(\s*([^,]+),/g)) {
        for (const c of m[1]!.matchAll(/(?<![=!]==\s*)"([A-Z][A-Z0-9_]*)"/g)) thrown.add(c[1]!);
      }
      // The package's GlmjsError subclasses pass their code to super().
      for (const m of source.matchAll(/\bsuper\(\s*"([A-Z][A-Z0-9_]*)"/g)) thrown.add(m[1]!);
    }
    expect([...thrown].sort()).toEqual(Object.values(COMMON_ERROR).sort());
  });
});
