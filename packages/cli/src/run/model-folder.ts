// The run folder's model/: weights, config.json and tokenizer.json together, a folder that
// `loadModel`, `loadGLM`, `glm fill --model` and a browser page load alone.
import { join } from "node:path";
import type { GLMModel } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";

export const MODEL_DIR = "model";

export async function saveModelFolder(model: GLMModel, tokenizer: Tokenizer, out: string): Promise<string> {
  const dir = join(out, MODEL_DIR);
  await model.save(dir);
  await tokenizer.save(join(dir, "tokenizer.json"));
  return dir;
}
