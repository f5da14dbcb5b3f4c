// A local stand-in for the Hugging Face hub (127.0.0.1 only), for tests that download models by
// id through HF_ENDPOINT. It answers the resolve endpoint as the hub does:
//   GET|HEAD /{org}/{name}/resolve/{revision}/{file}
//     small files: 200 / 206 with ETag (git blob sha1), X-Repo-Commit, Content-Length, Accept-Ranges
//     LFS files:   302 to a storage host (a second listener: another origin) with X-Repo-Commit,
//                  X-Linked-Etag (sha256), X-Linked-Size; the storage answers ranges with ETag
//     a missing file: 404 X-Error-Code EntryNotFound (with X-Repo-Commit); unknown repo: 401
//     RepoNotFound; unknown revision: 404 RevisionNotFound; gated without the token: 401 GatedRepo
// and records every request, so tests can check what was (not) fetched.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubServerRepo {
  /** File name → contents (read once when the server starts). */
  files: Record<string, Uint8Array | string>;
  /** Files served as LFS (through the storage redirect). Default: every file over 1 KiB and every weights file. */
  lfs?: (name: string) => boolean;
  /** A gated repository: requests need `Authorization: Bearer <token>`. */
  token?: string;
}

export interface HubRequest {
  host: "hub" | "storage";
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  status: number;
}

export interface HubServer {
  /** The hub's address, for HF_ENDPOINT. */
  url: string;
  /** The storage host's address (another origin). */
  storageUrl: string;
  /** Every request, in order. */
  requests: HubRequest[];
  /** The commit each repository's "main" points at. */
  commits: Record<string, string>;
  /** The LFS sha256 / git sha1 each file is cached under ("org/name/file" → etag). */
  etags: Record<string, string>;
  /** Drops the connection after `bytes` bytes of the next full download of `file` (to test resuming). */
  interruptNext(repo: string, file: string, bytes: number): void;
  close(): Promise<void>;
}

interface Entry {
  data: Uint8Array;
  lfs: boolean;
  sha256: string;
  gitSha1: string;
}

const isWeights = (name: string) => /\.(bin|safetensors|pt|model)$/.test(name);

export async function startHubServer(repos: Record<string, HubServerRepo>): Promise<HubServer> {
  const requests: HubRequest[] = [];
  const commits: Record<string, string> = {};
  const etags: Record<string, string> = {};
  const table = new Map<string, { repo: HubServerRepo; files: Map<string, Entry> }>();
  const blobs = new Map<string, Uint8Array>();
  for (const [id, repo] of Object.entries(repos)) {
    const files = new Map<string, Entry>();
    const commitHash = createHash("sha1").update(id);
    for (const [name, content] of Object.entries(repo.files)) {
      const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
      const sha256 = createHash("sha256").update(data).digest("hex");
      const gitSha1 = createHash("sha1").update(`blob ${data.byteLength}\0`).update(data).digest("hex");
      const lfs = repo.lfs ? repo.lfs(name) : data.byteLength > 1024 || isWeights(name);
      files.set(name, { data, lfs, sha256, gitSha1 });
      etags[`${id}/${name}`] = lfs ? sha256 : gitSha1;
      if (lfs) blobs.set(sha256, data);
      commitHash.update(name).update(sha256);
    }
    commits[id] = commitHash.digest("hex");
    table.set(id, { repo, files });
  }
  const interrupts = new Map<string, number>();

  const send = (res: ServerResponse, req: IncomingMessage, data: Uint8Array, headers: Record<string, string>, interruptKey?: string): number => {
    const range = req.headers.range;
    let start = 0;
    let end = data.byteLength - 1;
    let status = 200;
    const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), data.byteLength - 1) : data.byteLength - 1;
      if (start >= data.byteLength && data.byteLength > 0) {
        res.writeHead(416, { "Content-Range": `bytes */${data.byteLength}` }).end();
        return 416;
      }
      status = 206;
      headers["Content-Range"] = `bytes ${start}-${end}/${data.byteLength}`;
    }
    const body = data.subarray(start, end + 1);
    res.writeHead(status, { ...headers, "Accept-Ranges": "bytes", "Content-Length": String(body.byteLength), "Content-Type": "application/octet-stream" });
    if (req.method === "HEAD") {
      res.end();
      return status;
    }
    const cut = interruptKey !== undefined && status === 200 ? interrupts.get(interruptKey) : undefined;
    if (cut !== undefined) {
      interrupts.delete(interruptKey!);
      res.write(body.subarray(0, cut), () => res.destroy());
      return status;
    }
    res.end(body);
    return status;
  };

  const fail = (res: ServerResponse, status: number, code: string, extra: Record<string, string> = {}): number => {
    res.writeHead(status, { "X-Error-Code": code, "Content-Type": "application/json", ...extra }).end(JSON.stringify({ error: code }));
    return status;
  };

  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const log = (status: number) =>
      requests.push({
        host: "hub",
        method: req.method ?? "GET",
        path: decodeURIComponent(url.pathname),
        range: req.headers.range,
        authorization: req.headers.authorization,
        status,
      });
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (parts.length < 5 || parts[2] !== "resolve") return log(fail(res, 404, "EntryNotFound"));
    const id = `${parts[0]}/${parts[1]}`;
    const revision = parts[3]!;
    const file = parts.slice(4).join("/");
    const found = table.get(id);
    if (!found) return log(fail(res, 401, "RepoNotFound"));
    if (found.repo.token && req.headers.authorization !== `Bearer ${found.repo.token}`) return log(fail(res, 401, "GatedRepo"));
    const commit = commits[id]!;
    if (revision !== "main" && revision !== commit) return log(fail(res, 404, "RevisionNotFound"));
    const entry = found.files.get(file);
    if (!entry) return log(fail(res, 404, "EntryNotFound", { "X-Repo-Commit": commit }));
    if (entry.lfs) {
      res.writeHead(302, {
        Location: `${storageUrl}/lfs/${entry.sha256}`,
        "X-Repo-Commit": commit,
        "X-Linked-Etag": `"${entry.sha256}"`,
        "X-Linked-Size": String(entry.data.byteLength),
        ETag: `W/"${entry.gitSha1}"`,
      });
      res.end();
      return log(302);
    }
    return log(send(res, req, entry.data, { ETag: `"${entry.gitSha1}"`, "X-Repo-Commit": commit }, `${id}/${file}`));
  });

  const storage = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const log = (status: number) =>
      requests.push({
        host: "storage",
        method: req.method ?? "GET",
        path: url.pathname,
        range: req.headers.range,
        authorization: req.headers.authorization,
        status,
      });
    const sha = url.pathname.startsWith("/lfs/") ? url.pathname.slice(5) : "";
    const data = blobs.get(sha);
    if (!data) return log(fail(res, 404, "NoSuchKey"));
    const key = Object.entries(etags).find(([, e]) => e === sha)?.[0];
    return log(send(res, req, data, { ETag: `"${sha}"` }, key));
  });

  const listen = (server: Server) =>
    new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const url = await listen(hub);
  const storageUrl = await listen(storage);
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url,
    storageUrl,
    requests,
    commits,
    etags,
    interruptNext: (repo, file, bytes) => interrupts.set(`${repo}/${file}`, bytes),
    close: async () => {
      hub.closeAllConnections();
      storage.closeAllConnections();
      await Promise.all([close(hub), close(storage)]);
    },
  };
}
