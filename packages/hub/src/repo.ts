// A model's files by name, wherever they live: a hub repository (through the local cache in Node,
// the Cache API in browsers) or a folder on a web server. Callers ask for the files they need one
// by one (config.json, then the first weights file that exists, …), as transformers does.
import { HubError } from "./errors.js";
import type { HubOptions } from "./options.js";
import { isNodeRuntime } from "./options.js";
import type { ModelSource } from "./source.js";

export interface FileRequest {
  /** A missing file is `undefined` instead of an error (the repository may simply not have it). */
  optional?: boolean;
}

export interface ModelRepo {
  /** "org/name", or the base URL of a web folder. */
  readonly id: string;
  /** The revision asked for (hub repositories); "" for web folders. */
  readonly revision: string;
  /** The commit the files come from, once known (hub repositories). */
  readonly commit: string | undefined;
  /** A file's bytes; `undefined` when the repository has no such file and the request is optional. */
  bytes(name: string, request?: FileRequest): Promise<Uint8Array | undefined>;
  /** A text file (UTF-8). */
  text(name: string, request?: FileRequest): Promise<string | undefined>;
  /**
   * Node, hub repositories: the file's path in the local hub cache (downloaded first when needed),
   * in the snapshot folder of its commit, beside the repository's other cached files.
   */
  path?(name: string, request?: FileRequest): Promise<string | undefined>;
}

/**
 * Opens a hub repository or web folder. Hub repositories are cached on disk in Node (the layout of
 * Python's huggingface_hub, shared with transformers) and in the Cache API in browsers; web
 * folders are cached in browsers only.
 */
export async function openModelRepo(source: Exclude<ModelSource, { kind: "path" }>, options: HubOptions = {}): Promise<ModelRepo> {
  if (source.kind === "hub" && source.revision !== undefined && options.revision !== undefined && source.revision !== options.revision) {
    throw new HubError(
      "HUB_NOT_FOUND",
      source.repo,
      undefined,
      `two revisions given: "@${source.revision}" in the id and revision "${options.revision}" in the options; give one`,
    );
  }
  if (source.kind === "hub" && isNodeRuntime()) {
    const { openNodeHubRepo } = await import("./node-repo.js");
    return openNodeHubRepo(source.repo, source.revision ?? options.revision ?? "main", options);
  }
  const { openFetchRepo } = await import("./fetch-repo.js");
  return openFetchRepo(source, options);
}
