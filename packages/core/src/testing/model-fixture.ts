// The golden-fixture format of the original GLM's outputs (a folder like
// ../shared/fixtures/glm-tiny-a, described in its README): the files, their parsed shapes, and the
// model and batch they define. No fs here: fixtures come in as bytes, so browsers use it too.
import { GlmjsError } from "@glmjs/common";
import { readCheckpointBytes } from "@glmjs/checkpoint";
import { validateConfig } from "../config/glm-config.js";
import { GLMModel } from "../model/glm-model.js";
import type { GLMTrainingBatch } from "../model/loss.js";

/** The files of a model fixture folder, as `ModelFixture` field -> file name. */
export const MODEL_FIXTURE_FILES = {
  config: "config.json",
  inputs: "inputs.json",
  decode: "decode.json",
  generate: "generate.json",
  modelSafetensors: "model.safetensors",
  pytorchModelBin: "pytorch_model.bin",
  outputs: "outputs.safetensors",
  grads: "grads.safetensors",
  decodeTensors: "decode.safetensors",
  generateTensors: "generate.safetensors",
} as const;

/** A fixture's contents: JSON files parsed, binary files as bytes. Optional parts are skipped when absent. */
export interface ModelFixture {
  config: unknown;
  inputs: FixtureInputs;
  modelSafetensors?: Uint8Array;
  pytorchModelBin?: Uint8Array;
  outputs: Uint8Array;
  grads?: Uint8Array;
  decode?: FixtureDecode;
  decodeTensors?: Uint8Array;
  generate?: FixtureGenerate;
  generateTensors?: Uint8Array;
}

export interface FixtureInputs {
  input_ids: number[][];
  position_ids: number[][][];
  attention_mask: number[];
  labels: number[][];
  loss_mask: number[][];
}

export interface FixtureDecode {
  context_ids: number[];
  context_position_ids: number[][];
  context_attention_mask: number;
  forced_tokens: number[];
  step_position_ids: number[][];
  step_attention_mask: number;
  full_ids: number[];
  full_position_ids: number[][];
  full_attention_mask: number;
  max_memory_length?: number;
}

export interface FixtureGenerate {
  settings: { max_memory_length?: number };
  prompts: {
    context: number[];
    context_attention_mask: number[];
    context_position_ids: number[][][];
    spans: {
      steps: { input_ids: number[][]; position_ids: number[][][]; attention_mask: number[]; mem_length: number }[];
      step_argmax: number[];
    }[];
  }[];
}

/**
 * Builds a ModelFixture from a file reader (`read(name)` returns the bytes, or undefined when the
 * file is absent), e.g. `(n) => existsSync(join(dir, n)) ? readFileSync(join(dir, n)) : undefined`.
 */
export function modelFixtureFromFiles(read: (fileName: string) => Uint8Array | undefined): ModelFixture {
  const json = (name: string) => {
    const b = read(name);
    return b === undefined ? undefined : JSON.parse(new TextDecoder().decode(b));
  };
  const need = <T>(v: T | undefined, name: string): T => {
    if (v === undefined) throw new GlmjsError("FIXTURE_INVALID", `model fixture: ${name} is missing`);
    return v;
  };
  const f = MODEL_FIXTURE_FILES;
  return {
    config: need(json(f.config), f.config),
    inputs: need(json(f.inputs), f.inputs),
    decode: json(f.decode),
    generate: json(f.generate),
    modelSafetensors: read(f.modelSafetensors),
    pytorchModelBin: read(f.pytorchModelBin),
    outputs: need(read(f.outputs), f.outputs),
    grads: read(f.grads),
    decodeTensors: read(f.decodeTensors),
    generateTensors: read(f.generateTensors),
  };
}

/** Loads the fixture's model from the chosen weight file. The caller disposes it. */
export function loadFixtureModel(fixture: ModelFixture, weights: "safetensors" | "pytorch" = "safetensors"): GLMModel {
  const config = validateConfig(fixture.config, MODEL_FIXTURE_FILES.config);
  const [bytes, name] =
    weights === "pytorch" ? [fixture.pytorchModelBin, MODEL_FIXTURE_FILES.pytorchModelBin] : [fixture.modelSafetensors, MODEL_FIXTURE_FILES.modelSafetensors];
  if (!bytes) throw new GlmjsError("FIXTURE_INVALID", `model fixture: ${name} is missing`);
  return GLMModel.fromNamedArrays(config, readCheckpointBytes(bytes, name).tensors, name);
}

/** The fixture batch as a GLMTrainingBatch (sizes read from the fixture). */
export function fixtureBatch(inputs: FixtureInputs): GLMTrainingBatch {
  const batchSize = inputs.input_ids.length;
  const seqLength = inputs.input_ids[0].length;
  const flat = (rows: number[][]) => Int32Array.from(rows.flat());
  return {
    batchSize,
    seqLength,
    inputIds: flat(inputs.input_ids),
    positionIds: flat(inputs.position_ids.map((p) => p[0])),
    blockPositionIds: flat(inputs.position_ids.map((p) => p[1])),
    targets: flat(inputs.labels),
    lossMask: Float32Array.from(inputs.loss_mask.flat()),
    sep: Int32Array.from(inputs.attention_mask),
  };
}
