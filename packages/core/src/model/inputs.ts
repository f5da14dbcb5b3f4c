// Normalises forward() inputs (nested arrays, typed arrays or tensors) into int32 tensors.
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";

/** Ids as `[batch, seq]` nested arrays, a flat typed/plain array (row-major), or a tensor. */
export type IdsLike = number[][] | number[] | Int32Array | Uint32Array | Float32Array | tf.Tensor;

/** The inputs of one forward call. */
export interface GLMForwardInputs {
  inputIds: IdsLike;
  /**
   * Position ids `[batch, seq]`; or the original's stacked `[batch, 2, seq]` (row 0 positions,
   * row 1 block positions), in which case `blockPositionIds` may be omitted.
   */
  positionIds: IdsLike | number[][][];
  blockPositionIds?: IdsLike;
  /** Length of Part A per sample (`[batch]`), or one number for the whole batch. */
  sep?: number | ArrayLike<number> | tf.Tensor;
  /**
   * An explicit 0/1 attention mask instead of `sep` (1 = may attend): `[batch, 1, seq, keys]`,
   * `[batch, seq, keys]` or `[batch, keys]` (broadcast over queries). With a cache, keys may
   * include the memory; only the last `memory + seq` columns are used (as the original does).
   */
  attentionMask?: tf.Tensor | number[][] | number[][][] | number[][][][];
  /** Batch size for flat (1-D) id arrays when `sep` does not tell it. */
  batchSize?: number;
}

/** Normalised inputs; every tensor here is created by `normalizeInputs` (call it inside tf.tidy). */
export interface NormalizedInputs {
  batch: number;
  seq: number;
  inputIds: tf.Tensor2D;
  positionIds: tf.Tensor2D;
  blockPositionIds: tf.Tensor2D;
  /** `[batch]` int32, when no explicit mask is given. */
  sep?: tf.Tensor1D;
  /** `[batch, 1, seq or 1, keys]` float32 0/1. */
  attentionMask?: tf.Tensor4D;
}

/** Validates and converts the inputs (creates tensors: call inside tf.tidy). */
export function normalizeInputs(inputs: GLMForwardInputs, limits: { vocabSize: number; positions: number }): NormalizedInputs {
  if (inputs === null || typeof inputs !== "object")
    throw new GlmjsError("INPUT_INVALID", "forward(): inputs must be an object { inputIds, positionIds, blockPositionIds, sep }");
  let batchHint = inputs.batchSize;
  if (batchHint === undefined && inputs.sep !== undefined && typeof inputs.sep !== "number") {
    batchHint = inputs.sep instanceof tf.Tensor ? inputs.sep.size : inputs.sep.length;
  }
  const inputIds = toIds2D(inputs.inputIds, "inputIds", batchHint, limits.vocabSize);
  const [batch, seq] = inputIds.shape;
  let positionIds: tf.Tensor2D;
  let blockPositionIds: tf.Tensor2D;
  const stacked = stackedPositions(inputs.positionIds, batch, seq, limits.positions);
  if (stacked) {
    [positionIds, blockPositionIds] = stacked;
    if (inputs.blockPositionIds !== undefined)
      throw new GlmjsError(
        "INPUT_INVALID",
        "forward(): positionIds is [batch, 2, seq] (with block positions) and blockPositionIds is given too; pass one form",
      );
  } else {
    positionIds = toIds2D(inputs.positionIds as IdsLike, "positionIds", batch, limits.positions);
    if (inputs.blockPositionIds === undefined)
      throw new GlmjsError("INPUT_INVALID", "forward(): blockPositionIds is missing (or pass positionIds as [batch, 2, seq])");
    blockPositionIds = toIds2D(inputs.blockPositionIds, "blockPositionIds", batch, limits.positions);
  }
  for (const [name, t] of [
    ["positionIds", positionIds],
    ["blockPositionIds", blockPositionIds],
  ] as const) {
    if (t.shape[0] !== batch || t.shape[1] !== seq) {
      throw new GlmjsError("INPUT_INVALID", `forward(): ${name} has shape [${t.shape.join(", ")}], inputIds has [${batch}, ${seq}]`);
    }
  }

  const out: NormalizedInputs = { batch, seq, inputIds, positionIds, blockPositionIds };
  if (inputs.attentionMask !== undefined) {
    out.attentionMask = toMask4D(inputs.attentionMask, batch, seq);
  } else {
    if (inputs.sep === undefined) {
      throw new GlmjsError("INPUT_INVALID", "forward(): give sep (length of Part A per sample; 0 = causal, seq = bidirectional) or an explicit attentionMask");
    }
    out.sep = toSep(inputs.sep, batch);
  }
  return out;
}

