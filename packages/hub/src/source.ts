// Where a model comes from, given one string: a folder or file on disk, a URL, or a hub id
// ("THUDM/glm-large", optionally "@revision"), decided as transformers decides it: an existing
// local path wins, then URLs, then ids.
import { importNode } from "@glmjs/common";
import { isNodeRuntime } from "./options.js";

export type ModelSource = { kind: "path"; path: string } | { kind: "url"; url: string } | { kind: "hub"; repo: string; revision: string | undefined };

/** "org/name" as the hub spells ids: letters, digits, "-", "_", "." (no leading "." or "-"); bare legacy ids ("gpt2") would be mistaken for folders. */
const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;

/**
 * The hub id and revision in `text` ("org/name" or "org/name@revision"), or undefined when it is
 * not shaped like one. Ids with a path inside the repo, "..", or trailing ".git" are not ids.
 */
export function parseHubId(text: string): { repo: string; revision: string | undefined } | undefined {
  const at = text.indexOf("@");
  const repo = at < 0 ? text : text.slice(0, at);
  const revision = at < 0 ? undefined : text.slice(at + 1);
  if (!REPO_ID.test(repo) || repo.includes("..") || repo.endsWith(".git")) return undefined;
  if (revision !== undefined && (revision === "" || revision.includes("..") || /[\s\\]/.test(revision))) return undefined;
  return { repo, revision };
}

/** Whether `text` is a URL glmjs fetches (http or https). */
export function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/**
 * Decides where `source` points. In Node an existing file or folder is a path even when it looks
 * like an id ("models/glm"); otherwise URLs are URLs, ids are hub ids, and anything else is a path
 * (whose absence the caller reports).
 */
export async function resolveModelSource(source: string): Promise<ModelSource> {
  if (isUrl(source)) return { kind: "url", url: source };
  if (isNodeRuntime()) {
    const fs = await importNode("node:fs/promises", "resolveModelSource");
    if (
      await fs.stat(source).then(
        () => true,
        () => false,
      )
    )
      return { kind: "path", path: source };
  }
  const id = parseHubId(source);
  return id ? { kind: "hub", ...id } : { kind: "path", path: source };
}
