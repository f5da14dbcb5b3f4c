// A hub repository in Node: files come from the local cache (Python's layout, see node-cache.ts)
// when it has them, without any request; otherwise the official @huggingface/hub client finds
// them (fileDownloadInfo: size, etag, where to fetch) and streams them (downloadFile) into the
// cache, resuming a partial download, reporting progress.
import { importNode } from "@glmjs/common";
import { HubError } from "./errors.js";
import { recordingFetch, type HopRecord } from "./hops.js";
import { cachedRepo, hubCacheDir, savedToken, type CachedRepo } from "./node-cache.js";
import { hubEndpoint, isHubOffline, tokenFromEnvironment, type HubOptions } from "./options.js";
import type { FileRequest, ModelRepo } from "./repo.js";

export async function openNodeHubRepo(repo: string, revision: string, options: HubOptions): Promise<ModelRepo> {
  const cacheDir = await hubCacheDir(options.cacheDir);
  const token = tokenFromEnvironment(options) ?? (await savedToken());
  return new NodeHubRepo(repo, revision, await cachedRepo(cacheDir, repo), cacheDir, { ...options, token });
}

class NodeHubRepo implements ModelRepo {
  commit: string | undefined;
  private readonly offline: boolean;
  private readonly endpoint: string;

  constructor(
    readonly id: string,
    readonly revision: string,
    private readonly cache: CachedRepo,
    private readonly cacheDir: string,
    private readonly options: HubOptions,
  ) {
    this.offline = isHubOffline(options);
    this.endpoint = hubEndpoint(options);
  }

  async path(name: string, request: FileRequest = {}): Promise<string | undefined> {
    this.commit ??= await this.cache.commitOf(this.revision);
    if (this.commit) {
      const known = await this.cache.lookup(this.commit, name);
      if (known?.state === "present") return known.path;
      if (known?.state === "missing") return this.absent(name, request, "the cache records that this revision has no such file");
    }
    if (this.offline) {
      if (!this.commit) {
        throw new HubError(
          "HUB_OFFLINE",
          this.id,
          name,
          `revision "${this.revision}" is not in the hub cache (${this.cacheDir}) and the hub is offline (HF_HUB_OFFLINE); download it once online, or set HF_HUB_CACHE to the cache that has it`,
        );
      }
      if (request.optional) return undefined;
      throw new HubError(
        "HUB_OFFLINE",
        this.id,
        name,
        `not in the hub cache (${this.cacheDir}, commit ${this.commit}) and the hub is offline (HF_HUB_OFFLINE); download it once online`,
      );
    }
    return this.download(name, request);
  }

  async bytes(name: string, request: FileRequest = {}): Promise<Uint8Array | undefined> {
    const p = await this.path(name, request);
    if (p === undefined) return undefined;
    const fs = await importNode("node:fs/promises", "the hub cache");
    return new Uint8Array(await fs.readFile(p));
  }

  async text(name: string, request: FileRequest = {}): Promise<string | undefined> {
    const b = await this.bytes(name, request);
    return b === undefined ? undefined : new TextDecoder().decode(b);
  }

  private absent(name: string, request: FileRequest, why: string): undefined {
    if (request.optional) return undefined;
    throw new HubError("HUB_NOT_FOUND", this.id, name, `the repository has no such file at revision "${this.revision}" (${why})`);
  }

  private async download(name: string, request: FileRequest): Promise<string | undefined> {
    const hub = await import("@huggingface/hub");
    const hops = recordingFetch(this.options.fetch ?? fetch, this.options.token, new URL(this.endpoint).origin);
    const revision = this.commit ?? this.revision;
    let info: Awaited<ReturnType<typeof hub.fileDownloadInfo>>;
    try {
      info = await hub.fileDownloadInfo({ repo: { type: "model", name: this.id }, path: name, revision, hubUrl: this.endpoint, fetch: hops.fetch });
    } catch (err) {
      throw this.requestError(name, err, hops.first);
    }
    const first = hops.first;
    const commit = this.commit ?? commitFrom(first, revision);
    if (info === null) {
      if (commit) {
        this.commit = commit;
        await this.cache.writeRef(this.revision, commit);
        await this.cache.markMissing(commit, name);
      }
      return this.absent(name, request, `${this.endpoint} answered 404`);
    }
    if (!commit) {
      throw new HubError(
        "HUB_REQUEST_FAILED",
        this.id,
        name,
        `${this.endpoint} sent no X-Repo-Commit header, so the file cannot be cached under its commit; is HF_ENDPOINT a Hugging Face hub?`,
      );
    }
    this.commit = commit;
    await this.cache.writeRef(this.revision, commit);
    // Python names blobs by X-Linked-Etag (LFS: the sha256) or ETag (git blob sha1), unquoted.
    const etag = normaliseEtag(first?.headers.get("x-linked-etag") ?? first?.headers.get("etag") ?? info.etag);
    const known = await this.cache.lookup(commit, name);
    if (known?.state === "present") return known.path;
    const fs = await importNode("node:fs/promises", "the hub cache");
    const blob = await this.cache.blobPath(etag);
    if (
      !(await fs.stat(blob).then(
        (s) => s.isFile() && s.size === info!.size,
        () => false,
      ))
    ) {
      await this.fetchBlob(name, info, blob, hops, hub);
    }
    return this.cache.link(commit, name, etag);
  }

