// Hub downloads in Node against a local hub (startHubServer): the cache on disk in Python's
// layout, no request for what is cached, offline mode, gated repositories, progress and resuming.
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHubServer, type HubServer } from "@glmjs/test-utils";
import { GlmjsError } from "@glmjs/common";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HubError } from "./errors.js";
import type { HubOptions, HubProgress } from "./options.js";
import { openModelRepo } from "./repo.js";

const CONFIG = JSON.stringify({ num_layers: 2, hidden_size: 64 });
const WEIGHTS = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
const VOCAB = "[PAD]\n[UNK]\nhello\n";

let server: HubServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startHubServer({
    "THUDM/glm-tiny": { files: { "config.json": CONFIG, "model.safetensors": WEIGHTS, "vocab.txt": VOCAB } },
    "THUDM/glm-gated": { files: { "config.json": CONFIG, "model.safetensors": WEIGHTS }, token: "hf_secret" },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), "glmjs-hub-cache-"));
  server.requests.length = 0;
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

const options = (more: HubOptions = {}): HubOptions => ({ endpoint: server.url, cacheDir, token: "", offline: false, ...more });
const open = (id: string, more: HubOptions = {}) => openModelRepo({ kind: "hub", repo: id.split("@")[0]!, revision: id.split("@")[1] }, options(more));
async function failure(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    return err as HubError;
  }
  throw new Error("expected a HubError");
}

