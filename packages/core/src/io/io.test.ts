import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { afterAll, describe, expect, it } from "vitest";
import { type CheckpointTensor, readPytorchBin, readSafetensors, writeSafetensors } from "@glmjs/checkpoint";
import { validateConfig } from "../config/glm-config.js";
import { GLMModel } from "../model/glm-model.js";
import { tf } from "../tfjs.js";
import { loadModel } from "./load-model.js";

const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
const torchAvailable = spawnSync("/usr/bin/python3", ["-c", "import torch"]).status === 0;
if (!torchAvailable)
  console.warn(
    "[glmjs tests] SKIPPING: /usr/bin/python3 cannot import torch (Debian: apt-get install python3-torch); the written pytorch_model.bin is not loaded with torch.load.",
  );
const work = mkdtempSync(join(tmpdir(), "glmjs-io-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const config = validateConfig({ num_layers: 2, hidden_size: 16, num_attention_heads: 2, vocab_size: 40, max_sequence_length: 12 });
const probe = { inputIds: [[1, 5, 7, 2, 3]], positionIds: [[0, 1, 2, 3, 3]], blockPositionIds: [[0, 0, 0, 0, 1]], sep: 4 };

function logitsOf(m: GLMModel): Float32Array {
  const { logits } = m.forward(probe);
  const d = logits.dataSync() as Float32Array;
  logits.dispose();
  return d;
}

function sameWeights(a: GLMModel, b: GLMModel): boolean {
  const bv = b.namedVariables();
  return [...a.namedVariables()].every(([k, v]) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, bv.get(k) as tf.Variable))).dataSync()[0]) === 0);
}

