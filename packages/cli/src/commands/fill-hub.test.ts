// `glm fill --model <hub id>` against a local hub (HF_ENDPOINT): the model and its tokenizer are
// downloaded into the hub cache (Python's layout), fill the same as the same files in a folder,
// and a second run offline (HF_HUB_OFFLINE=1) reads the cache without a request.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glm } from "../test/glm.test-helper.js";
import { bertVocab, fixtureHubRepo, hubFixture } from "../test/hub-repo.test-helper.js";

const REPO = "THUDM/glm-tiny-bert";
const TEXTS = ["Paris is the [MASK] of France.", "The [MASK] sat on the mat and [MASK] all day."];
// The fixture's model is untrained: --min-new-tokens makes every blank hold tokens.
const DECODING = ["--max-new-tokens", "5", "--min-new-tokens", "2", "--backend", "wasm", "--json"];

interface FillJson {
  input: string;
  text: string;
  blanks: { text: string; ids: number[] }[];
}
const parse = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as FillJson);

describe.skipIf(!hubFixture || !bertVocab)("glm fill --model <hub id>", { timeout: 300_000 }, () => {
  let server: HubServer;
  let root: string;
  let env: NodeJS.ProcessEnv;
  let folder: string;
  beforeAll(async () => {
    const repo = fixtureHubRepo();
    server = await startHubServer({ [REPO]: { files: repo.files } });
    root = mkdtempSync(join(tmpdir(), "glmjs-cli-fill-hub-"));
    env = { ...process.env, HF_ENDPOINT: server.url, HF_HUB_CACHE: join(root, "cache"), HF_TOKEN_PATH: join(root, "no-token"), HF_HUB_OFFLINE: "" };
    folder = join(root, "folder");
    mkdirSync(folder);
    for (const [name, content] of Object.entries(repo.files)) writeFileSync(join(folder, name), content);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("downloads into the hub cache and fills as the same files in a folder do; offline, the cache answers alone", async () => {
    const online = await glm(["fill", "--model", REPO, ...DECODING, ...TEXTS], { env });
    expect(online.code, online.output).toBe(0);
    expect(online.stderr).toMatch(/glm: downloading THUDM\/glm-tiny-bert\/pytorch_model\.bin/);
    const filled = parse(online.stdout);
    expect(filled.map((f) => f.input)).toEqual(TEXTS);
    filled.forEach((f, i) => {
      expect(f.text).not.toContain("[MASK]");
      expect(f.blanks).toHaveLength(i === 0 ? 1 : 2);
      for (const b of f.blanks) {
        expect(b.ids.length).toBeGreaterThanOrEqual(2);
        expect(b.ids.length).toBeLessThanOrEqual(5);
      }
    });

    // Python's huggingface_hub layout: refs/main names the commit, snapshots/<commit>/ holds the files.
    const cached = join(root, "cache", "models--THUDM--glm-tiny-bert");
    const commit = readFileSync(join(cached, "refs", "main"), "utf8").trim();
    expect(commit).toBe(server.commits[REPO]);
    const snapshot = readdirSync(join(cached, "snapshots", commit)).sort();
    expect(snapshot).toEqual(expect.arrayContaining(["config.json", "pytorch_model.bin", "tokenizer_config.json", "vocab.txt"]));
    expect(existsSync(join(cached, "blobs", server.etags[`${REPO}/pytorch_model.bin`]!))).toBe(true);

    // The same repository's files in a folder fill identically (the hub route changes nothing).
    const local = await glm(["fill", "--model", folder, ...DECODING, ...TEXTS], { env });
    expect(local.code, local.output).toBe(0);
    expect(local.stdout).toBe(online.stdout);

    const before = server.requests.length;
    const offline = await glm(["fill", "--model", REPO, ...DECODING, ...TEXTS], { env: { ...env, HF_HUB_OFFLINE: "1" } });
    expect(offline.code, offline.output).toBe(0);
    expect(offline.stdout).toBe(online.stdout);
    expect(offline.stderr).not.toMatch(/downloading/);
    expect(server.requests.length).toBe(before);
  });

  it("a hub id that does not exist, or a missing path, says so", async () => {
    const missing = await glm(["fill", "--model", "THUDM/no-such-model", ...DECODING, TEXTS[0]!], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/THUDM\/no-such-model/);
    expect(missing.stderr).toMatch(/not found|does not exist|no such/i);
    const path = await glm(["fill", "--model", join(root, "nowhere", "model"), ...DECODING, TEXTS[0]!], { env });
    expect(path.code).not.toBe(0);
    expect(path.stderr).toMatch(/no such file or folder \(nor a hub id/);
  });
});
