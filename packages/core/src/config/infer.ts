// A config from a checkpoint's shapes, for checkpoints that carry none (the original GLM code keeps
// the architecture on its command line, not in its training checkpoints). Everything but the
// number of attention heads follows from the shapes (GLM.md §2.2).
import { normalizeCheckpointKey, type TensorInfo } from "@glmjs/checkpoint";
import type { GLMConfigInput } from "./glm-config.js";

/** The config fields the shapes determine, or undefined when the tensors are not a GLM's. */
export function inferConfigFromShapes(tensors: ReadonlyMap<string, TensorInfo>): Omit<GLMConfigInput, "num_attention_heads"> | undefined {
  const byName = new Map([...tensors].map(([k, v]) => [normalizeCheckpointKey(k), v]));
  const word = byName.get("word_embeddings.weight");
  const position = byName.get("transformer.position_embeddings.weight");
  if (word?.shape.length !== 2 || position?.shape.length !== 2) return undefined;
  let layers = 0;
  for (const name of byName.keys()) {
    const m = /^transformer\.layers\.(\d+)\./.exec(name);
    if (m) layers = Math.max(layers, Number(m[1]) + 1);
  }
  return {
    num_layers: layers,
    vocab_size: word.shape[0]!,
    hidden_size: word.shape[1]!,
    max_sequence_length: position.shape[0]! - 1,
    block_position_encoding: byName.has("transformer.block_position_embeddings.weight"),
  };
}
