// Expanding corpus paths: files, folders (recursively) and globs (`*`, `?`, `**`), into a
// sorted, de-duplicated file list. Node 20 has no fs.glob, and the patterns needed are small.
import { GlmjsError } from "@glmjs/common";
import { readdir, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";

const GLOB_CHARS = /[*?[]/;

export async function expandCorpusPaths(paths: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const p of paths) {
    if (GLOB_CHARS.test(p)) {
      const matched = await globFiles(p);
      if (matched.length === 0) throw new GlmjsError("FILE_NOT_FOUND", `corpus: the pattern "${p}" matches no file`);
      matched.forEach((f) => files.add(f));
      continue;
    }
    const abs = resolve(p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new GlmjsError("FILE_NOT_FOUND", `corpus: "${p}" does not exist`);
    }
    if (info.isDirectory()) (await walk(abs)).forEach((f) => files.add(f));
    else files.add(abs);
  }
  return [...files].sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Matches a glob against every file under its fixed leading folder. */
async function globFiles(pattern: string): Promise<string[]> {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const base = parts.slice(0, firstGlob).join(sep) || sep;
  const regex = globToRegExp(parts.slice(firstGlob).join("/"));
  let candidates: string[];
  try {
    candidates = await walk(base);
  } catch {
    return [];
  }
  return candidates.filter((f) =>
    regex.test(
      f
        .slice(base.length + 1)
        .split(sep)
        .join("/"),
    ),
  );
}

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` matches zero or more folders.
        re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
        i += glob[i + 2] === "/" ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i);
      if (end < 0) re += "\\[";
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
