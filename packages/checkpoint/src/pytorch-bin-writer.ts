// Writes `pytorch_model.bin` in the zip format of torch.save (torch >= 1.6,
// _use_new_zipfile_serialization=True), so the original GLM code and transformers can
// torch.load what glmjs trained. Layout, as torch writes it:
//   <archive>/data.pkl    pickle protocol 2 of collections.OrderedDict{name: tensor}, each tensor
//                         torch._utils._rebuild_tensor_v2(persistent_load(('storage', torch.FloatStorage,
//                         '<key>', 'cpu', numel)), 0, size, stride, False, collections.OrderedDict())
//   <archive>/byteorder   "little" (torch >= 2.1 writes it; older torch ignores unknown records)
//   <archive>/data/<key>  raw little-endian storage bytes, keys "0", "1", ... in tensor order,
//                         each 64-byte aligned in the file
//   <archive>/version     "3\n"
// Only globals that torch.load(weights_only=True) allows are named.

import { DTYPE_SIZE, encodeElements } from "./dtypes.js";
import { PICKLE_BATCH_SIZE, PickleWriter } from "./pickle-writer.js";
import { TORCH_STORAGE_DTYPES } from "./pytorch-bin.js";
import { CheckpointError, numElements, tensorEntries, type CheckpointTensor, type DType, type TensorInput } from "./types.js";
import { storedZipParts, writeStoredZip, type ZipWriterEntry } from "./zip-writer.js";

export interface PytorchBinWriteOptions {
  /** Folder name inside the zip; torch.save uses the file name without extension. Default "pytorch_model". */
  archiveName?: string;
  /** For error messages. Default "<pytorch_model.bin>". */
  fileName?: string;
  /**
   * Write a training checkpoint instead of a bare state dict: the pickle is the dict
   * `{"module": state_dict, ...checkpointEntries}`, as the original GLM code and DeepSpeed save
   * `mp_rank_XX_model_states.pt` (values: ints, strings, booleans, None, lists of those).
   */
  checkpointEntries?: Readonly<Record<string, CheckpointEntryValue>>;
}

/** A bookkeeping value of a training checkpoint (the pickle writer's plain Python values). */
export type CheckpointEntryValue = number | string | boolean | null | readonly CheckpointEntryValue[];

/** PyTorch's record alignment (kFieldAlignment in caffe2/serialize/inline_container.cc). */
export const TORCH_RECORD_ALIGNMENT = 64;

/** The zip format version torch.save has written since 1.6 (kProducedFileFormatVersion). */
const TORCH_FILE_FORMAT_VERSION = "3\n";

/** Storage class for each dtype torch can hold (torch has no uint16 storage). */
const STORAGE_CLASS: Partial<Record<DType, string>> = Object.fromEntries(
  Object.entries(TORCH_STORAGE_DTYPES).map(([cls, dtype]) => [dtype, cls.slice("torch.".length)]),
);

/** Row-major strides as torch computes them for a contiguous tensor (a zero-size dim counts as 1). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const stride: number[] = Array.from({ length: shape.length }, () => 0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= Math.max(shape[d]!, 1);
  }
  return stride;
}

interface Storage {
  key: string;
  dtype: DType;
  numel: number;
  bytes: Uint8Array;
}

function checkArchiveName(name: string, fileName: string): void {
  // torch.load finds the archive by the folder of data.pkl; a nested or empty name would not be found.
  if (name.length === 0 || /[/\\]/.test(name) || name === "." || name === "..") {
    throw new CheckpointError(
      fileName,
      `archive name ${JSON.stringify(name)} must be a non-empty name without slashes (torch.save uses the file name without extension)`,
    );
  }
}

function checkTensor(key: string, t: CheckpointTensor, fileName: string): void {
  if (!STORAGE_CLASS[t.dtype]) {
    const known = Object.keys(STORAGE_CLASS).join(", ");
    throw new CheckpointError(fileName, `dtype ${String(t.dtype)} has no PyTorch storage type (writable: ${known}); convert the tensor first`, key);
  }
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new CheckpointError(fileName, `shape ${JSON.stringify(t.shape)} is not a list of non-negative integers`, key);
  }
  const count = numElements(t.shape);
  if (t.data.length !== count) throw new CheckpointError(fileName, `shape [${t.shape.join(", ")}] has ${count} elements but data has ${t.data.length}`, key);
}

/**
 * The zip entries of a torch.save file for `tensors`, in the order torch writes them. Tensors
 * passed with the very same `data` array and dtype share one storage, as tied weights do in torch.
 */
