// Which parameters get weight decay. The original GLM (`get_params_for_weight_decay_optimization`)
// exempts every bias and every LayerNorm parameter; decided here by checkpoint name so the rule
// also holds for parameters of a model loaded from disk.

/** True when the named parameter is a bias or belongs to a LayerNorm (no weight decay). */
export function isNoDecayParameter(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith(".bias") || lower === "bias") return true;
  // input_layernorm, post_attention_layernorm, final_layernorm; also ln_1 / ln_f style names.
  return lower.includes("layernorm") || lower.includes("layer_norm") || /(^|\.)ln(_\w+)?\./.test(lower);
}
