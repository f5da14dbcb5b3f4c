// The browser path (plain fetch + the Cache API), run in Node against the local hub with an
// in-memory Cache stand-in; and how a source string is told apart (path, URL, hub id).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HubError } from "./errors.js";
import { openFetchRepo, type ResponseCache } from "./fetch-repo.js";
import type { HubProgress } from "./options.js";
import { parseHubId, resolveModelSource } from "./source.js";

/** What the Cache API does with what glmjs puts in it (responses by URL; bodies readable again). */
class MemoryCache implements ResponseCache {
  readonly entries = new Map<string, { body: ArrayBuffer; headers: [string, string][]; status: number }>();
  async match(url: string) {
    const e = this.entries.get(url);
    return e ? new Response(e.body.byteLength ? e.body : null, { status: e.status, headers: e.headers }) : undefined;
  }
  async put(url: string, response: Response) {
    this.entries.set(url, { body: await response.arrayBuffer(), headers: [...response.headers], status: response.status });
  }
}

const WEIGHTS = Uint8Array.from({ length: 50_000 }, (_, i) => i % 253);
let server: HubServer;
beforeAll(async () => {
  server = await startHubServer({
    "THUDM/glm-tiny": { files: { "config.json": "{}", "model.safetensors": WEIGHTS } },
    "THUDM/glm-gated": { files: { "config.json": "{}" }, token: "hf_secret" },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe("openFetchRepo (browsers: fetch + Cache API)", { timeout: 60_000 }, () => {
  it("fetches through the hub's resolve URLs, keeps responses in the cache, and a second load makes no request", async () => {
    const cache = new MemoryCache();
    const progress: HubProgress[] = [];
    const repo = await openFetchRepo(
      { kind: "hub", repo: "THUDM/glm-tiny", revision: undefined },
      { endpoint: server.url, responseCache: cache, token: "", onProgress: (p) => progress.push(p) },
    );
    expect(await repo.bytes("model.safetensors")).toEqual(WEIGHTS);
    expect(await repo.text("config.json")).toBe("{}");
    expect(progress.filter((p) => p.file === "model.safetensors").at(-1)).toEqual({
      repo: "THUDM/glm-tiny",
      file: "model.safetensors",
      loaded: WEIGHTS.byteLength,
      total: WEIGHTS.byteLength,
    });
    expect([...cache.entries.keys()]).toEqual([
      `${server.url}/THUDM/glm-tiny/resolve/main/model.safetensors`,
      `${server.url}/THUDM/glm-tiny/resolve/main/config.json`,
    ]);
    expect(await repo.bytes("pytorch_model.bin", { optional: true })).toBeUndefined();
    server.requests.length = 0;
    const again = await openFetchRepo({ kind: "hub", repo: "THUDM/glm-tiny", revision: undefined }, { endpoint: server.url, responseCache: cache, token: "" });
    expect(await again.bytes("model.safetensors")).toEqual(WEIGHTS);
    expect(await again.bytes("pytorch_model.bin", { optional: true })).toBeUndefined();
    await expect(again.bytes("pytorch_model.bin")).rejects.toThrow(/THUDM\/glm-tiny: pytorch_model\.bin: the repository has no such file at revision "main"/);
    expect(server.requests).toEqual([]);
  });

  it("offline it serves the cache only; gated repositories need the token; web folders work by URL", async () => {
    const cache = new MemoryCache();
    const offline = await openFetchRepo(
      { kind: "hub", repo: "THUDM/glm-tiny", revision: undefined },
      { endpoint: server.url, responseCache: cache, offline: true },
    );
    await expect(offline.bytes("config.json")).rejects.toMatchObject({ code: "HUB_OFFLINE" });
    const gated = await openFetchRepo({ kind: "hub", repo: "THUDM/glm-gated", revision: undefined }, { endpoint: server.url, responseCache: false, token: "" });
    const e = await gated.bytes("config.json").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HubError);
    expect(e).toMatchObject({ code: "HUB_UNAUTHORIZED", status: 401 });
    const allowed = await openFetchRepo(
      { kind: "hub", repo: "THUDM/glm-gated", revision: undefined },
      { endpoint: server.url, responseCache: false, token: "hf_secret" },
    );
    expect(await allowed.text("config.json")).toBe("{}");
    const web = await openFetchRepo({ kind: "url", url: `${server.url}/THUDM/glm-tiny/resolve/main` }, { responseCache: false });
    expect(await web.bytes("model.safetensors")).toEqual(WEIGHTS);
    // The storage host (another origin) never saw the token.
    expect(server.requests.filter((r) => r.host === "storage").every((r) => r.authorization === undefined)).toBe(true);
  });
});

describe("model sources", () => {
  it("parses hub ids with an optional revision, and refuses what is not one", () => {
    expect(parseHubId("THUDM/glm-roberta-large")).toEqual({ repo: "THUDM/glm-roberta-large", revision: undefined });
    expect(parseHubId("THUDM/glm-10b@v1.0")).toEqual({ repo: "THUDM/glm-10b", revision: "v1.0" });
    expect(parseHubId("THUDM/glm-10b@refs/pr/3")).toEqual({ repo: "THUDM/glm-10b", revision: "refs/pr/3" });
    for (const s of ["glm-large", "./THUDM/glm", "/abs/path", "a/b/c", "THUDM/glm@", "../x", "org/../x", "org/name.git", "C:\\models\\glm"])
      expect(parseHubId(s), s).toBeUndefined();
  });

  it("an existing folder wins over an id of the same shape; URLs are URLs", async () => {
    const root = mkdtempSync(join(tmpdir(), "glmjs-source-"));
    const cwd = process.cwd();
    try {
      mkdirSync(join(root, "THUDM", "glm-large"), { recursive: true });
      process.chdir(root);
      expect(await resolveModelSource("THUDM/glm-large")).toEqual({ kind: "path", path: "THUDM/glm-large" });
      expect(await resolveModelSource("THUDM/glm-10b@main")).toEqual({ kind: "hub", repo: "THUDM/glm-10b", revision: "main" });
      expect(await resolveModelSource("https://example.org/models/glm")).toEqual({ kind: "url", url: "https://example.org/models/glm" });
      expect(await resolveModelSource("./missing-folder")).toEqual({ kind: "path", path: "./missing-folder" });
    } finally {
      process.chdir(cwd);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
