// JSON.parse keeps the last of two equal keys without a word; checkpoint headers must not
// contain duplicates (two tensors with one name), so the top-level keys are listed separately.

/**
 * The keys of the top-level object of `json`, in order, duplicates included. Assumes `json`
 * is valid JSON (call JSON.parse first); returns [] when the top level is not an object.
 */
export function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  if (!json.trimStart().startsWith("{")) return keys;
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < json.length) {
    const c = json[i]!;
    if (c === '"') {
      const start = i;
      i++;
      while (json[i] !== '"') i += json[i] === "\\" ? 2 : 1;
      i++;
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(json.slice(start, i)) as string);
        expectKey = false;
      }
      continue;
    }
    if (c === "{" || c === "[") {
      depth++;
      expectKey = depth === 1 && c === "{";
    } else if (c === "}" || c === "]") {
      depth--;
    } else if (c === "," && depth === 1) {
      expectKey = true;
    }
    i++;
  }
  return keys;
}

/** Names that occur more than once in `names`. */
export function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return [...dup];
}
