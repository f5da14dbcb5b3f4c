import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { GLMConfigError, estimateFlopsPerToken, parameterCount, parseConfigJson, validateConfig } from "./glm-config.js";
import { glmPresets, presetConfig } from "./presets.js";

const shape = { num_layers: 2, hidden_size: 64, num_attention_heads: 4, vocab_size: 1000, max_sequence_length: 64 };

describe("validateConfig", () => {
  it("fills the hub defaults (tanh GELU, eps 1e-5, block positions on)", () => {
    const c = validateConfig(shape);
    expect(c.hidden_act).toBe("gelu_new");
    expect(c.layernorm_epsilon).toBe(1e-5);
    expect(c.block_position_encoding).toBe(true);
    expect(c.intermediate_size).toBeUndefined();
    expect(validateConfig({ ...shape, intermediate_size: 256 }).intermediate_size).toBe(256);
    // A preset spread with another width stays valid.
    expect(validateConfig({ ...glmPresets.tiny, hidden_size: 256, num_attention_heads: 8 }).hidden_size).toBe(256);
    expect(c.model_type).toBe("glm");
  });

  it("maps GELU names to the tanh or erf form", () => {
    expect(validateConfig({ ...shape, hidden_act: "gelu" }).hidden_act).toBe("gelu");
    expect(validateConfig({ ...shape, hidden_act: "gelu_pytorch_tanh" }).hidden_act).toBe("gelu_new");
  });

  it("keeps unknown fields so a saved config round-trips", () => {
    expect(validateConfig({ ...shape, bad_words_id: [50009] }).bad_words_id).toEqual([50009]);
  });

  it("explains what is wrong, naming the source and the field", () => {
    expect(() => validateConfig({ ...shape, num_layers: undefined }, "m/config.json")).toThrow(/m\/config.json: field "num_layers" is missing/);
    expect(() => validateConfig({ ...shape, hidden_size: 66 })).toThrow(/"hidden_size" \(66\) must be divisible by num_attention_heads \(4\)/);
    expect(() => validateConfig({ ...shape, vocab_size: 1.5 })).toThrow(/"vocab_size" must be an integer >= 1, got 1.5/);
    expect(() => validateConfig({ ...shape, hidden_act: "relu" })).toThrow(/"hidden_act" must be "gelu_new"/);
    expect(() => validateConfig({ ...shape, intermediate_size: 100 })).toThrow(/"intermediate_size" must be 4 \* hidden_size = 256/);
    expect(() => validateConfig({ ...shape, model_type: "bert" })).toThrow(/"model_type" must be "glm"/);
    expect(() => validateConfig([1])).toThrow(/must be a JSON object/);
    expect(() => parseConfigJson("{", "x/config.json")).toThrow(/x\/config.json: not valid JSON/);
  });

  it("throws a GLMConfigError, a GlmjsError with code CONFIG_INVALID", () => {
    const err = (() => {
      try {
        validateConfig({ ...shape, hidden_size: 66 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GLMConfigError);
    expect((err as GLMConfigError).name).toBe("GLMConfigError");
    expect(GlmjsError.is(err, "CONFIG_INVALID")).toBe(true);
  });
});

describe("presets", () => {
  it("reproduce the released parameter counts (GLM.md §2.2)", () => {
    expect(parameterCount(glmPresets["glm-large"]) / 1e6).toBeCloseTo(334.7, 1);
    expect(parameterCount(glmPresets["glm-roberta-large"]) / 1e6).toBeCloseTo(354.9, 1);
    expect(parameterCount(glmPresets["glm-515m"]) / 1e6).toBeCloseTo(514.6, 1);
    expect(parameterCount(glmPresets["glm-10b"]) / 1e9).toBeCloseTo(9.881, 3);
    expect(parameterCount(glmPresets["glm-10b-chinese"]) / 1e9).toBeCloseTo(9.88, 2);
    expect(parameterCount(glmPresets["glm-base"]) / 1e6).toBeCloseTo(109.3, 1);
  });

  it("has the local training shapes", () => {
    expect([glmPresets.tiny.num_layers, glmPresets.tiny.hidden_size, glmPresets.tiny.num_attention_heads]).toEqual([2, 128, 4]);
    expect([glmPresets.small.num_layers, glmPresets.small.hidden_size, glmPresets.small.num_attention_heads]).toEqual([6, 256, 8]);
    expect([glmPresets.base.num_layers, glmPresets.base.hidden_size, glmPresets.base.num_attention_heads]).toEqual([12, 768, 12]);
    expect(presetConfig("tiny", { vocab_size: 30526 }).vocab_size).toBe(30526);
    expect(() => presetConfig("huge")).toThrow(
      expect.objectContaining({ code: "PRESET_UNKNOWN", message: expect.stringMatching(/unknown GLM preset "huge"; known presets: glm-base/) }),
    );
  });

  it("estimates FLOPs per token like the PyTorch baseline (training = 3x forward)", () => {
    const c = glmPresets.tiny;
    const fwd = 2 * (12 * 2 * 128 * 128 + 30592 * 128) + 4 * 2 * 128 * 128;
    expect(estimateFlopsPerToken(c, 128)).toBe(fwd);
    expect(estimateFlopsPerToken(c, 128, { training: true })).toBe(3 * fwd);
  });
});
