// GLMConfig: the fields of the Hugging Face GLM config.json (GLM.md §2.3), validated.
import { GlmjsError } from "@glmjs/common";

/** GELU forms: the original code uses the tanh approximation, the HF port the exact erf form (GLM.md §1.7). */
export type GLMActivation = "gelu_new" | "gelu";

/** A GLM configuration with the Hugging Face `config.json` field names. */
export interface GLMConfig {
  model_type: "glm";
  architectures: string[];
  num_layers: number;
  vocab_size: number;
  hidden_size: number;
  num_attention_heads: number;
  max_sequence_length: number;
  /** 2D positional encoding (block position embeddings). Every released model has it. */
  block_position_encoding: boolean;
  /** Compute logits (tied to the word embeddings). */
  output_predict: boolean;
  /** Not in the hub configs (hard-wired 1e-5 there); kept for configs that carry it. */
  layernorm_epsilon: number;
  /** "gelu_new" = tanh approximation (original), "gelu" = exact erf (HF port). */
  hidden_act: GLMActivation;
  /**
   * Always 4·hidden_size in GLM (no hub config has it); validated when present, and not filled in,
   * so a preset can be spread with another hidden_size.
   */
  intermediate_size?: number;
  embedding_dropout_prob: number;
  attention_dropout_prob: number;
  output_dropout_prob: number;
  initializer_range: number;
  /** 0 = unlimited; otherwise incremental decoding keeps the last max_memory_length positions. */
  max_memory_length: number;
  attention_scale: number;
  relative_encoding: boolean;
  checkpoint_activations: boolean;
  checkpoint_num_layers: number;
  parallel_output: boolean;
  spell_length: number | null;
  spell_func: string;
  pool_token: string;
  torch_dtype: string;
  /** Any other fields of the source config.json, kept so a saved config round-trips. */
  [extra: string]: unknown;
}

/** What callers may pass: the shape fields are required, everything else has the hub default. */
export type GLMConfigInput = Partial<GLMConfig> & Pick<GLMConfig, "num_layers" | "vocab_size" | "hidden_size" | "num_attention_heads" | "max_sequence_length">;

const DEFAULTS = {
  model_type: "glm",
  architectures: ["GLMModel"],
  block_position_encoding: true,
  output_predict: true,
  layernorm_epsilon: 1e-5,
  hidden_act: "gelu_new",
  embedding_dropout_prob: 0.1,
  attention_dropout_prob: 0.1,
  output_dropout_prob: 0.1,
  initializer_range: 0.02,
  max_memory_length: 0,
  attention_scale: 1.0,
  relative_encoding: false,
  checkpoint_activations: false,
  checkpoint_num_layers: 1,
  parallel_output: true,
  spell_length: null,
  spell_func: "lstm",
  pool_token: "cls",
  torch_dtype: "float32",
} as const;

const ACTIVATION_ALIASES: Record<string, GLMActivation> = {
  gelu_new: "gelu_new",
  gelu_tanh: "gelu_new",
  gelu_pytorch_tanh: "gelu_new",
  gelu_fast: "gelu_new",
  tanh: "gelu_new",
  gelu: "gelu",
  gelu_erf: "gelu",
  erf: "gelu",
};

/** Thrown for an invalid configuration (code "CONFIG_INVALID"); the message names the source and the field. */
export class GLMConfigError extends GlmjsError {
  constructor(message: string) {
    super("CONFIG_INVALID", message);
    this.name = "GLMConfigError";
  }
}

/**
 * Validates a configuration (e.g. a parsed config.json) and fills the hub defaults.
 * `source` names where it came from (a file path) for the error messages.
 */