function toIds2D(x: IdsLike, name: string, batchHint: number | undefined, limit: number): tf.Tensor2D {
  if (x instanceof tf.Tensor) {
    const t = x.dtype === "int32" ? x : tf.cast(x, "int32");
    if (t.rank === 2) return t as tf.Tensor2D;
    if (t.rank === 1) return tf.reshape(t, [batchHint ?? 1, -1]);
    throw new GlmjsError("INPUT_INVALID", `forward(): ${name} must be [batch, seq], got a rank-${t.rank} tensor`);
  }
  if (ArrayBuffer.isView(x)) {
    const b = batchHint ?? 1;
    if (x.length % b !== 0) throw new GlmjsError("INPUT_INVALID", `forward(): ${name} has ${x.length} ids, not a multiple of the batch size ${b}`);
    return tf.tensor2d(checkRange(Int32Array.from(x), x.length / b, limit, name), [b, x.length / b], "int32");
  }
  if (!Array.isArray(x) || x.length === 0) throw new GlmjsError("INPUT_INVALID", `forward(): ${name} must be a non-empty [batch, seq] array`);
  if (Array.isArray(x[0])) {
    const rows = x as number[][];
    const seq = rows[0].length;
    const flat = new Int32Array(rows.length * seq);
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== seq)
        throw new GlmjsError("INPUT_INVALID", `forward(): ${name} row ${i} has length ${Array.isArray(r) ? r.length : "?"}, row 0 has ${seq}`);
      for (let j = 0; j < seq; j++) flat[i * seq + j] = r[j];
    });
    return tf.tensor2d(checkRange(flat, seq, limit, name), [rows.length, seq], "int32");
  }
  const b = batchHint ?? 1;
  const flat = x as number[];
  if (flat.length % b !== 0) throw new GlmjsError("INPUT_INVALID", `forward(): ${name} has ${flat.length} ids, not a multiple of the batch size ${b}`);
  return tf.tensor2d(checkRange(Int32Array.from(flat), flat.length / b, limit, name), [b, flat.length / b], "int32");
}

function stackedPositions(x: GLMForwardInputs["positionIds"], batch: number, seq: number, limit: number): [tf.Tensor2D, tf.Tensor2D] | undefined {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 3) return undefined;
    if (x.shape[0] !== batch || x.shape[1] !== 2 || x.shape[2] !== seq) {
      throw new GlmjsError("INPUT_INVALID", `forward(): stacked positionIds must be [${batch}, 2, ${seq}], got [${x.shape.join(", ")}]`);
    }
    const t = x.dtype === "int32" ? x : tf.cast(x, "int32");
    const [p, b] = tf.unstack(t, 1);
    return [p as tf.Tensor2D, b as tf.Tensor2D];
  }
  if (Array.isArray(x) && Array.isArray(x[0]) && Array.isArray((x as unknown[][])[0][0])) {
    const rows = x as number[][][];
    const p = rows.map((r, i) => {
      if (r.length !== 2) throw new GlmjsError("INPUT_INVALID", `forward(): stacked positionIds row ${i} must hold 2 rows (positions, block positions)`);
      return r[0];
    });
    return [
      toIds2D(p, "positionIds", batch, limit),
      toIds2D(
        rows.map((r) => r[1]),
        "blockPositionIds",
        batch,
        limit,
      ),
    ];
  }
  return undefined;
}

function toSep(sep: NonNullable<GLMForwardInputs["sep"]>, batch: number): tf.Tensor1D {
  if (typeof sep === "number") {
    if (!Number.isInteger(sep) || sep < 0) throw new GlmjsError("INPUT_INVALID", `forward(): sep must be a non-negative integer, got ${sep}`);
    return tf.fill([batch], sep, "int32") as tf.Tensor1D;
  }
  const t = sep instanceof tf.Tensor ? (sep.dtype === "int32" ? sep : tf.cast(sep, "int32")) : tf.tensor1d(Int32Array.from(sep), "int32");
  if (t.size === 1 && batch !== 1) return tf.broadcastTo(tf.reshape(t, [1]), [batch]) as tf.Tensor1D;
  if (t.size !== batch) throw new GlmjsError("INPUT_INVALID", `forward(): sep has ${t.size} values for a batch of ${batch}`);
  return tf.reshape(t, [batch]);
}

function toMask4D(mask: NonNullable<GLMForwardInputs["attentionMask"]>, batch: number, seq: number): tf.Tensor4D {
  const t = tf.cast(mask instanceof tf.Tensor ? mask : tf.tensor(mask as number[][]), "float32");
  let m: tf.Tensor4D;
  if (t.rank === 4) m = t as tf.Tensor4D;
  else if (t.rank === 3) m = tf.expandDims(t, 1) as tf.Tensor4D;
  else if (t.rank === 2) m = tf.reshape(t, [t.shape[0] as number, 1, 1, t.shape[1] as number]);
  else throw new GlmjsError("INPUT_INVALID", `forward(): attentionMask must be [batch, 1, seq, keys], [batch, seq, keys] or [batch, keys], got rank ${t.rank}`);
  if (m.shape[0] !== batch || m.shape[1] !== 1 || (m.shape[2] !== seq && m.shape[2] !== 1)) {
    throw new GlmjsError("INPUT_INVALID", `forward(): attentionMask shape [${m.shape.join(", ")}] does not fit batch ${batch}, seq ${seq}`);
  }
  return m;
}

/** Ids given as JS data are checked here (tensors are trusted: reading them back would stall a GPU). */
function checkRange(data: Int32Array, seq: number, limit: number, name: string): Int32Array {
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= limit) {
      throw new GlmjsError("INPUT_INVALID", `forward(): ${name}[${Math.floor(i / seq)}][${i % seq}] = ${data[i]} is outside [0, ${limit})`);
    }
  }
  return data;
}
