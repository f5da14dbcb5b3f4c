// loadGLM(hub id) + fill() against a local hub (HF_ENDPOINT): a repository laid out as the released
// BERT-vocabulary GLMs are (config.json, pytorch_model.bin with `glm.` keys, tokenizer_config.json
// naming GLMBertTokenizer, the real vocab.txt), with the glm-tiny-a fixture's weights (its
// embedding rows repeated up to the tokenizer's padded vocabulary).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors, tf, writePytorchBin, type CheckpointTensor } from "@glmjs/core";
import { fixtureDir, sharedPath, startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fill } from "../generation/fill.js";
import { loadGLM } from "./node.js";

const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
const vocab = sharedPath("vocab", "bert-base-uncased-vocab.txt");
const BERT_PADDED_VOCAB = 30592; // 30524 ids in use, rounded up to a multiple of 128 (GLM.md §3.1)

/** The repository's files, built from the fixture and the real vocabulary at test time. */
function repoFiles(): Record<string, string | Uint8Array> {
  const { tensors } = readSafetensors(new Uint8Array(readFileSync(join(fixture!, "model.safetensors"))), "model.safetensors");
  const config = JSON.parse(readFileSync(join(fixture!, "config.json"), "utf8")) as Record<string, unknown>;
  const word = tensors.get("word_embeddings.weight")!;
  const [rows, hidden] = word.shape as [number, number];
  const tiled = new Float32Array(BERT_PADDED_VOCAB * hidden);
  for (let r = 0; r < BERT_PADDED_VOCAB; r++) tiled.set((word.data as Float32Array).subarray((r % rows) * hidden, ((r % rows) + 1) * hidden), r * hidden);
  const prefixed = new Map<string, CheckpointTensor>(
    [...tensors].map(([k, t]) => [`glm.${k}`, k === "word_embeddings.weight" ? { dtype: "F32", shape: [BERT_PADDED_VOCAB, hidden], data: tiled } : t]),
  );
  return {
    "config.json": JSON.stringify({ ...config, vocab_size: BERT_PADDED_VOCAB }),
    "pytorch_model.bin": writePytorchBin(prefixed),
    "tokenizer_config.json": JSON.stringify({ tokenizer_class: "GLMBertTokenizer" }),
    "vocab.txt": readFileSync(vocab!, "utf8"),
  };
}

describe.skipIf(!fixture || !vocab)("loadGLM(hub id) against a local hub", { timeout: 180_000 }, () => {
  let server: HubServer;
  let root: string;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "glmjs-tasks-hub-"));
    const files = repoFiles();
    server = await startHubServer({ "THUDM/glm-tiny-bert": { files } });
    // The same files in a local folder, the reference for what the hub load must give.
    mkdirSync(join(root, "local"));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, "local", name), content);
    for (const k of ["HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_TOKEN_PATH"]) saved[k] = process.env[k];
    process.env.HF_ENDPOINT = server.url;
    process.env.HF_HUB_CACHE = join(root, "cache");
    process.env.HF_TOKEN_PATH = join(root, "no-token-file");
    delete process.env.HF_HUB_OFFLINE;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("fills a blank as the same model loaded from a folder, and loads again offline without a request", async () => {
    const text = "The cat [MASK] on the mat.";
    const local = await loadGLM(join(root, "local"));
    const expected = await fill(local.model, local.tokenizer, text, { maxNewTokens: 4 });
    local.dispose();
    const before = tf.memory().numTensors;
    const fromHub = await loadGLM("THUDM/glm-tiny-bert");
    expect(fromHub.specialIds.sop).toBe(30522);
    expect(fromHub.specialIds.eop).toBe(30523);
    const got = await fill(fromHub.model, fromHub.tokenizer, text, { maxNewTokens: 4 });
    expect(got).toEqual(expected);
    fromHub.dispose();
    expect(tf.memory().numTensors).toBe(before);
    server.requests.length = 0;
    process.env.HF_HUB_OFFLINE = "1";
    try {
      const offline = await loadGLM("THUDM/glm-tiny-bert");
      expect(await fill(offline.model, offline.tokenizer, text, { maxNewTokens: 4 })).toEqual(expected);
      offline.dispose();
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    expect(server.requests).toEqual([]);
  });
});
