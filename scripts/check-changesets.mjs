#!/usr/bin/env node
// Fails when a published package changed without a changeset. See CONTRIBUTING.md, "Changesets".
//
// The range checked: on a branch, everything since it left main (git merge-base main HEAD); on
// main itself (CI runs on a fresh clone of main), the last commit: for a merge, everything it
// merged (HEAD^1..HEAD). Uncommitted and untracked files count too, so the check works before a
// commit. `--base <ref>` (or CHANGESET_BASE) compares against the merge base with another ref.
//
// A package changed when a file that ships in it changed: one matching `changedFilePatterns` of
// .changeset/config.json (its sources, not tests or docs), or its package.json outside `version`,
// `devDependencies` and `scripts`. Each such public package must be named by a changeset added or
// edited in the range; an empty changeset (`pnpm changeset --empty`) says the range needs no
// release. Changesets must name existing public packages.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Fields of package.json whose change does not reach users of the published package. */
const UNSHIPPED_PACKAGE_FIELDS = ["version", "devDependencies", "scripts"];

const git = (cwd, args) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const tryGit = (cwd, args) => {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
};

/** A glob (`**`, `*`, `?`, `{a,b}`) as a RegExp over repository-style paths. */
export function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      re += `(?:${glob
        .slice(i + 1, end)
        .split(",")
        .map(escape)
        .join("|")})`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}
const escape = (s) => s.replace(/[.+^$()|[\]\\]/g, "\\$&");

/** Whether `file` (relative to its package) matches the patterns: one positive, no negated (`!…`) one. */
export function matchesPatterns(file, patterns) {
  let matched = false;
  for (const p of patterns) if (!p.startsWith("!") && globToRegExp(p).test(file)) matched = true;
  if (!matched) return false;
  for (const p of patterns) if (p.startsWith("!") && globToRegExp(p.slice(1)).test(file)) return false;
  return true;
}

/** The packages named in a changeset's frontmatter, or [] for an empty changeset. */
export function parseChangeset(text, file = "changeset") {
  const m = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!m) throw new Error(`${file}: no frontmatter (--- … ---) at the top`);
  const names = [];
  for (const line of m[1].split(/\r?\n/)) {
    if (!line.trim()) continue;
    const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
    if (!entry) throw new Error(`${file}: cannot read frontmatter line ${JSON.stringify(line)} (expected "package": patch|minor|major)`);
    names.push(entry[1]);
  }
  return names;
}

/** Whether two package.json texts differ in anything that ships (fields other than version, devDependencies, scripts). */
export function packageJsonShipsChange(before, after) {
  if (before === undefined) return true;
  const shipped = (text) => {
    const o = JSON.parse(text);
    for (const k of UNSHIPPED_PACKAGE_FIELDS) delete o[k];
    return JSON.stringify(sortKeys(o));
  };
  return shipped(before) !== shipped(after);
}
const sortKeys = (v) =>
  Array.isArray(v)
    ? v.map(sortKeys)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortKeys(v[k])]),
        )
      : v;

/** Where the range starts, and why; undefined (with the reason) when there is nothing to compare with. */
export function resolveBase(root, { base, mainBranch = "main" } = {}) {
  if (base) {
    const mb = tryGit(root, ["merge-base", base, "HEAD"]);
    if (!mb) throw new Error(`cannot find a merge base of ${base} and HEAD`);
    return { commit: mb, why: `merge base with ${base}` };
  }
  const head = tryGit(root, ["rev-parse", "HEAD"]);
  if (!head) return { commit: undefined, why: "no commit yet" };
  for (const ref of [mainBranch, `origin/${mainBranch}`]) {
    if (!tryGit(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])) continue;
    const mb = tryGit(root, ["merge-base", ref, "HEAD"]);
    if (mb && mb !== head) return { commit: mb, why: `since this branch left ${ref} (${mb.slice(0, 10)})` };
    break;
  }
  const parent = tryGit(root, ["rev-parse", "--verify", "--quiet", "HEAD^1"]);
  if (!parent) return { commit: undefined, why: "HEAD has no parent here (first commit, or a shallow clone: fetch with --depth 2 or more)" };
  return { commit: parent, why: `the last commit on ${mainBranch} (HEAD^1..HEAD: for a merge, everything it merged)` };
}

