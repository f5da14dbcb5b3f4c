// Every error class of every glmjs package extends GlmjsError (directly or through another glmjs
// error class), so callers can branch on `code` whatever threw. Read from the sources of the
// workspace's packages: a class that extends a built-in error (Error, RangeError, …) or an error
// class from outside the workspace fails here, naming the file.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BUILT_IN_ERRORS = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "EvalError", "ReferenceError", "URIError", "AggregateError"]);
const CLASS_DECLARATION = /\bclass\s+([A-Za-z_$][\w$]*)(?:<[^>{]*>)?\s+extends\s+([A-Za-z_$][\w$.]*)/g;

interface ErrorClass {
  name: string;
  base: string;
  file: string;
}

/** The `class X extends Y` declarations of one source text. */
function classDeclarations(source: string, file: string): ErrorClass[] {
  return [...source.matchAll(CLASS_DECLARATION)].map((m) => ({ name: m[1]!, base: m[2]!, file }));
}

/**
 * The error classes that do not reach GlmjsError: a class is an error class when its chain of
 * bases (through the classes given) ends at a built-in error or at a class named `…Error` that
 * the workspace does not define.
 */
function errorClassesOutsideGlmjsError(classes: ErrorClass[]): ErrorClass[] {
  const byName = new Map<string, ErrorClass>();
  for (const c of classes) byName.set(c.name, c);
  const bad: ErrorClass[] = [];
  for (const c of classes) {
    if (c.name === "GlmjsError") continue;
    let base = c.base;
    const seen = new Set<string>([c.name]);
    while (base !== "GlmjsError" && byName.has(base) && !seen.has(base)) {
      seen.add(base);
      base = byName.get(base)!.base;
    }
    if (base === "GlmjsError") continue;
    if (BUILT_IN_ERRORS.has(base) || base.endsWith("Error")) bad.push(c);
  }
  return bad;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== "node_modules" && entry !== "generated" && entry !== "test-helpers") out.push(...sourceFiles(path));
    } else if (/\.(ts|mts)$/.test(entry) && !/\.(test|test-helper)\.ts$/.test(entry) && !entry.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const packagesDir = join(repoRoot, "packages");
const inWorkspace = existsSync(join(packagesDir, "common", "src", "errors.ts"));

describe("error classes", () => {
  it("the check finds classes that bypass GlmjsError, directly or through a chain", () => {
    const source = [
      "export class GlmjsError extends Error {}",
      "class Good extends GlmjsError {}",
      "export class AlsoGood extends Good {}",
      "class Plain extends Error {}",
      "class Ranged extends RangeError {}",
      "class Foreign extends InvalidArgumentError {}",
      "class ThroughPlain extends Plain {}",
      "class Generic<T extends object> extends TypeError {}",
      "class NotAnError extends Map {}",
    ].join("\n");
    const bad = errorClassesOutsideGlmjsError(classDeclarations(source, "x.ts")).map((c) => c.name);
    expect(bad).toEqual(["Plain", "Ranged", "Foreign", "ThroughPlain", "Generic"]);
  });

  it.skipIf(!inWorkspace)("every error class in the workspace's packages extends GlmjsError", () => {
    const classes: ErrorClass[] = [];
    const packages = readdirSync(packagesDir).filter((p) => existsSync(join(packagesDir, p, "src")));
    for (const pkg of packages) {
      for (const file of sourceFiles(join(packagesDir, pkg, "src"))) classes.push(...classDeclarations(readFileSync(file, "utf8"), relative(repoRoot, file)));
    }
    // The scan saw the packages' error classes (so an empty result means something).
    const names = classes.map((c) => c.name);
    for (const known of ["GlmjsError", "CheckpointError", "InvalidOptionError", "TokenizerFileError", "DatasetError"]) expect(names).toContain(known);
    const bad = errorClassesOutsideGlmjsError(classes).map((c) => `${c.file}: class ${c.name} extends ${c.base}`);
    expect(bad, "every glmjs error class must extend GlmjsError from @glmjs/common (with a code)").toEqual([]);
  });
});