export function validateConfig(raw: unknown, source = "config"): GLMConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new GLMConfigError(`${source}: a GLM config must be a JSON object, got ${describe(raw)}`);
  }
  const input = raw as Record<string, unknown>;
  const fail = (field: string, problem: string): never => {
    throw new GLMConfigError(`${source}: field "${field}" ${problem}`);
  };
  const int = (field: string, min: number): number => {
    const v = input[field];
    if (v === undefined) return fail(field, "is missing (a GLM config needs num_layers, vocab_size, hidden_size, num_attention_heads, max_sequence_length)");
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) fail(field, `must be an integer >= ${min}, got ${describe(v)}`);
    return v as number;
  };
  const num = (field: string, dflt: number, min: number, max = Infinity): number => {
    const v = input[field] ?? dflt;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) fail(field, `must be a number in [${min}, ${max}], got ${describe(v)}`);
    return v as number;
  };
  const bool = (field: string, dflt: boolean): boolean => {
    const v = input[field] ?? dflt;
    if (typeof v !== "boolean") fail(field, `must be true or false, got ${describe(v)}`);
    return v as boolean;
  };

  if (input.model_type !== undefined && input.model_type !== "glm") {
    fail("model_type", `must be "glm", got ${describe(input.model_type)} (this is not a GLM config)`);
  }
  const num_layers = int("num_layers", 1);
  const vocab_size = int("vocab_size", 1);
  const hidden_size = int("hidden_size", 1);
  const num_attention_heads = int("num_attention_heads", 1);
  const max_sequence_length = int("max_sequence_length", 1);
  if (hidden_size % num_attention_heads !== 0) {
    fail("hidden_size", `(${hidden_size}) must be divisible by num_attention_heads (${num_attention_heads})`);
  }
  const actRaw = input.hidden_act ?? DEFAULTS.hidden_act;
  const hidden_act = typeof actRaw === "string" ? ACTIVATION_ALIASES[actRaw] : undefined;
  if (!hidden_act) fail("hidden_act", `must be "gelu_new" (tanh, original) or "gelu" (erf, HF port), got ${describe(actRaw)}`);
  const intermediate_size = input.intermediate_size;
  if (intermediate_size !== undefined && intermediate_size !== 4 * hidden_size) {
    fail("intermediate_size", `must be 4 * hidden_size = ${4 * hidden_size} (GLM hard-wires it), got ${describe(intermediate_size)}`);
  }
  const attention_scale = num("attention_scale", DEFAULTS.attention_scale, 0);
  if (attention_scale !== 1) fail("attention_scale", `other than 1.0 is not supported (no released GLM uses it), got ${attention_scale}`);
  if (input.relative_encoding === true) fail("relative_encoding", "true (Transformer-XL relative attention) is not supported");
  if (input.spell_length !== undefined && input.spell_length !== null && input.spell_length !== 0) {
    fail("spell_length", "is set: P-tuning prompt encoders are not supported");
  }

  return {
    ...input,
    model_type: "glm",
    architectures: Array.isArray(input.architectures) ? (input.architectures as string[]) : [...DEFAULTS.architectures],
    num_layers,
    vocab_size,
    hidden_size,
    num_attention_heads,
    max_sequence_length,
    block_position_encoding: bool("block_position_encoding", DEFAULTS.block_position_encoding),
    output_predict: bool("output_predict", DEFAULTS.output_predict),
    layernorm_epsilon: num("layernorm_epsilon", DEFAULTS.layernorm_epsilon, 0, 1),
    hidden_act: hidden_act as GLMActivation,
    embedding_dropout_prob: num("embedding_dropout_prob", DEFAULTS.embedding_dropout_prob, 0, 0.999),
    attention_dropout_prob: num("attention_dropout_prob", DEFAULTS.attention_dropout_prob, 0, 0.999),
    output_dropout_prob: num("output_dropout_prob", DEFAULTS.output_dropout_prob, 0, 0.999),
    initializer_range: num("initializer_range", DEFAULTS.initializer_range, 0),
    max_memory_length: num("max_memory_length", DEFAULTS.max_memory_length, 0),
    attention_scale,
    relative_encoding: false,
    checkpoint_activations: bool("checkpoint_activations", DEFAULTS.checkpoint_activations),
    checkpoint_num_layers: num("checkpoint_num_layers", DEFAULTS.checkpoint_num_layers, 0),
    parallel_output: bool("parallel_output", DEFAULTS.parallel_output),
    spell_length: null,
    spell_func: typeof input.spell_func === "string" ? input.spell_func : DEFAULTS.spell_func,
    pool_token: typeof input.pool_token === "string" ? input.pool_token : DEFAULTS.pool_token,
    torch_dtype: typeof input.torch_dtype === "string" ? input.torch_dtype : DEFAULTS.torch_dtype,
  };
}

/** Parses config.json text; errors name the file. */
export function parseConfigJson(text: string, source = "config.json"): GLMConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new GLMConfigError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return validateConfig(parsed, source);
}

/** The config as a Hugging Face config.json object (what save() writes). */
export function toHuggingFaceConfig(config: GLMConfig): Record<string, unknown> {
  return { ...config, architectures: config.architectures.length ? config.architectures : ["GLMModel"], model_type: "glm" };
}

/** Head size d = hidden_size / num_attention_heads. */
export function headSize(config: GLMConfig): number {
  return config.hidden_size / config.num_attention_heads;
}

/** Number of parameters: 12·h²+13·h per layer, word, two position tables, final LN. */
export function parameterCount(config: GLMConfig): number {
  const h = config.hidden_size;
  const pos = (config.max_sequence_length + 1) * h * (config.block_position_encoding ? 2 : 1);
  return config.num_layers * (12 * h * h + 13 * h) + config.vocab_size * h + pos + 2 * h;
}

/**
 * Matmul FLOPs per token (forward; training = 3x forward): 2 per weight of the layer matmuls
 * and the tied output projection, plus 4·S·h per layer for scores and context.
 */
export function estimateFlopsPerToken(config: GLMConfig, seqLength: number, options: { training?: boolean } = {}): number {
  const h = config.hidden_size;
  const forward = 2 * (12 * config.num_layers * h * h + config.vocab_size * h) + 4 * config.num_layers * seqLength * h;
  return options.training ? 3 * forward : forward;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
}