  /** Streams the file into blobs/<etag>.incomplete (continuing one left by an earlier attempt), then renames it. */
  private async fetchBlob(
    name: string,
    info: NonNullable<Awaited<ReturnType<(typeof import("@huggingface/hub"))["fileDownloadInfo"]>>>,
    blobPath: string,
    hops: ReturnType<typeof recordingFetch>,
    hub: typeof import("@huggingface/hub"),
  ): Promise<void> {
    const fs = await importNode("node:fs/promises", "the hub cache");
    const path = await importNode("node:path", "the hub cache");
    await fs.mkdir(path.dirname(blobPath), { recursive: true });
    const incomplete = `${blobPath}.incomplete`;
    const total = info.size;
    let have = await fs.stat(incomplete).then(
      (s) => s.size,
      () => 0,
    );
    if (have > total) have = 0;
    const report = (loaded: number) => this.options.onProgress?.({ repo: this.id, file: name, loaded, total });
    if (have < total || total === 0) {
      let blob: Blob | null;
      try {
        blob = await hub.downloadFile({
          repo: { type: "model", name: this.id },
          path: name,
          revision: this.commit,
          hubUrl: this.endpoint,
          fetch: hops.fetch,
          downloadInfo: info,
        });
      } catch (err) {
        throw this.requestError(name, err, hops.last);
      }
      if (!blob) throw new HubError("HUB_NOT_FOUND", this.id, name, "the hub no longer has this file");
      const stream = (have > 0 ? blob.slice(have) : blob).stream();
      const handle = await fs.open(incomplete, have > 0 ? "r+" : "w");
      let at = have;
      let started = false;
      try {
        report(at);
        const reader = stream.getReader();
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (err) {
            throw this.requestError(name, err, hops.last);
          }
          if (chunk.done) break;
          if (!started) {
            started = true;
            // A server that ignores the Range header sends the whole file: start over.
            if (have > 0 && hops.rangeIgnored) {
              at = 0;
              await handle.truncate(0);
            }
          }
          for (let off = 0; off < chunk.value.byteLength;) {
            const { bytesWritten } = await handle.write(chunk.value, off, chunk.value.byteLength - off, at);
            off += bytesWritten;
            at += bytesWritten;
          }
          report(at);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (at !== total) {
        throw new HubError(
          "HUB_REQUEST_FAILED",
          this.id,
          name,
          `the download ended after ${at} of ${total} bytes; run again to resume it (the partial file is ${incomplete})`,
        );
      }
    } else {
      report(total);
    }
    await fs.rename(incomplete, blobPath);
  }

  private requestError(name: string, err: unknown, hop: HopRecord | undefined): HubError {
    if (err instanceof HubError) return err;
    const status = (err as { statusCode?: number }).statusCode ?? hop?.status;
    const code = hop?.headers.get("x-error-code") ?? undefined;
    const login = "set HF_TOKEN (or pass { token }) to a token of an account that has access";
    if (code === "GatedRepo")
      return new HubError("HUB_UNAUTHORIZED", this.id, name, `the repository is gated: accept its conditions on the hub, then ${login}`, {
        status,
        cause: err,
      });
    if (code === "RepoNotFound")
      return new HubError("HUB_NOT_FOUND", this.id, name, `no such repository at ${this.endpoint} (or it is private: ${login})`, { status, cause: err });
    if (code === "RevisionNotFound")
      return new HubError("HUB_NOT_FOUND", this.id, name, `no revision "${this.revision}" in the repository`, { status, cause: err });
    if (status === 401 || status === 403)
      return new HubError("HUB_UNAUTHORIZED", this.id, name, `${this.endpoint} refused access (${status}): ${login}`, { status, cause: err });
    if (status === 404) return new HubError("HUB_NOT_FOUND", this.id, name, `${this.endpoint} answered 404`, { status, cause: err });
    const detail = err instanceof Error ? err.message : String(err);
    return new HubError(
      "HUB_REQUEST_FAILED",
      this.id,
      name,
      `${status ? `the hub answered ${status}` : "the request failed"} (${detail}); check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the cache only`,
      { status, cause: err },
    );
  }
}

/** The commit a resolve response names (X-Repo-Commit), or the revision itself when it is a commit hash. */
function commitFrom(hop: HopRecord | undefined, revision: string): string | undefined {
  const header = hop?.headers.get("x-repo-commit")?.trim();
  if (header && /^[0-9a-f]{40}$/.test(header)) return header;
  return /^[0-9a-f]{40}$/.test(revision) ? revision : undefined;
}

/** Strips a weak-validator prefix and quotes, as Python's huggingface_hub does. */
function normaliseEtag(etag: string): string {
  const e = etag.replace(/^W\//, "").replace(/^"|"$/g, "");
  if (!/^[\w.-]+$/.test(e))
    throw new HubError("HUB_REQUEST_FAILED", "", undefined, `the hub sent an ETag that cannot name a cache file: ${JSON.stringify(etag)}`);
  return e;
}
