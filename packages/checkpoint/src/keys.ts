// Checkpoint key names: the bare GLMModel.state_dict() names are canonical. Hugging Face's
// GLMForConditionalGeneration stores them under "glm.", DataParallel/DeepSpeed wrappers under
// "module.", and the original code's fine-tuning wrappers (GLMForMultiTokenCloze,
// GLMForSingleTokenCloze) under "model."; the prefixes are stripped so every source maps onto the
// same names. This is the one normaliser: GLMModel.fromNamedArrays (and so loadModel) uses
// canonicalKeyMap.

import { CheckpointError, type CheckpointTensor, type TensorMap } from "./types.js";

const STRIPPED_PREFIXES = ["module.", "glm.", "model."];

/** The canonical name of a checkpoint key ("module.glm.word_embeddings.weight" → "word_embeddings.weight"). */
export function normalizeCheckpointKey(key: string): string {
  let k = key;
  for (let changed = true; changed;) {
    changed = false;
    for (const p of STRIPPED_PREFIXES) {
      if (k.startsWith(p) && k.length > p.length) {
        k = k.slice(p.length);
        changed = true;
      }
    }
  }
  return k;
}

/**
 * Canonical name → the key as the checkpoint spells it, in checkpoint order. Two keys that
 * collapse to one name ("glm.a" and "a") are refused with a CheckpointError naming both.
 */
export function canonicalKeyMap(keys: Iterable<string>, fileName: string): Map<string, string> {
  const from = new Map<string, string>();
  for (const key of keys) {
    const name = normalizeCheckpointKey(key);
    const earlier = from.get(name);
    if (earlier !== undefined) throw new CheckpointError(fileName, `"${earlier}" and "${key}" both mean "${name}" once prefixes are stripped`, key);
    from.set(name, key);
  }
  return from;
}

/** The tensors under their canonical names; two keys that collapse to one name are an error. */
export function normalizeTensorKeys(tensors: TensorMap, fileName: string): TensorMap {
  const out = new Map<string, CheckpointTensor>();
  for (const [name, key] of canonicalKeyMap(tensors.keys(), fileName)) out.set(name, tensors.get(key)!);
  return out;
}

export interface KeyCheck {
  /** Expected names the checkpoint lacks. */
  missing: string[];
  /** Checkpoint names nothing expects. */
  unexpected: string[];
  /** Names present in both whose shapes differ. */
  wrongShape: { key: string; expected: number[]; actual: number[] }[];
}

/**
 * Compares a checkpoint against the names (and optionally shapes) a model expects.
 * `expected` is a list of names, or a map of name → shape to check shapes as well.
 */
export function checkTensorKeys(tensors: TensorMap, expected: Iterable<string> | ReadonlyMap<string, readonly number[]>): KeyCheck {
  const shapes = expected instanceof Map ? (expected as ReadonlyMap<string, readonly number[]>) : undefined;
  const names = new Set<string>(shapes ? shapes.keys() : (expected as Iterable<string>));
  const result: KeyCheck = { missing: [], unexpected: [], wrongShape: [] };
  for (const name of names) {
    const t = tensors.get(name);
    if (!t) result.missing.push(name);
    else if (shapes) {
      const want = shapes.get(name)!;
      if (want.length !== t.shape.length || want.some((d, i) => d !== t.shape[i])) result.wrongShape.push({ key: name, expected: [...want], actual: t.shape });
    }
  }
  for (const name of tensors.keys()) if (!names.has(name)) result.unexpected.push(name);
  return result;
}

/** Like {@link checkTensorKeys}, but throws one error listing every missing, unknown and mis-shaped tensor. */
export function assertTensorKeys(tensors: TensorMap, expected: Iterable<string> | ReadonlyMap<string, readonly number[]>, fileName: string): void {
  const { missing, unexpected, wrongShape } = checkTensorKeys(tensors, expected);
  const problems: string[] = [];
  const list = (names: string[]) => names.map((n) => `"${n}"`).join(", ");
  if (missing.length) problems.push(`missing ${missing.length} tensor(s): ${list(missing)}`);
  if (unexpected.length) problems.push(`${unexpected.length} unknown tensor(s): ${list(unexpected)}`);
  for (const w of wrongShape) problems.push(`tensor "${w.key}" has shape [${w.actual.join(", ")}], expected [${w.expected.join(", ")}]`);
  if (problems.length) {
    throw new CheckpointError(
      fileName,
      `${problems.join("; ")}. The checkpoint does not match the model configuration (check config.json against the weights)`,
    );
  }
}