export function pytorchBinEntries(tensors: TensorInput, options: PytorchBinWriteOptions = {}): ZipWriterEntry[] {
  const archive = options.archiveName ?? "pytorch_model";
  const fileName = options.fileName ?? "<pytorch_model.bin>";
  checkArchiveName(archive, fileName);
  const storages: Storage[] = [];
  const byData = new Map<CheckpointTensor["data"], Storage[]>();
  const pickle = new PickleWriter();
  const wrapped = options.checkpointEntries !== undefined;
  if (wrapped) {
    if (Object.prototype.hasOwnProperty.call(options.checkpointEntries, "module")) {
      throw new CheckpointError(fileName, `checkpointEntries must not name "module": that entry is the state dict`);
    }
    pickle.emptyDict().str("module");
  }
  pickle.global("collections", "OrderedDict").emptyTuple().reduce();
  const items = tensorEntries(tensors);
  for (let b = 0; b < items.length; b += PICKLE_BATCH_SIZE) {
    const batch = items.slice(b, b + PICKLE_BATCH_SIZE);
    if (batch.length > 1) pickle.mark();
    for (const [name, t] of batch) {
      checkTensor(name, t, fileName);
      let storage = byData.get(t.data)?.find((s) => s.dtype === t.dtype);
      if (!storage) {
        storage = { key: String(storages.length), dtype: t.dtype, numel: t.data.length, bytes: encodeElements(t.data, t.dtype, fileName, name) };
        storages.push(storage);
        byData.set(t.data, [...(byData.get(t.data) ?? []), storage]);
      }
      pickle.str(name);
      pickle.global("torch._utils", "_rebuild_tensor_v2").mark();
      pickle.mark().sharedStr("storage").global("torch", STORAGE_CLASS[t.dtype]!).str(storage.key).sharedStr("cpu").int(storage.numel).tupleFromMark();
      pickle.persistentId();
      pickle.int(0).intTuple(t.shape).intTuple(contiguousStrides(t.shape)).bool(false);
      pickle.global("collections", "OrderedDict").emptyTuple().reduce(); // backward hooks
      pickle.tupleFromMark().reduce();
    }
    if (batch.length > 1) pickle.setItems();
    else pickle.setItem();
  }
  if (wrapped) {
    pickle.setItem(); // "module" → the state dict
    for (const [key, value] of Object.entries(options.checkpointEntries!)) {
      pickle.str(key);
      writeValue(pickle, value, key, fileName);
      pickle.setItem();
    }
  }
  const entries: ZipWriterEntry[] = [
    { name: `${archive}/data.pkl`, data: pickle.finish() },
    { name: `${archive}/byteorder`, data: new TextEncoder().encode("little") },
  ];
  // torch writes storages sorted by key as strings ("0", "1", "10", "11", ..., "2")
  const sorted = [...storages].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const s of sorted) {
    if (s.bytes.byteLength !== s.numel * DTYPE_SIZE[s.dtype])
      throw new CheckpointError(fileName, `storage ${s.key} encoded to ${s.bytes.byteLength} bytes, expected ${s.numel * DTYPE_SIZE[s.dtype]}`);
    entries.push({ name: `${archive}/data/${s.key}`, data: s.bytes });
  }
  entries.push({ name: `${archive}/version`, data: new TextEncoder().encode(TORCH_FILE_FORMAT_VERSION) });
  return entries;
}

function writeValue(pickle: PickleWriter, value: CheckpointEntryValue, key: string, fileName: string): void {
  if (value === null) pickle.none();
  else if (typeof value === "boolean") pickle.bool(value);
  else if (typeof value === "string") pickle.str(value);
  else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new CheckpointError(fileName, `checkpoint entry "${key}" is ${value}; only integers are written`);
    pickle.int(value);
  } else if (Array.isArray(value)) {
    pickle.emptyList();
    for (const item of value) {
      writeValue(pickle, item as CheckpointEntryValue, key, fileName);
      pickle.append();
    }
  } else throw new CheckpointError(fileName, `checkpoint entry "${key}" has a value glmjs cannot pickle (${typeof value})`);
}

/**
 * Serialises tensors as a PyTorch `pytorch_model.bin` that torch.load (>= 1.6, including
 * weights_only=True) and transformers read. Float tensors are stored as their `dtype` says
 * (F16/BF16 rounded to nearest even from the Float32Array); every tensor is contiguous with
 * storage offset 0. Write the result with writeFileAtomic.
 */
export function writePytorchBin(tensors: TensorInput, options: PytorchBinWriteOptions = {}): Uint8Array {
  const fileName = options.fileName ?? "<pytorch_model.bin>";
  return writeStoredZip(pytorchBinEntries(tensors, options), { alignment: TORCH_RECORD_ALIGNMENT, fileName });
}

/**
 * The same file as {@link writePytorchBin}, as consecutive parts (headers, and the tensors' own
 * bytes where no conversion is needed) to write one after another: a file larger than one
 * JavaScript array (4 GiB) can be written this way (`writeFileAtomic(path, parts)`).
 */
export function pytorchBinParts(tensors: TensorInput, options: PytorchBinWriteOptions = {}): Uint8Array[] {
  const fileName = options.fileName ?? "<pytorch_model.bin>";
  return storedZipParts(pytorchBinEntries(tensors, options), { alignment: TORCH_RECORD_ALIGNMENT, fileName });
}
