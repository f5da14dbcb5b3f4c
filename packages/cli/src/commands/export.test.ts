// `glm export` against a local hub (HF_ENDPOINT): a hub id to the original GLM's training layout,
// that folder to a Hugging Face folder, that to safetensors; every step keeps the weights exactly.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCheckpoint } from "@glmjs/core/node";
import type { TensorMap } from "@glmjs/core";
import { startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glm } from "../test/glm.test-helper.js";
import { bertVocab, fixtureHubRepo, hubFixture } from "../test/hub-repo.test-helper.js";

function expectSameWeights(actual: TensorMap, expected: TensorMap): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, t] of expected) {
    expect(actual.get(k)!.shape, k).toEqual(t.shape);
    expect(
      Buffer.from((actual.get(k)!.data as Float32Array).buffer, (actual.get(k)!.data as Float32Array).byteOffset, t.data.length * 4).equals(
        Buffer.from((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, t.data.length * 4),
      ),
      k,
    ).toBe(true);
  }
}

describe.skipIf(!hubFixture || !bertVocab)("glm export", { timeout: 300_000 }, () => {
  let server: HubServer;
  let root: string;
  let env: NodeJS.ProcessEnv;
  let tensors: TensorMap;
  beforeAll(async () => {
    const repo = fixtureHubRepo();
    tensors = repo.tensors;
    server = await startHubServer({ "THUDM/glm-tiny-bert": { files: repo.files } });
    root = mkdtempSync(join(tmpdir(), "glmjs-cli-export-"));
    env = { ...process.env, HF_ENDPOINT: server.url, HF_HUB_CACHE: join(root, "cache"), HF_TOKEN_PATH: join(root, "no-token"), HF_HUB_OFFLINE: "" };
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("hub id → original (mp 2) → Hugging Face → safetensors, the weights identical at every step", async () => {
    const original = join(root, "original");
    const a = await glm(["export", "--model", "THUDM/glm-tiny-bert", "--format", "original", "--model-parallel", "2", "--iteration", "5", "--out", original], {
      env,
    });
    expect(a.code, a.output).toBe(0);
    expect(a.stderr).toMatch(/glm: downloading THUDM\/glm-tiny-bert\/pytorch_model\.bin/);
    expect(a.stdout).toMatch(/wrote the original GLM's training checkpoint \(2 layers × 64 \(float32\), iteration 5, 2 model-parallel ranks\)/);
    expect(a.stdout).toContain(
      "--block-lm --num-layers 2 --hidden-size 64 --num-attention-heads 4 --max-position-embeddings 64 --model-parallel-size 2 --tokenizer-type BertWordPieceTokenizer --tokenizer-model-type bert-large-uncased",
    );
    expect(readdirSync(join(original, "5")).sort()).toEqual(["mp_rank_00_model_states.pt", "mp_rank_01_model_states.pt"]);
    expect(readFileSync(join(original, "latest_checkpointed_iteration.txt"), "utf8")).toBe("5");
    expect(existsSync(join(original, "vocab.txt"))).toBe(true);
    expectSameWeights((await readCheckpoint(original)).tensors, tensors);

    const hf = join(root, "hf");
    const b = await glm(["export", "--model", original, "--format", "huggingface", "--out", hf], { env });
    expect(b.code, b.output).toBe(0);
    expect(readdirSync(hf).sort()).toEqual(["config.json", "model.safetensors", "pytorch_model.bin", "tokenizer_config.json", "vocab.txt"]);
    expectSameWeights((await readCheckpoint(join(hf, "pytorch_model.bin"))).tensors, tensors);

    const st = join(root, "st");
    const c = await glm(["export", "--model", hf, "--format", "safetensors", "--out", st], { env });
    expect(c.code, c.output).toBe(0);
    expectSameWeights((await readCheckpoint(st)).tensors, tensors);
  });

  it("refuses flags that do not fit the format, and a checkpoint without config.json needs --num-attention-heads", async () => {
    const wrong = await glm(["export", "--model", "THUDM/glm-tiny-bert", "--format", "huggingface", "--model-parallel", "2", "--out", join(root, "x")], {
      env,
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/--model-parallel and --iteration apply to --format original only/);
    const original = join(root, "no-config");
    expect((await glm(["export", "--model", "THUDM/glm-tiny-bert", "--format", "original", "--out", original, "--no-tokenizer"], { env })).code).toBe(0);
    rmSync(join(original, "config.json"));
    const bare = await glm(["export", "--model", original, "--format", "safetensors", "--out", join(root, "y")], { env });
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(/not the number of attention heads: pass \{ config: \{ num_attention_heads \} \} \(glm: --num-attention-heads/);
    const ok = await glm(["export", "--model", original, "--format", "safetensors", "--num-attention-heads", "4", "--out", join(root, "y")], { env });
    expect(ok.code, ok.output).toBe(0);
    expectSameWeights((await readCheckpoint(join(root, "y"))).tensors, tensors);
  });
});