describe("save() and loadModel()", () => {
  const model = GLMModel.fromConfig(config, { seed: 12 });

  it("round-trips through glmjs's folder (config.json + model.safetensors with the config in its metadata)", async () => {
    const dir = join(work, "glmjs");
    await model.save(dir);
    expect(readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors"]);
    const meta = readSafetensors(readFileSync(join(dir, "model.safetensors")), "m").metadata;
    expect(JSON.parse(meta.glm_config).hidden_size).toBe(16);
    const back = await loadModel(dir);
    expect(sameWeights(model, back)).toBe(true);
    expect(back.config.hidden_size).toBe(16);
    // The weights file alone carries its config.
    const bytes = readFileSync(join(dir, "model.safetensors"));
    const fromBytes = await loadModel({ weights: bytes, fileName: "model.safetensors" });
    expect(logitsOf(fromBytes)).toEqual(logitsOf(model));
    back.dispose();
    fromBytes.dispose();
  });

  it("toFiles() holds in memory exactly the files save() writes, and they load back", async () => {
    const dir = join(work, "glmjs-files");
    await model.save(dir);
    const files = await model.toFiles();
    expect(Object.keys(files).sort()).toEqual(["config.json", "model.safetensors"]);
    expect(files["config.json"]).toBe(readFileSync(join(dir, "config.json"), "utf8"));
    expect(Buffer.from(files["model.safetensors"]).equals(readFileSync(join(dir, "model.safetensors")))).toBe(true);
    const back = await loadModel({ weights: files["model.safetensors"], config: JSON.parse(files["config.json"]) });
    expect(logitsOf(back)).toEqual(logitsOf(model));
    back.dispose();
  });

  it("writes a Hugging Face folder whose pytorch_model.bin holds the original key names", async () => {
    const dir = join(work, "hf");
    await model.save(dir, { format: "huggingface" });
    expect(readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors", "pytorch_model.bin"]);
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    expect(cfg.architectures).toEqual(["GLMModel"]);
    expect(cfg.model_type).toBe("glm");
    expect(cfg.auto_map.AutoModel).toMatch(/modeling_glm\.GLMModel$/);
    const bin = readPytorchBin(readFileSync(join(dir, "pytorch_model.bin")), "pytorch_model.bin");
    expect([...bin.keys()]).toEqual([...model.namedVariables().keys()]);
    const qkv = "transformer.layers.1.attention.query_key_value.weight";
    expect(bin.get(qkv)?.shape).toEqual([48, 16]);
    expect(Array.from(bin.get(qkv)?.data as Float32Array)).toEqual(Array.from(model.namedVariables().get(qkv)?.dataSync() as Float32Array));
    const back = await loadModel(join(dir, "pytorch_model.bin"));
    expect(sameWeights(model, back)).toBe(true);
    back.dispose();
  });

  it.skipIf(!torchAvailable)(
    "pytorch_model.bin loads with torch.load (weights_only)",
    async () => {
      const file = join(work, "hf", "pytorch_model.bin");
      const script = `import torch,sys\nsd=torch.load(sys.argv[1],map_location='cpu',weights_only=True)\nw=sd['word_embeddings.weight']\nprint(len(sd),list(w.shape),float(w[3,5]))`;
      const r = spawnSync("/usr/bin/python3", ["-c", script, file], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      const [count, shape, value] = r.stdout.trim().split(/ (?=\[)|(?<=\]) /);
      expect(Number(count)).toBe(model.namedVariables().size);
      expect(shape).toBe("[40, 16]");
      const w = model.namedVariables().get("word_embeddings.weight")?.dataSync() as Float32Array;
      expect(Number(value)).toBeCloseTo(w[3 * 16 + 5], 7);
    },
    60_000,
  );

  it("writes and reads sharded safetensors (model.safetensors.index.json)", async () => {
    const dir = join(work, "sharded");
    await model.save(dir, { maxShardBytes: 4096 });
    const files = readdirSync(dir);
    expect(files).toContain("model.safetensors.index.json");
    expect(files.filter((f) => /^model-\d+-of-\d+\.safetensors$/.test(f)).length).toBeGreaterThan(1);
    const back = await loadModel(dir);
    expect(sameWeights(model, back)).toBe(true);
    back.dispose();
  });

  it("bad input is an error naming the file and the problem; the process stays up", async () => {
    const dir = join(work, "bad");
    await model.save(dir);
    const bytes = readFileSync(join(dir, "model.safetensors"));
    writeFileSync(join(dir, "model.safetensors"), bytes.subarray(0, bytes.length - 100));
    await expect(loadModel(dir)).rejects.toThrow(/model.safetensors/);
    // A config that disagrees with the weights: the key and both shapes are named.
    writeFileSync(join(dir, "model.safetensors"), bytes);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ ...config, hidden_size: 32, intermediate_size: 128 }));
    await expect(loadModel(dir)).rejects.toThrow(/key "word_embeddings.weight" has shape \[40, 16\], the config needs \[40, 32\]/);
    writeFileSync(join(dir, "config.json"), "{ not json");
    await expect(loadModel(dir)).rejects.toThrow(/config.json: not valid JSON/);
    await expect(loadModel(join(work, "nowhere"))).rejects.toThrow(
      expect.objectContaining({ code: "FILE_NOT_FOUND", message: expect.stringMatching(/nowhere does not exist/) }),
    );
    await expect(loadModel({ weights: new Uint8Array(bytes.subarray(0, 8)), fileName: "short.safetensors", config })).rejects.toThrow(/short.safetensors/);
  });

  it("loads checkpoints whose keys carry the module. (DataParallel/DeepSpeed) or glm. (HF task classes) prefix", async () => {
    const tensors = new Map<string, CheckpointTensor>();
    for (const [name, v] of model.namedVariables()) tensors.set(name, { dtype: "F32", shape: [...v.shape], data: v.dataSync() as Float32Array });
    for (const prefix of ["module.", "glm.", "module.glm."]) {
      const dir = join(work, `prefix-${prefix}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "config.json"), JSON.stringify(config));
      const prefixed = new Map([...tensors].map(([k, t]) => [prefix + k, t]));
      writeFileSync(join(dir, "model.safetensors"), writeSafetensors(prefixed));
      const back = await loadModel(dir);
      expect(sameWeights(model, back), prefix).toBe(true);
      back.dispose();
    }
    // The same tensor under two spellings is refused, naming both keys.
    const dir = join(work, "prefix-clash");
    mkdirSync(dir, { recursive: true });
    const clash = new Map([...tensors, ["module.word_embeddings.weight", tensors.get("word_embeddings.weight")!]]);
    writeFileSync(join(dir, "model.safetensors"), writeSafetensors(clash));
    await expect(loadModel({ weights: readFileSync(join(dir, "model.safetensors")), fileName: "clash.safetensors", config })).rejects.toThrow(
      /clash\.safetensors: tensor "[^"]+": "(module\.)?word_embeddings\.weight" and "(module\.)?word_embeddings\.weight" both mean "word_embeddings\.weight" once prefixes are stripped/,
    );
  });

  it("a failed save leaves no temporary or half-written file", async () => {
    const dir = join(work, "blocked");
    await model.save(dir);
    const before = readFileSync(join(dir, "model.safetensors"));
    // A folder where config.json should go makes the last rename fail.
    rmSync(join(dir, "config.json"));
    await import("node:fs/promises").then((fs) => fs.mkdir(join(dir, "config.json")));
    await expect(model.save(dir)).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readFileSync(join(dir, "model.safetensors")).equals(before)).toBe(true);
  });
});

describe.skipIf(!fixture)("loadModel on the reference fixture", () => {
  it("loads the folder, the .bin with config.json beside it, and bare safetensors via its metadata, identically", async () => {
    const dir = fixture as string;
    const fromDir = await loadModel(dir);
    const fromBin = await loadModel(join(dir, "pytorch_model.bin"));
    const lone = join(work, "lone");
    await import("node:fs/promises").then((fs) => fs.mkdir(lone, { recursive: true }));
    copyFileSync(join(dir, "model.safetensors"), join(lone, "model.safetensors"));
    expect(existsSync(join(lone, "config.json"))).toBe(false);
    const fromMeta = await loadModel(join(lone, "model.safetensors"));
    expect(sameWeights(fromDir, fromBin)).toBe(true);
    expect(sameWeights(fromDir, fromMeta)).toBe(true);
    expect(fromMeta.config.num_layers).toBe(fromDir.config.num_layers);
    for (const m of [fromDir, fromBin, fromMeta]) m.dispose();
  });
});
