// Shapes of the released GLM models (GLM.md §2.2–2.3) and of small local-training configs.
import { GlmjsError } from "@glmjs/common";
import { type GLMConfig, type GLMConfigInput, validateConfig } from "./glm-config.js";

const BERT_VOCAB = 30592;
const GPT2_VOCAB = 50304;
const CHINESE_VOCAB = 50048;

function shape(
  num_layers: number,
  hidden_size: number,
  num_attention_heads: number,
  max_sequence_length: number,
  vocab_size: number,
  extra: Partial<GLMConfigInput> = {},
): GLMConfigInput {
  return { num_layers, hidden_size, num_attention_heads, max_sequence_length, vocab_size, ...extra };
}

/** The names of the presets: the released models' shapes, and three sizes for local training. */
export type GLMPresetName =
  | "glm-base"
  | "glm-large"
  | "glm-roberta-large"
  | "glm-410m"
  | "glm-515m"
  | "glm-2b"
  | "glm-10b"
  | "glm-large-chinese"
  | "glm-10b-chinese"
  | "tiny"
  | "small"
  | "base";

const PRESET_SHAPES: Record<GLMPresetName, GLMConfigInput> = {
  "glm-base": shape(12, 768, 12, 512, BERT_VOCAB),
  "glm-large": shape(24, 1024, 16, 512, BERT_VOCAB),
  "glm-roberta-large": shape(24, 1024, 16, 512, GPT2_VOCAB),
  "glm-410m": shape(30, 1024, 16, 512, BERT_VOCAB),
  "glm-515m": shape(30, 1152, 18, 512, BERT_VOCAB),
  "glm-2b": shape(36, 2048, 32, 1024, GPT2_VOCAB),
  "glm-10b": shape(48, 4096, 64, 1024, GPT2_VOCAB),
  "glm-large-chinese": shape(24, 1024, 16, 1024, CHINESE_VOCAB),
  "glm-10b-chinese": shape(48, 4096, 64, 1024, CHINESE_VOCAB, { bad_words_id: [50009] }),
  // Local training (BERT-sized vocabulary; position tables for sequences up to 512).
  tiny: shape(2, 128, 4, 512, BERT_VOCAB),
  small: shape(6, 256, 8, 512, BERT_VOCAB),
  base: shape(12, 768, 12, 512, BERT_VOCAB),
};

/** Every preset as a validated GLMConfig (a fresh copy per access). */
export const glmPresets: Readonly<Record<GLMPresetName, GLMConfig>> = Object.freeze(
  Object.fromEntries(Object.entries(PRESET_SHAPES).map(([name, s]) => [name, validateConfig(s, `preset "${name}"`)])) as Record<GLMPresetName, GLMConfig>,
);

/** A preset with optional overrides (e.g. a tokenizer's padded vocab size), validated. */
export function presetConfig(name: string, overrides: Partial<GLMConfig> = {}): GLMConfig {
  const base = (PRESET_SHAPES as Record<string, GLMConfigInput>)[name];
  if (!base) {
    throw new GlmjsError("PRESET_UNKNOWN", `unknown GLM preset "${name}"; known presets: ${Object.keys(PRESET_SHAPES).join(", ")}`);
  }
  return validateConfig({ ...base, ...overrides }, `preset "${name}"`);
}
