import { describe, expect, it } from "vitest";
import { assertTensorKeys, canonicalKeyMap, checkTensorKeys, normalizeCheckpointKey, normalizeTensorKeys } from "./keys.js";
import { CheckpointError } from "./types.js";
import type { CheckpointTensor, TensorMap } from "./types.js";

const t = (shape: number[]): CheckpointTensor => ({ dtype: "F32", shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

describe("checkpoint key names", () => {
  it("strips the glm. and module. prefixes", () => {
    expect(normalizeCheckpointKey("glm.word_embeddings.weight")).toBe("word_embeddings.weight");
    expect(normalizeCheckpointKey("module.transformer.final_layernorm.bias")).toBe("transformer.final_layernorm.bias");
    expect(normalizeCheckpointKey("module.glm.transformer.layers.0.mlp.dense_h_to_4h.weight")).toBe("transformer.layers.0.mlp.dense_h_to_4h.weight");
    expect(normalizeCheckpointKey("word_embeddings.weight")).toBe("word_embeddings.weight");
    expect(normalizeCheckpointKey("transformer.glm.x")).toBe("transformer.glm.x"); // only prefixes
    // The original code's cloze fine-tuning wrappers hold the GLM as `model`.
    expect(normalizeCheckpointKey("model.transformer.layers.1.attention.dense.bias")).toBe("transformer.layers.1.attention.dense.bias");
    expect(normalizeCheckpointKey("module.model.word_embeddings.weight")).toBe("word_embeddings.weight");
  });

  it("refuses two keys that mean the same tensor", () => {
    const m: TensorMap = new Map([
      ["glm.a.weight", t([1])],
      ["a.weight", t([1])],
    ]);
    expect(() => normalizeTensorKeys(m, "x.bin")).toThrow(
      'x.bin: tensor "a.weight": "glm.a.weight" and "a.weight" both mean "a.weight" once prefixes are stripped',
    );
    expect([...normalizeTensorKeys(new Map([["glm.a.weight", t([1])]]), "y.bin").keys()]).toEqual(["a.weight"]);
  });

  it("canonicalKeyMap maps canonical names to the file's keys, in order, with either prefix or both", () => {
    const keys = [
      "module.word_embeddings.weight",
      "glm.transformer.final_layernorm.weight",
      "module.glm.transformer.final_layernorm.bias",
      "transformer.position_embeddings.weight",
    ];
    expect([...canonicalKeyMap(keys, "m.bin")]).toEqual([
      ["word_embeddings.weight", "module.word_embeddings.weight"],
      ["transformer.final_layernorm.weight", "glm.transformer.final_layernorm.weight"],
      ["transformer.final_layernorm.bias", "module.glm.transformer.final_layernorm.bias"],
      ["transformer.position_embeddings.weight", "transformer.position_embeddings.weight"],
    ]);
    const clash = () => canonicalKeyMap(["module.a.weight", "glm.a.weight"], "m.bin");
    expect(clash).toThrow(CheckpointError);
    expect(clash).toThrow('m.bin: tensor "glm.a.weight": "module.a.weight" and "glm.a.weight" both mean "a.weight" once prefixes are stripped');
  });

  it("reports missing, unknown and mis-shaped tensors by name", () => {
    const m: TensorMap = new Map([
      ["a", t([2, 3])],
      ["b", t([4])],
      ["extra", t([1])],
    ]);
    const expected = new Map([
      ["a", [2, 3]],
      ["b", [5]],
      ["c", [1]],
    ]);
    expect(checkTensorKeys(m, expected)).toEqual({ missing: ["c"], unexpected: ["extra"], wrongShape: [{ key: "b", expected: [5], actual: [4] }] });
    expect(checkTensorKeys(m, ["a", "b", "extra"])).toEqual({ missing: [], unexpected: [], wrongShape: [] });
    expect(() => assertTensorKeys(m, expected, "w.safetensors")).toThrow(
      'w.safetensors: missing 1 tensor(s): "c"; 1 unknown tensor(s): "extra"; tensor "b" has shape [4], expected [5]',
    );
    expect(() => assertTensorKeys(m, ["a", "b", "extra"], "w.safetensors")).not.toThrow();
  });
});
