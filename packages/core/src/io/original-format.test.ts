// model.save({ format: "original" }) and loadModel on the result: the original GLM's training
// checkpoint layout round-trips at model-parallel sizes 1, 2 and 4, without a config.json too.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPytorchBin, readSafetensors } from "@glmjs/checkpoint";
import { fixtureDir } from "@glmjs/test-utils";
import { afterAll, describe, expect, it } from "vitest";
import { validateConfig } from "../config/glm-config.js";
import { GLMModel } from "../model/glm-model.js";
import { tf } from "../tfjs.js";
import { loadModel } from "./load-model.js";

const work = mkdtempSync(join(tmpdir(), "glmjs-original-io-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

function weights(m: GLMModel): Map<string, number[]> {
  return new Map([...m.namedVariables()].map(([k, v]) => [k, Array.from(v.dataSync() as Float32Array)]));
}

describe('save({ format: "original" }) → loadModel', () => {
  // vocab 256 and hidden 32 divide by 4; 3 layers.
  const config = validateConfig({ num_layers: 3, hidden_size: 32, num_attention_heads: 4, vocab_size: 256, max_sequence_length: 16 });
  const model = GLMModel.fromConfig(config, { seed: 5 });

  for (const mp of [1, 2, 4]) {
    it(`mp ${mp}: the original's layout, loaded back with identical weights`, async () => {
      const dir = join(work, `mp${mp}`);
      await model.save(dir, { format: "original", modelParallel: mp, iteration: 300 });
      expect(readdirSync(dir).sort()).toEqual(["300", "config.json", "latest", "latest_checkpointed_iteration.txt"]);
      expect(readdirSync(join(dir, "300")).sort()).toEqual(Array.from({ length: mp }, (_, r) => `mp_rank_${String(r).padStart(2, "0")}_model_states.pt`));
      expect(readFileSync(join(dir, "latest_checkpointed_iteration.txt"), "utf8")).toBe("300");
      // Rank 0's word embeddings are its row range (GLM.md §2.1b).
      const rank0 = readPytorchBin(new Uint8Array(readFileSync(join(dir, "300", "mp_rank_00_model_states.pt"))), "rank0");
      expect(rank0.get("word_embeddings.weight")!.shape).toEqual([256 / mp, 32]);
      expect(rank0.get("transformer.layers.0.attention.dense.weight")!.shape).toEqual([32, 32 / mp]);
      const before = tf.memory().numTensors;
      const back = await loadModel(dir);
      expect(back.config.num_layers).toBe(3);
      expect(weights(back)).toEqual(weights(model));
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("without config.json (as the original code saves) the shapes give the sizes and num_attention_heads must be passed", async () => {
    const dir = join(work, "no-config");
    await model.save(dir, { format: "original", modelParallel: 2 });
    rmSync(join(dir, "config.json"));
    await expect(loadModel(dir)).rejects.toThrow(
      /no config\.json beside the weights\. The shapes give num_layers 3, hidden_size 32, vocab_size 256, max_sequence_length 16, but not the number of attention heads: pass \{ config: \{ num_attention_heads \} \}/,
    );
    const back = await loadModel(dir, { config: { num_attention_heads: 4 } });
    expect(weights(back)).toEqual(weights(model));
    back.dispose();
    // One rank file of several is not a model: its folder is.
    await expect(loadModel(join(dir, "0", "mp_rank_01_model_states.pt"), { config: { num_attention_heads: 4 } })).rejects.toThrow(
      /mp_rank_01_model_states\.pt: is one of 2 model-parallel ranks of a training checkpoint \(mp_world_size 2\): load its folder/,
    );
    // The iteration folder alone loads too (config.json is looked for above it).
    await model.save(join(work, "with-config"), { format: "original", iteration: 7 });
    const fromIteration = await loadModel(join(work, "with-config", "7"));
    expect(weights(fromIteration)).toEqual(weights(model));
    fromIteration.dispose();
  });

  it("float16 weights are half the size and round to nearest; options that do not fit the format are refused", async () => {
    const dir = join(work, "half");
    await model.save(dir, { format: "huggingface", dtype: "float16" });
    const st = readSafetensors(new Uint8Array(readFileSync(join(dir, "model.safetensors"))), "m");
    expect(st.tensors.get("word_embeddings.weight")!.dtype).toBe("F16");
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).torch_dtype).toBe("float16");
    const back = await loadModel(dir);
    const a = weights(model).get("word_embeddings.weight")!;
    const b = weights(back).get("word_embeddings.weight")!;
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.max(Math.abs(x), 1e-3)))).toBeLessThan(1e-3);
    back.dispose();
    await expect(model.save(join(work, "x"), { iteration: 3 })).rejects.toThrow(/modelParallel and iteration apply to format "original" only/);
    await expect(model.save(join(work, "x"), { format: "original", maxShardBytes: 10 })).rejects.toThrow(/maxShardBytes does not apply/);
    await expect(model.save(join(work, "x"), { format: "original", modelParallel: 3 })).rejects.toThrow(
      /first dimension 256 is not divisible by the model-parallel size 3/,
    );
    expect(existsSync(join(work, "x", "config.json"))).toBe(false);
  });
});

describe.skipIf(!fixture)("the fixture model through the original layout", () => {
  it("exported at mp 2 and loaded back, it holds the fixture's weights bit for bit", async () => {
    const model = await loadModel(fixture!);
    const dir = join(work, "fixture-mp2");
    await model.save(dir, { format: "original", modelParallel: 2, iteration: 1 });
    const back = await loadModel(dir);
    expect(weights(back)).toEqual(weights(model));
    model.dispose();
    back.dispose();
  });
});
