// Flags every command that runs a model shares: --model, --backend, --threads, --verbose.
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { intFlag } from "../flags.js";

export interface ModelFlags {
  model: string;
  backend: string;
  threads?: number;
  verbose?: boolean;
}

export const MODEL_HELP =
  "model folder (config.json + weights + tokenizer), or a run folder of glm pretrain / glm finetune (its model/, or its latest checkpoint while it runs), or a checkpoint file, or a Hugging Face hub id (THUDM/glm-large[@revision]) or model folder URL (downloaded into the hub cache: HF_ENDPOINT, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN)";

export function addModelOptions(command: Command, required = true): Command {
  const withModel = required ? command.requiredOption("--model <path>", MODEL_HELP) : command.option("--model <path>", MODEL_HELP);
  return withModel
    .option("--backend <name>", "tfjs backend (auto, wasm, cpu, webgpu, ...)", "auto")
    .option("--threads <n>", "wasm backend threads in Node", intFlag(1, Math.max(64, availableParallelism())))
    .option("--verbose", "also show the backend choice, native libraries' warnings (Dawn, Mesa) and tfjs's notices");
}

/** Messages go to stderr (stdout carries the results); only with --verbose for the quiet commands. */
export function stderrLog(enabled = true): (line: string) => void {
  return enabled ? (line) => process.stderr.write(line + "\n") : () => {};
}
