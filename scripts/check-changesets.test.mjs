// Tests of check-changesets.mjs on throw-away git repositories (node --test scripts/).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { checkChangesets, globToRegExp, matchesPatterns, packageJsonShipsChange, parseChangeset } from "./check-changesets.mjs";

const PATTERNS = ["src/**", "!src/**/*.test.ts", "!src/**/test-helpers/**", "package.json"];
const made = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo() {
  const root = mkdtempSync(join(tmpdir(), "glmjs-changesets-"));
  made.push(root);
  const g = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  const write = (file, text) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const commit = (message) => {
    g("add", "-A");
    g("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message);
  };
  g("init", "-q", "-b", "main");
  write(".changeset/config.json", JSON.stringify({ baseBranch: "main", changedFilePatterns: PATTERNS }));
  write("package.json", JSON.stringify({ name: "root", private: true }));
  write("packages/a/package.json", JSON.stringify({ name: "@x/a", version: "0.0.0", dependencies: {} }, null, 2));
  write("packages/a/src/index.ts", "export const a = 1;\n");
  write("packages/b/package.json", JSON.stringify({ name: "@x/b", version: "0.0.0" }));
  write("packages/b/src/index.ts", "export const b = 1;\n");
  write("packages/p/package.json", JSON.stringify({ name: "@x/private", private: true }));
  write("packages/p/src/index.ts", "export const p = 1;\n");
  commit("initial");
  return { root, g, write, commit, check: (o) => checkChangesets(root, o) };
}

const changeset = (...names) => `---\n${names.map((n) => `"${n}": patch`).join("\n")}\n---\nWhat changed.\n`;

describe("check-changesets", () => {
  it("matches globs as changesets' changedFilePatterns do", () => {
    assert.ok(globToRegExp("src/**").test("src/a/b.ts"));
    assert.ok(globToRegExp("src/**/*.test.ts").test("src/a.test.ts"));
    assert.ok(globToRegExp("scripts/**/*.{mjs,js}").test("scripts/x.js"));
    assert.ok(matchesPatterns("src/model/x.ts", PATTERNS));
    assert.ok(!matchesPatterns("src/model/x.test.ts", PATTERNS));
    assert.ok(!matchesPatterns("src/test-helpers/f.ts", PATTERNS));
    assert.ok(!matchesPatterns("README.md", PATTERNS));
  });

  it("reads changeset frontmatter, empty ones included, and refuses what it cannot read", () => {
    assert.deepEqual(parseChangeset(changeset("@x/a", "@x/b")), ["@x/a", "@x/b"]);
    assert.deepEqual(parseChangeset("---\n'@x/a': minor\n---\n"), ["@x/a"]);
    assert.deepEqual(parseChangeset("---\n---\n"), []);
    assert.throws(() => parseChangeset("no frontmatter"), /no frontmatter/);
    assert.throws(() => parseChangeset("---\n@x/a: huge\n---\n"), /cannot read frontmatter line/);
  });

  it("counts package.json changes outside version, devDependencies and scripts", () => {
    const base = JSON.stringify({ name: "@x/a", version: "0.0.0", dependencies: { q: "1" }, devDependencies: {}, scripts: {} });
    assert.equal(
      packageJsonShipsChange(base, JSON.stringify({ ...JSON.parse(base), version: "0.1.0", scripts: { t: "x" }, devDependencies: { v: "1" } })),
      false,
    );
    assert.equal(packageJsonShipsChange(base, JSON.stringify({ ...JSON.parse(base), dependencies: { q: "2" } })), true);
    assert.equal(packageJsonShipsChange(undefined, base), true);
  });

  it("on a branch: fails for a published package changed without a changeset, names it and its files", () => {
    const r = repo();
    r.g("checkout", "-q", "-b", "feature");
    r.write("packages/a/src/index.ts", "export const a = 2;\n");
    r.write("packages/p/src/index.ts", "export const p = 2;\n"); // private: never needs one
    r.commit("change a");
    const { ok, lines } = r.check();
    assert.equal(ok, false);
    assert.match(lines.join("\n"), /since this branch left main/);
    assert.match(lines.join("\n"), /FAIL @x\/a changed without a changeset: packages\/a\/src\/index\.ts/);
    assert.doesNotMatch(lines.join("\n"), /@x\/private|@x\/b/);
  });

  it("passes once a changeset anywhere on the branch names the package, even an uncommitted one", () => {
    const r = repo();
    r.g("checkout", "-q", "-b", "feature");
    r.write(".changeset/first.md", changeset("@x/a"));
    r.commit("changeset first");
    r.write("packages/a/src/index.ts", "export const a = 2;\n");
    r.commit("then the change");
    assert.equal(r.check().ok, true);
    r.write("packages/b/src/new.ts", "export const n = 1;\n"); // untracked, in another package
    assert.equal(r.check().ok, false);
    r.write(".changeset/second.md", changeset("@x/b"));
    assert.equal(r.check().ok, true);
  });

  it("ignores tests, test helpers, docs and version bumps", () => {
    const r = repo();
    r.g("checkout", "-q", "-b", "feature");
    r.write("packages/a/src/index.test.ts", "test\n");
    r.write("packages/a/src/test-helpers/h.ts", "helper\n");
    r.write("packages/a/README.md", "docs\n");
    r.write("packages/a/package.json", JSON.stringify({ name: "@x/a", version: "0.1.0", dependencies: {} }, null, 2));
    r.commit("no shipped change");
    const { ok, lines } = r.check();
    assert.equal(ok, true, lines.join("\n"));
    assert.match(lines.join("\n"), /no published package changed/);
  });

  it("accepts an empty changeset as 'no release needed', and refuses one naming an unknown package", () => {
    const r = repo();
    r.g("checkout", "-q", "-b", "feature");
    r.write("packages/a/src/index.ts", "export const a = 3;\n");
    r.write(".changeset/format.md", "---\n---\nReformatted.\n");
    r.commit("format");
    const good = r.check();
    assert.equal(good.ok, true);
    assert.match(good.lines.join("\n"), /no release: \.changeset\/format\.md is empty/);
    r.write(".changeset/typo.md", changeset("@x/c"));
    const bad = r.check();
    assert.equal(bad.ok, false);
    assert.match(bad.lines.join("\n"), /names "@x\/c", which is not a published package/);
  });

  it("on main (a fresh clone in CI): checks the last commit, for a merge everything it merged", () => {
    const r = repo();
    r.g("checkout", "-q", "-b", "feature");
    r.write("packages/b/src/index.ts", "export const b = 2;\n");
    r.commit("change b");
    r.write("packages/a/src/index.ts", "export const a = 2;\n");
    r.write(".changeset/a.md", changeset("@x/a"));
    r.commit("change a, with a changeset");
    r.g("checkout", "-q", "main");
    r.g("-c", "user.name=t", "-c", "user.email=t@t", "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    const merged = r.check();
    assert.equal(merged.ok, false);
    assert.match(merged.lines.join("\n"), /the last commit on main/);
    assert.match(merged.lines.join("\n"), /FAIL @x\/b changed without a changeset/);
    assert.match(merged.lines.join("\n"), /ok {3}@x\/a/);
    // An explicit base compares with its merge base instead.
    assert.match(r.check({ base: "HEAD~1" }).lines.join("\n"), /merge base with HEAD~1/);
  });

  it("says it skipped, and passes, when there is nothing to compare with", () => {
    const r = repo();
    const { ok, lines } = r.check();
    assert.equal(ok, true);
    assert.match(lines.join("\n"), /SKIPPED, nothing to compare with: HEAD has no parent/);
  });
});