describe("hub repositories in Node (local hub, on-disk cache)", { timeout: 60_000 }, () => {
  it("downloads into the cache layout of Python's huggingface_hub: refs, blobs by etag, relative symlinks", async () => {
    const repo = await open("THUDM/glm-tiny");
    const config = await repo.path!("config.json");
    const weights = await repo.path!("model.safetensors");
    const commit = server.commits["THUDM/glm-tiny"]!;
    const folder = join(cacheDir, "models--THUDM--glm-tiny");
    expect(repo.commit).toBe(commit);
    expect(config).toBe(join(folder, "snapshots", commit, "config.json"));
    expect(weights).toBe(join(folder, "snapshots", commit, "model.safetensors"));
    expect(readFileSync(join(folder, "refs", "main"), "utf8")).toBe(commit);
    // LFS files are stored under their sha256, small files under their git blob sha1.
    expect(readdirSync(join(folder, "blobs")).sort()).toEqual(
      [server.etags["THUDM/glm-tiny/config.json"], server.etags["THUDM/glm-tiny/model.safetensors"]].sort(),
    );
    expect(server.etags["THUDM/glm-tiny/model.safetensors"]).toMatch(/^[0-9a-f]{64}$/);
    expect(lstatSync(weights!).isSymbolicLink()).toBe(true);
    expect(readlinkSync(weights!)).toBe(join("..", "..", "blobs", server.etags["THUDM/glm-tiny/model.safetensors"]!));
    expect(new Uint8Array(readFileSync(weights!))).toEqual(WEIGHTS);
    expect(readFileSync(config!, "utf8")).toBe(CONFIG);
    // The weights came from the storage host through the hub's redirect; nothing went there twice.
    expect(server.requests.filter((r) => r.host === "storage" && r.method === "GET").length).toBe(2); // the client's 1-byte probe, then the body
  });

  it("a second load of cached files makes no request at all", async () => {
    await (
      await open("THUDM/glm-tiny")
    ).path!("model.safetensors");
    server.requests.length = 0;
    const again = await open("THUDM/glm-tiny");
    expect(new Uint8Array((await again.bytes("model.safetensors"))!)).toEqual(WEIGHTS);
    expect(server.requests).toEqual([]);
  });

  it("a file the repository lacks: undefined when optional (remembered in .no_exist, not asked again), an error otherwise", async () => {
    const repo = await open("THUDM/glm-tiny");
    expect(await repo.path!("model.safetensors.index.json", { optional: true })).toBeUndefined();
    const commit = server.commits["THUDM/glm-tiny"]!;
    expect(existsSync(join(cacheDir, "models--THUDM--glm-tiny", ".no_exist", commit, "model.safetensors.index.json"))).toBe(true);
    server.requests.length = 0;
    const again = await open("THUDM/glm-tiny");
    expect(await again.path!("model.safetensors.index.json", { optional: true })).toBeUndefined();
    expect(server.requests).toEqual([]);
    const e = await failure(again.path!("model.safetensors.index.json"));
    expect(e.code).toBe("HUB_NOT_FOUND");
    expect(e.message).toMatch(/THUDM\/glm-tiny: model\.safetensors\.index\.json: the repository has no such file at revision "main"/);
  });

  it("offline (HF_HUB_OFFLINE or the option): cached files load, anything else is a HUB_OFFLINE error that says what to do", async () => {
    await (
      await open("THUDM/glm-tiny")
    ).path!("config.json");
    server.requests.length = 0;
    const saved = process.env.HF_HUB_OFFLINE;
    process.env.HF_HUB_OFFLINE = "1";
    try {
      const repo = await openModelRepo({ kind: "hub", repo: "THUDM/glm-tiny", revision: undefined }, { endpoint: server.url, cacheDir, token: "" });
      expect(await repo.text("config.json")).toBe(CONFIG);
      expect(await repo.path!("vocab.txt", { optional: true })).toBeUndefined();
      const e = await failure(repo.path!("model.safetensors"));
      expect(e.code).toBe("HUB_OFFLINE");
      expect(e.message).toMatch(/model\.safetensors: not in the hub cache .* and the hub is offline \(HF_HUB_OFFLINE\); download it once online/);
      const other = await openModelRepo({ kind: "hub", repo: "THUDM/glm-other", revision: undefined }, { endpoint: server.url, cacheDir, token: "" });
      expect((await failure(other.path!("config.json"))).message).toMatch(/revision "main" is not in the hub cache/);
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_OFFLINE;
      else process.env.HF_HUB_OFFLINE = saved;
    }
    expect(server.requests).toEqual([]);
  });

  it("finds a model Python's transformers downloaded (refs + blobs + snapshot links made by hand) offline", async () => {
    const folder = join(cacheDir, "models--THUDM--glm-python");
    const commit = "0123456789abcdef0123456789abcdef01234567";
    mkdirSync(join(folder, "refs"), { recursive: true });
    mkdirSync(join(folder, "blobs"));
    mkdirSync(join(folder, "snapshots", commit), { recursive: true });
    writeFileSync(join(folder, "refs", "main"), commit);
    writeFileSync(join(folder, "blobs", "aaaa"), CONFIG);
    symlinkSync(join("..", "..", "blobs", "aaaa"), join(folder, "snapshots", commit, "config.json"));
    const repo = await open("THUDM/glm-python", { offline: true });
    expect(await repo.text("config.json")).toBe(CONFIG);
    expect(repo.commit).toBe(commit);
    expect(server.requests).toEqual([]);
  });

  it("a gated repository needs the token: HUB_UNAUTHORIZED without it; with it the token never reaches the storage host", async () => {
    const e = await failure((await open("THUDM/glm-gated")).path!("config.json"));
    expect(e.code).toBe("HUB_UNAUTHORIZED");
    expect(e.message).toMatch(/the repository is gated: accept its conditions on the hub, then set HF_TOKEN \(or pass \{ token \}\)/);
    expect(GlmjsError.is(e, "HUB_UNAUTHORIZED")).toBe(true);
    const saved = process.env.HF_TOKEN;
    process.env.HF_TOKEN = "hf_secret";
    try {
      const repo = await openModelRepo({ kind: "hub", repo: "THUDM/glm-gated", revision: undefined }, { endpoint: server.url, cacheDir });
      expect(new Uint8Array((await repo.bytes("model.safetensors"))!)).toEqual(WEIGHTS);
    } finally {
      if (saved === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = saved;
    }
    expect(server.requests.filter((r) => r.host === "hub" && r.status !== 401).every((r) => r.authorization === "Bearer hf_secret")).toBe(true);
    expect(server.requests.filter((r) => r.host === "storage").every((r) => r.authorization === undefined)).toBe(true);
  });

  it("reports progress, and resumes an interrupted download from where it stopped", async () => {
    server.interruptNext("THUDM/glm-tiny", "model.safetensors", 100_000);
    const progress: HubProgress[] = [];
    const repo = await open("THUDM/glm-tiny", { onProgress: (p) => progress.push(p) });
    const e = await failure(repo.path!("model.safetensors"));
    expect(e.code).toBe("HUB_REQUEST_FAILED");
    const incomplete = join(cacheDir, "models--THUDM--glm-tiny", "blobs", `${server.etags["THUDM/glm-tiny/model.safetensors"]}.incomplete`);
    expect(statSync(incomplete).size).toBe(100_000);
    progress.length = 0;
    server.requests.length = 0;
    const path = await (await open("THUDM/glm-tiny", { onProgress: (p) => progress.push(p) })).path!("model.safetensors");
    expect(new Uint8Array(readFileSync(path!))).toEqual(WEIGHTS);
    expect(existsSync(incomplete)).toBe(false);
    expect(server.requests.find((r) => r.host === "storage" && r.range?.startsWith("bytes=100000-"))).toBeDefined();
    expect(progress[0]).toEqual({ repo: "THUDM/glm-tiny", file: "model.safetensors", loaded: 100_000, total: WEIGHTS.byteLength });
    expect(progress.at(-1)).toEqual({ repo: "THUDM/glm-tiny", file: "model.safetensors", loaded: WEIGHTS.byteLength, total: WEIGHTS.byteLength });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.loaded).toBeGreaterThanOrEqual(progress[i - 1]!.loaded);
  });

  it("revisions: a commit is used as is and cached under itself; an unknown revision or repository is HUB_NOT_FOUND", async () => {
    const commit = server.commits["THUDM/glm-tiny"]!;
    const repo = await open(`THUDM/glm-tiny@${commit}`);
    expect(await repo.text("vocab.txt")).toBe(VOCAB);
    expect(existsSync(join(cacheDir, "models--THUDM--glm-tiny", "refs", "main"))).toBe(false);
    expect(server.requests.every((r) => r.host === "storage" || r.path.includes(`/resolve/${commit}/`))).toBe(true);
    const bad = await failure((await open("THUDM/glm-tiny@v9")).path!("config.json"));
    expect(bad.code).toBe("HUB_NOT_FOUND");
    expect(bad.message).toMatch(/no revision "v9"/);
    const none = await failure((await open("THUDM/no-such-model")).path!("config.json"));
    expect(none.code).toBe("HUB_NOT_FOUND");
    expect(none.message).toMatch(/no such repository at http:\/\/127\.0\.0\.1:\d+ \(or it is private/);
    await expect(openModelRepo({ kind: "hub", repo: "THUDM/glm-tiny", revision: "a" }, options({ revision: "b" }))).rejects.toThrow(/two revisions given/);
  });

  it("HF_ENDPOINT and HF_HUB_CACHE choose the hub and the cache when no option does", async () => {
    const saved = { endpoint: process.env.HF_ENDPOINT, cache: process.env.HF_HUB_CACHE };
    process.env.HF_ENDPOINT = server.url;
    process.env.HF_HUB_CACHE = cacheDir;
    try {
      const repo = await openModelRepo({ kind: "hub", repo: "THUDM/glm-tiny", revision: undefined }, { token: "" });
      expect(await repo.path!("vocab.txt")).toBe(join(cacheDir, "models--THUDM--glm-tiny", "snapshots", server.commits["THUDM/glm-tiny"]!, "vocab.txt"));
    } finally {
      for (const [k, v] of [
        ["HF_ENDPOINT", saved.endpoint],
        ["HF_HUB_CACHE", saved.cache],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
