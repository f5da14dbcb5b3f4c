// The root entries of common, checkpoint, hub and core (and core/testing, used by the browser tests) must load in a browser: no module reachable from
// them through static imports may import a Node built-in, statically or as a literal dynamic
// import (bundlers follow those too). Node built-ins are reached through importNode instead.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";

const packagesDir = join(repoRoot(), "packages");

/** Source file of a workspace import like "@glmjs/checkpoint/node" (via its package.json exports). */
function workspaceSource(specifier: string): string | undefined {
  const m = /^@glmjs\/([^/]+)(\/.*)?$/.exec(specifier);
  if (!m) return undefined;
  const pkgDir = join(packagesDir, m[1]!);
  const exports = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).exports as Record<string, { default: string } | string>;
  const entry = exports[`.${m[2] ?? ""}`];
  if (!entry) throw new Error(`${specifier} is not exported by ${pkgDir}/package.json`);
  const dist = typeof entry === "string" ? entry : entry.default;
  return join(pkgDir, dist.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) {
    const base = resolve(dirname(from), specifier);
    for (const candidate of [base.replace(/\.js$/, ".ts"), base]) if (existsSync(candidate)) return candidate;
    throw new Error(`${from}: cannot resolve ${specifier}`);
  }
  return workspaceSource(specifier);
}

// `import … from "x"`, `export … from "x"`, `import "x"` (not `import type` / `export type`), and `import("x")` with a literal.
const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^;"']*?\sfrom\s+)?["']([^"']+)["']/gm;
const DYNAMIC_LITERAL = /(?<!typeof\s+)\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every `node:` import reachable from `entry`, as "file → specifier" chains. */
function nodeImportsReachableFrom(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "");
    const here = [...chain, relative(packagesDir, file)];
    for (const m of text.matchAll(DYNAMIC_LITERAL)) if (m[1]!.startsWith("node:")) found.push(`${here.join(" → ")} → import("${m[1]}")`);
    for (const m of text.matchAll(STATIC)) {
      const spec = m[1]!;
      if (spec.startsWith("node:")) found.push(`${here.join(" → ")} → ${spec}`);
      const next = resolveImport(file, spec);
      if (next) visit(next, here);
    }
  };
  visit(entry, []);
  return found;
}

describe("browser-safe root entries", () => {
  for (const entry of ["common", "checkpoint", "hub", "core", "core/testing"]) {
    it(`@glmjs/${entry} reaches no Node built-in through its imports`, () => {
      expect(nodeImportsReachableFrom(workspaceSource(`@glmjs/${entry}`)!)).toEqual([]);
    });
  }

  it("the check finds a Node import where there is one (the /node entries import node:fs statically)", () => {
    // @glmjs/data/node reads corpus files with static node:fs imports: the walk must see them.
    expect(nodeImportsReachableFrom(workspaceSource("@glmjs/data/node")!).some((chain) => /→ node:fs/.test(chain))).toBe(true);
  });
});
