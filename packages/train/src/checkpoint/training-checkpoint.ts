// A training checkpoint is ONE safetensors file, so it appears atomically with a single rename:
// tensors `param/<name>`, `adam_m/<name>`, `adam_v/<name>` (float32, bit-exact) and, in the
// `__metadata__` entry "glmjs_train", JSON with the step, optimizer step, data-iterator state,
// RNG state, schedule, model config and best evaluation so far. `latest.json` (written after the
// file) names the newest complete checkpoint; `best.json` the one with the lowest held-out loss.
import { GlmjsError } from "@glmjs/common";
import { readSafetensors, tf, writeSafetensors } from "@glmjs/core";
import type { AdamWState } from "../optimizer/adamw.js";
import type { TrainStorage } from "../storage/train-storage.js";

export const CHECKPOINT_DIR = "checkpoints";
const METADATA_KEY = "glmjs_train";

/** Everything except tensors; JSON. */
export interface CheckpointMeta {
  format: "glmjs-train/1";
  step: number;
  optimizerStep: number;
  dataState: unknown;
  rngState: unknown;
  modelConfig: object;
  schedule: object;
  best?: { step: number; split: string; loss: number };
  /** Free-form facts for the user (tokenizer path, command line). */
  run?: Record<string, unknown>;
}

export interface CheckpointPointer {
  step: number;
  file: string;
}

export function checkpointFile(step: number): string {
  return `${CHECKPOINT_DIR}/step-${String(step).padStart(7, "0")}.safetensors`;
}

export async function saveCheckpoint(
  storage: TrainStorage,
  params: ReadonlyMap<string, tf.Variable>,
  optimizer: AdamWState,
  meta: CheckpointMeta,
): Promise<CheckpointPointer> {
  const tensors = new Map<string, { dtype: "F32"; shape: number[]; data: Float32Array }>();
  const put = async (key: string, t: tf.Tensor) => {
    tensors.set(key, { dtype: "F32", shape: [...t.shape], data: (await t.data()) as Float32Array });
  };
  for (const [name, v] of params) await put(`param/${name}`, v);
  for (const [name, { m, v }] of optimizer.moments) {
    await put(`adam_m/${name}`, m);
    await put(`adam_v/${name}`, v);
  }
  const file = checkpointFile(meta.step);
  const bytes = writeSafetensors(tensors, { [METADATA_KEY]: JSON.stringify(meta) }, file);
  await storage.writeBytesAtomic(file, bytes);
  const pointer = { step: meta.step, file };
  await storage.writeTextAtomic(`${CHECKPOINT_DIR}/latest.json`, JSON.stringify(pointer) + "\n");
  return pointer;
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  params: Map<string, tf.Tensor>;
  optimizer: AdamWState;
}

/** Reads the checkpoint named by `latest.json` (or `pointerName`); undefined when there is none. */
export async function loadCheckpoint(storage: TrainStorage, pointerName = "latest.json"): Promise<LoadedCheckpoint | undefined> {
  const pointerPath = `${CHECKPOINT_DIR}/${pointerName}`;
  if (!(await storage.exists(pointerPath))) return undefined;
  let pointer: CheckpointPointer;
  try {
    pointer = JSON.parse(await storage.readText(pointerPath)) as CheckpointPointer;
  } catch (e) {
    throw new GlmjsError(
      "CHECKPOINT_INVALID",
      `${pointerPath} is not valid JSON (${(e as Error).message}); delete it to start over, or point it at a checkpoint file`,
    );
  }
  if (typeof pointer.file !== "string") throw new GlmjsError("CHECKPOINT_INVALID", `${pointerPath} does not name a checkpoint file ("file" is missing)`);
  const bytes = await storage.readBytes(pointer.file);
  const { tensors, metadata } = readSafetensors(bytes, pointer.file);
  const raw = metadata[METADATA_KEY];
  if (!raw) throw new GlmjsError("CHECKPOINT_INVALID", `${pointer.file} is not a glmjs training checkpoint (no "${METADATA_KEY}" metadata)`);
  const meta = JSON.parse(raw) as CheckpointMeta;
  const params = new Map<string, tf.Tensor>();
  const m = new Map<string, tf.Tensor>();
  const v = new Map<string, tf.Tensor>();
  for (const [key, t] of tensors) {
    const slash = key.indexOf("/");
    const kind = key.slice(0, slash);
    const name = key.slice(slash + 1);
    // Copy: readSafetensors may return views of the file bytes.
    const tensor = tf.tensor(Float32Array.from(t.data as Float32Array), t.shape, "float32");
    const target = kind === "param" ? params : kind === "adam_m" ? m : kind === "adam_v" ? v : undefined;
    if (!target) {
      tensor.dispose();
      throw new GlmjsError("CHECKPOINT_INVALID", `${pointer.file}: tensor "${key}" is neither param/, adam_m/ nor adam_v/`);
    }
    target.set(name, tensor);
  }
  const moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  for (const [name, mt] of m) {
    const vt = v.get(name);
    if (!vt) throw new GlmjsError("CHECKPOINT_INVALID", `${pointer.file}: adam_m/${name} has no matching adam_v/${name}`);
    moments.set(name, { m: mt, v: vt });
  }
  return { meta, params, optimizer: { step: meta.optimizerStep, moments } };
}

export function disposeLoaded(c: LoadedCheckpoint): void {
  for (const t of c.params.values()) t.dispose();
  for (const { m, v } of c.optimizer.moments.values()) {
    m.dispose();
    v.dispose();
  }
}

/**
 * Removes step checkpoints beyond the newest `keep`, never the ones `latest.json`/`best.json`
 * point at.
 */
export async function pruneCheckpoints(storage: TrainStorage, keep: number): Promise<void> {
  const names = (await storage.list(CHECKPOINT_DIR)).filter((n) => /^step-\d+\.safetensors$/.test(n)).sort();
  const protectedFiles = new Set<string>();
  for (const p of ["latest.json", "best.json"]) {
    const path = `${CHECKPOINT_DIR}/${p}`;
    if (await storage.exists(path)) {
      try {
        protectedFiles.add((JSON.parse(await storage.readText(path)) as CheckpointPointer).file);
      } catch {
        // An unreadable pointer protects nothing; resume will report it.
      }
    }
  }
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    const path = `${CHECKPOINT_DIR}/${name}`;
    if (!protectedFiles.has(path)) await storage.remove(path);
  }
}

export async function markBest(storage: TrainStorage, pointer: CheckpointPointer): Promise<void> {
  await storage.writeTextAtomic(`${CHECKPOINT_DIR}/best.json`, JSON.stringify(pointer) + "\n");
}
