// Messages between the page (main.ts) and the training worker (train.worker.ts).
import type { BlankCandidates } from "@glmjs/tasks";
import type { EvalRow, TrainRow } from "@glmjs/train";

export interface TrainSettings {
  /** Model shape: a name of MODEL_SHAPES. */
  model: keyof typeof MODEL_SHAPES;
  vocabSize: number;
  batchSize: number;
  seqLength: number;
  steps: number;
  peakLr: number;
  evalEvery: number;
  /** "webgpu" or "wasm" to insist; "" picks WebGPU on a hardware adapter, else WASM. */
  backend: "" | "webgpu" | "wasm";
  seed: number;
}

export const MODEL_SHAPES = {
  micro: { num_layers: 2, hidden_size: 64, num_attention_heads: 4, max_sequence_length: 256 },
  tiny: { num_layers: 2, hidden_size: 128, num_attention_heads: 4, max_sequence_length: 256 },
  small: { num_layers: 6, hidden_size: 256, num_attention_heads: 8, max_sequence_length: 256 },
} as const;

export type ToWorker =
  | { type: "start"; documents: string[]; settings: TrainSettings }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  | { type: "fill"; id: number; text: string }
  | { type: "export"; id: number };

export interface PreparedInfo {
  trainDocuments: number;
  heldOutDocuments: number;
  trainTokens: number;
  heldOutTokens: number;
  vocabSize: number;
  parameters: number;
  unigramLoss: number | undefined;
  notes: string[];
}

export type FromWorker =
  | { type: "backend"; name: string; detail: string; skipped: { name: string; reason: string }[] }
  | { type: "status"; message: string }
  | { type: "prepared"; info: PreparedInfo }
  | { type: "step"; row: TrainRow }
  | { type: "eval"; row: EvalRow }
  | { type: "state"; state: "training" | "paused" | "done"; message?: string }
  | { type: "error"; message: string }
  | { type: "fill-result"; id: number; text?: string; fills?: string[]; candidates?: BlankCandidates[]; endId?: number; step?: number; error?: string }
  | {
      type: "export-result";
      id: number;
      files?: { "config.json": string; "model.safetensors": Uint8Array; "tokenizer.json": string };
      step?: number;
      error?: string;
    };
