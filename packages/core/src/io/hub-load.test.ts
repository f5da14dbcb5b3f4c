// loadModel by hub id against a local hub (HF_ENDPOINT) serving the glm-tiny-a fixture's weights
// the ways the released repositories hold them: safetensors, pytorch_model.bin with the `glm.`
// prefix in float16, sharded with the `module.` prefix. Each loads and reproduces the original
// GLM's logits; the cache is used for the second load; offline and gated repositories behave.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatShardIndex, planSafetensorsShards, readSafetensors, writePytorchBin, writeSafetensors, type CheckpointTensor } from "@glmjs/checkpoint";
import type { HubProgress } from "@glmjs/hub";
import { fixtureDir, startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GLMModel } from "../model/glm-model.js";
import { tf } from "../tfjs.js";
import { loadModel } from "./load-model.js";

const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

describe.skipIf(!fixture)("loadModel(hub id) against a local hub", { timeout: 120_000 }, () => {
  let server: HubServer;
  let cacheDir: string;
  const env: Record<string, string | undefined> = {};
  const read = (name: string) => new Uint8Array(readFileSync(join(fixture!, name)));
  const inputs = () =>
    JSON.parse(readFileSync(join(fixture!, "inputs.json"), "utf8")) as { input_ids: number[][]; position_ids: number[][][]; attention_mask: number[] };
  const expected = () => readSafetensors(read("outputs.safetensors"), "outputs.safetensors").tensors.get("logits")!.data as Float32Array;

  /** Largest |difference| between the model's logits on the fixture inputs and the original's. */
  function logitsError(model: GLMModel): number {
    const x = inputs();
    const { logits } = model.forward({ inputIds: x.input_ids, positionIds: x.position_ids, sep: x.attention_mask });
    const got = logits.dataSync() as Float32Array;
    logits.dispose();
    const want = expected();
    expect(got.length).toBe(want.length);
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
    return err;
  }

  beforeAll(async () => {
    const config = readFileSync(join(fixture!, "config.json"), "utf8");
    const { tensors } = readSafetensors(read("model.safetensors"), "model.safetensors");
    const renamed = (prefix: string, dtype?: "F16") =>
      new Map([...tensors].map(([k, t]): [string, CheckpointTensor] => [prefix + k, dtype ? { ...t, dtype } : t]));
    const plan = planSafetensorsShards(renamed("module."), 40_000);
    server = await startHubServer({
      "THUDM/glm-tiny-a": { files: { "config.json": config, "model.safetensors": read("model.safetensors") } },
      "THUDM/glm-tiny-a-bin": { files: { "config.json": config, "pytorch_model.bin": writePytorchBin(renamed("glm.", "F16")) } },
      "THUDM/glm-tiny-a-sharded": {
        files: {
          "config.json": config,
          [plan.indexName]: formatShardIndex(plan.index),
          ...Object.fromEntries(plan.shards.map((s) => [s.fileName, writeSafetensors(s.tensors)])),
        },
      },
      "THUDM/glm-tiny-a-gated": { files: { "config.json": config, "model.safetensors": read("model.safetensors") }, token: "hf_tiny" },
    });
    cacheDir = mkdtempSync(join(tmpdir(), "glmjs-core-hub-"));
    for (const k of ["HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_TOKEN", "HF_TOKEN_PATH"]) env[k] = process.env[k];
    process.env.HF_ENDPOINT = server.url;
    process.env.HF_HUB_CACHE = cacheDir;
    process.env.HF_TOKEN_PATH = join(cacheDir, "no-token-file");
    delete process.env.HF_HUB_OFFLINE;
    delete process.env.HF_TOKEN;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("loads each layout the released repositories use and reproduces the original GLM's logits", async () => {
    const tolerance = { "THUDM/glm-tiny-a": 1e-4, "THUDM/glm-tiny-a-sharded": 1e-4, "THUDM/glm-tiny-a-bin": 0.05 }; // float16 weights round
    for (const [id, tol] of Object.entries(tolerance)) {
      const before = tf.memory().numTensors;
      const model = await loadModel(id);
      expect(logitsError(model), id).toBeLessThan(tol);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    // The float16 file is really float16 (the error is rounding, not a wrong tensor), and exact loads are exact.
    const exact = await loadModel("THUDM/glm-tiny-a-sharded");
    const half = await loadModel("THUDM/glm-tiny-a-bin");
    expect(logitsError(half)).toBeGreaterThan(logitsError(exact));
    exact.dispose();
    half.dispose();
  });

  it("a second load reads the cache and makes no request; HF_HUB_OFFLINE=1 loads it with the hub gone quiet", async () => {
    (await loadModel("THUDM/glm-tiny-a")).dispose();
    server.requests.length = 0;
    const again = await loadModel("THUDM/glm-tiny-a");
    expect(logitsError(again)).toBeLessThan(1e-4);
    again.dispose();
    process.env.HF_HUB_OFFLINE = "1";
    try {
      const offline = await loadModel("THUDM/glm-tiny-a-sharded");
      expect(logitsError(offline)).toBeLessThan(1e-4);
      offline.dispose();
      await expect(loadModel("THUDM/never-downloaded")).rejects.toMatchObject({ code: "HUB_OFFLINE" });
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    expect(server.requests).toEqual([]);
  });

  it("a revision by commit, progress for the weights, a gated repository with and without the token", async () => {
    const progress: HubProgress[] = [];
    const commit = server.commits["THUDM/glm-tiny-a-gated"]!;
    await expect(loadModel(`THUDM/glm-tiny-a-gated@${commit}`)).rejects.toMatchObject({ code: "HUB_UNAUTHORIZED" });
    const model = await loadModel(`THUDM/glm-tiny-a-gated@${commit}`, { token: "hf_tiny", onProgress: (p) => progress.push(p) });
    expect(logitsError(model)).toBeLessThan(1e-4);
    model.dispose();
    const weights = progress.filter((p) => p.file === "model.safetensors");
    expect(weights.at(-1)).toEqual({
      repo: "THUDM/glm-tiny-a-gated",
      file: "model.safetensors",
      loaded: read("model.safetensors").byteLength,
      total: read("model.safetensors").byteLength,
    });
  });

  it("a missing repository names the id and says no local folder has that name either", async () => {
    await expect(loadModel("THUDM/glm-nope")).rejects.toThrow(
      /THUDM\/glm-nope: config\.json: no such repository at .* \(and there is no local folder named THUDM\/glm-nope\)/,
    );
  });
});