/** Runs the check; returns { ok, lines }. */
export function checkChangesets(root, options = {}) {
  const lines = [];
  const config = JSON.parse(readFileSync(join(root, ".changeset/config.json"), "utf8"));
  const patterns = config.changedFilePatterns ?? ["**"];
  const { commit: base, why } = resolveBase(root, { base: options.base, mainBranch: config.baseBranch ?? "main" });
  if (!base) return { ok: true, lines: [`changesets: SKIPPED, nothing to compare with: ${why}`] };

  const changed = new Set([
    ...git(root, ["diff", "--name-only", "--no-renames", base]).split("\n"),
    ...git(root, ["ls-files", "--others", "--exclude-standard"]).split("\n"),
  ]);
  changed.delete("");

  // Workspace packages: every tracked or new package.json outside node_modules.
  const packageFiles = [...new Set(git(root, ["ls-files", "--cached", "--others", "--exclude-standard", "*package.json"]).split("\n"))].filter(
    (f) => f.endsWith("package.json") && f !== "package.json" && !f.includes("node_modules/") && existsSync(join(root, f)),
  );
  const packages = packageFiles
    .map((f) => ({ dir: dirname(f), manifest: JSON.parse(readFileSync(join(root, f), "utf8")) }))
    .filter((p) => p.manifest.name)
    .sort((a, b) => b.dir.length - a.dir.length);
  const publicNames = new Set(packages.filter((p) => !p.manifest.private).map((p) => p.manifest.name));

  const shipped = new Map(); // package name → changed files that ship
  for (const file of changed) {
    const pkg = packages.find((p) => file.startsWith(`${p.dir}/`));
    if (!pkg || pkg.manifest.private) continue;
    const inPackage = file.slice(pkg.dir.length + 1);
    let ships;
    if (inPackage === "package.json") {
      const before = tryGit(root, ["show", `${base}:${file}`]);
      ships = existsSync(join(root, file)) ? packageJsonShipsChange(before, readFileSync(join(root, file), "utf8")) : false;
    } else ships = matchesPatterns(inPackage, patterns);
    if (!ships) continue;
    if (!shipped.has(pkg.manifest.name)) shipped.set(pkg.manifest.name, []);
    shipped.get(pkg.manifest.name).push(file);
  }

  // Changesets added or edited in the range (and still present).
  const named = new Map(); // package → changeset files
  const empty = [];
  const problems = [];
  for (const file of [...changed].sort()) {
    if (!/^\.changeset\/[^/]+\.md$/.test(file) || file === ".changeset/README.md" || !existsSync(join(root, file))) continue;
    let names;
    try {
      names = parseChangeset(readFileSync(join(root, file), "utf8"), file);
    } catch (e) {
      problems.push(e.message);
      continue;
    }
    if (names.length === 0) empty.push(file);
    for (const name of names) {
      if (!publicNames.has(name))
        problems.push(`${file} names "${name}", which is not a published package of this workspace (${[...publicNames].sort().join(", ")})`);
      if (!named.has(name)) named.set(name, []);
      named.get(name).push(file);
    }
  }

  lines.push(`changesets: comparing with ${base.slice(0, 10)}, ${why}`);
  const missing = [];
  for (const [name, files] of [...shipped].sort()) {
    if (named.has(name)) lines.push(`changesets: ok   ${name} (${files.length} file${files.length > 1 ? "s" : ""}) — ${named.get(name).join(", ")}`);
    else if (empty.length > 0)
      lines.push(`changesets: ok   ${name} (${files.length} file${files.length > 1 ? "s" : ""}) — no release: ${empty.join(", ")} is empty`);
    else missing.push([name, files]);
  }
  if (shipped.size === 0) lines.push("changesets: no published package changed");
  for (const [name, files] of missing) {
    lines.push(`changesets: FAIL ${name} changed without a changeset: ${files.slice(0, 5).join(", ")}${files.length > 5 ? `, … (${files.length} files)` : ""}`);
  }
  for (const p of problems) lines.push(`changesets: FAIL ${p}`);
  if (missing.length > 0) {
    lines.push(
      'changesets: add one: `pnpm changeset` (or write .changeset/<name>.md by hand, like the others: frontmatter `"@glmjs/pkg": patch|minor|major`, then what changed for users); ' +
        'if nothing here needs a release, `pnpm changeset --empty`. See CONTRIBUTING.md, "Changesets".',
    );
  }
  return { ok: missing.length === 0 && problems.length === 0, lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--base");
  const base = at >= 0 ? args[at + 1] : process.env.CHANGESET_BASE || undefined;
  const root = git(process.cwd(), ["rev-parse", "--show-toplevel"]);
  const { ok, lines } = checkChangesets(root, { base });
  for (const line of lines) console.log(line);
  if (!ok) process.exit(1);
}
