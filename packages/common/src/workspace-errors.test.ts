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

// The packages whose every deliberate throw carries a code: a built-in error constructed in their
// sources fails here (with the file and line), and so does a code they throw that their README
// does not list. Built-in errors deliberately left are listed with the reason.
const CODED_PACKAGES = [
  "common",
  "tokenizer",
  "data",
  "checkpoint",
  "hub",
  "core",
  "backend-wasm",
  "backend-webgpu",
  "backend-webgl",
  "backend-node",
  "train",
  "tasks",
  "cli",
];
const ALLOWED_BUILT_IN_ERRORS: readonly string[] = [
  // The replaced tfjs kernels throw tfjs's own error (class and text) for operands tfjs's kernel
  // refuses, so an op fails the same way on every backend (tfjs's cpu kernel throws a plain Error).
  "packages/backend-wasm/src/kernels/batch-mat-mul.ts",
  "packages/backend-wasm/src/kernels/gather.ts",
  // Inside the fetch function handed to @huggingface/hub: a fetch rejects with a TypeError on a
  // network failure (the Fetch standard); the caller turns it into HubError HUB_REQUEST_FAILED.
  "packages/hub/src/hops.ts",
];
const BUILT_IN_ERROR_CONSTRUCTION = new RegExp(`\\bnew\\s+(?:${[...BUILT_IN_ERRORS].join("|")})\\s*\\(`, "g");

/** `file:line: text` of each construction of a built-in error in the source. */
function builtInErrorConstructions(source: string, file: string): string[] {
  const lines = source.split("\n");
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (BUILT_IN_ERROR_CONSTRUCTION.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    BUILT_IN_ERROR_CONSTRUCTION.lastIndex = 0;
  });
  return found;
}

/**
 * The string-literal codes of the `new GlmjsError(<code>, …)` in the source (a ternary's both
 * arms), of a subclass constructed with its code first (`new HubError("HUB_NOT_FOUND", …)`) and of
 * a subclass's `super(<code>, …)`.
 */
function literalCodes(source: string): string[] {
  const codes: string[] = [];
  for (const m of source.matchAll(/\b(?:new\s+[A-Z]\w*Error|super)\(\s*([^,]+),/g)) {
    for (const c of m[1]!.matchAll(/(?<![=!]==\s*)"([A-Z][A-Z0-9_]*)"/g)) codes.push(c[1]!);
  }
  return codes;
}

describe("coded errors", () => {
  it("the checks find built-in errors and literal codes", () => {
    const source = [
      'throw new Error("plain");',
      "const e = new TypeError(`typed`);",
      'throw new GlmjsError("OPTION_INVALID", "coded");',
      'throw new GlmjsError(e.code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE", "either", { cause: e });',
      "throw new GlmjsError(RUN_EXISTS, `constant`);",
      'throw new HubError("HUB_OFFLINE", repo, file, "subclass");',
      'super("CONFIG_INVALID", message);',
      "throw new CheckpointError(file, `not a code`);",
      'throw new InvalidArgumentError("commander\'s");',
      "class X extends Error {}",
    ].join("\n");
    expect(builtInErrorConstructions(source, "x.ts")).toEqual(['x.ts:1: throw new Error("plain");', "x.ts:2: const e = new TypeError(`typed`);"]);
    expect(literalCodes(source)).toEqual(["OPTION_INVALID", "FILE_NOT_FOUND", "FILE_UNREADABLE", "HUB_OFFLINE", "CONFIG_INVALID"]);
  });

  for (const pkg of CODED_PACKAGES) {
    it.skipIf(!inWorkspace)(`@glmjs/${pkg} constructs no built-in error, and its README lists every code it throws`, () => {
      const files = sourceFiles(join(packagesDir, pkg, "src"));
      expect(files.length).toBeGreaterThan(2);
      const plain: string[] = [];
      const codes = new Set<string>();
      for (const file of files) {
        const source = readFileSync(file, "utf8");
        plain.push(...builtInErrorConstructions(source, relative(repoRoot, file)));
        for (const c of literalCodes(source)) codes.add(c);
      }
      const left = plain.filter((p) => !ALLOWED_BUILT_IN_ERRORS.some((a) => p.startsWith(a)));
      expect(left, `throw a GlmjsError with a code (listed in packages/${pkg}/README.md) instead`).toEqual([]);
      expect(codes.size).toBeGreaterThan(1);
      const readme = readFileSync(join(packagesDir, pkg, "README.md"), "utf8");
      const unlisted = [...codes].filter((c) => !readme.includes(`\`${c}\``)).sort();
      expect(unlisted, `codes thrown by @glmjs/${pkg} but missing from its README`).toEqual([]);
    });
  }
});
