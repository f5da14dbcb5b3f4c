// Shared shapes of checkpoint data. Nothing here touches files: every reader works on bytes.
import { GlmjsError } from "@glmjs/common";

/**
 * Element types found in checkpoints (safetensors names; PyTorch storages map onto them).
 * `dtype` on a tensor is the type *in the file*; the in-memory array is wider (see {@link TensorData}).
 */
export type DType = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "U16" | "BOOL";

/**
 * In-memory tensor values: every float type (F64/F32/F16/BF16) as Float32Array, I64 as BigInt64Array,
 * the other integer types and BOOL as Int32Array.
 */
export type TensorData = Float32Array | Int32Array | BigInt64Array;

/** One named tensor: row-major `data` of `shape`; `dtype` is how it is (or will be) stored in the file. */
export interface CheckpointTensor {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

/** Tensors by name (insertion order = order in the file). */
export type TensorMap = Map<string, CheckpointTensor>;

/** Tensors accepted by writers: a Map or a plain object keyed by name. */
export type TensorInput = Map<string, CheckpointTensor> | Record<string, CheckpointTensor>;

/** What a checkpoint file holds once read. */
export interface CheckpointContents {
  format: "safetensors" | "pytorch";
  tensors: TensorMap;
  /** safetensors `__metadata__` (always strings); empty for PyTorch files. */
  metadata: Record<string, string>;
}

/** A plain value of a training checkpoint's bookkeeping. */
export type CheckpointScalar = number | string | boolean | null;

/** Shape and dtype of a tensor in a checkpoint, known before its data is read. */
export interface TensorInfo {
  dtype: DType;
  shape: number[];
}

/** A checkpoint file opened for reading tensor by tensor (its data is never read whole). */
export interface LazyCheckpoint {
  readonly format: "safetensors" | "pytorch";
  readonly name: string;
  /** safetensors `__metadata__`; empty for PyTorch files. */
  readonly metadata: Record<string, string>;
  /**
   * For a training checkpoint (a torch.save dict whose `module` entry is the state dict): its
   * other entries that are plain values (iteration, mp_world_size, …). Absent otherwise.
   */
  readonly checkpointEntries?: Readonly<Record<string, CheckpointScalar>>;
  /** Every tensor's dtype and shape, in file order. */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** Reads one tensor (only its bytes), decoded as the eager readers decode it. */
  read(name: string): Promise<CheckpointTensor>;
}

/**
 * A checkpoint that could not be read or written (code "CHECKPOINT_INVALID"). The message always
 * names the file and, where one is involved, the tensor key; `file` and `key` carry the same for
 * programmatic use.
 */
export class CheckpointError extends GlmjsError {
  readonly file: string;
  readonly key: string | undefined;
  constructor(file: string, message: string, key?: string) {
    super("CHECKPOINT_INVALID", key === undefined ? `${file}: ${message}` : `${file}: tensor "${key}": ${message}`);
    this.name = "CheckpointError";
    this.file = file;
    this.key = key;
  }
}

/** Normalises a writer's input to [name, tensor] pairs. */
export function tensorEntries(tensors: TensorInput): [string, CheckpointTensor][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/** Number of elements of a shape (1 for a scalar `[]`). */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
