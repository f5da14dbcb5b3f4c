// PyTorch checkpoints (`pytorch_model.bin`, `*.pt`) in the zip format of torch >= 1.6:
// `<archive>/data.pkl` (a pickled state dict whose tensors point at storages through
// persistent ids) and `<archive>/data/<key>` (raw little-endian storages).

import { DTYPE_SIZE, decodeElements, isFloatDType } from "./dtypes.js";
import { unpickle, type PickleCallable, type PickleGlobal, type PickleMarker } from "./pickle.js";
import { CheckpointError, numElements, type DType, type TensorData, type TensorMap } from "./types.js";
import { isZip, readZipDirectory, zipEntryBytes, type ZipEntry } from "./zip.js";

/** Storage classes torch.save names in persistent ids, and the element type each holds. */
export const TORCH_STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  "torch.DoubleStorage": "F64",
  "torch.FloatStorage": "F32",
  "torch.HalfStorage": "F16",
  "torch.BFloat16Storage": "BF16",
  "torch.LongStorage": "I64",
  "torch.IntStorage": "I32",
  "torch.ShortStorage": "I16",
  "torch.CharStorage": "I8",
  "torch.ByteStorage": "U8",
  "torch.BoolStorage": "BOOL",
};

interface StorageRef {
  readonly kind: "storage";
  dtype: DType;
  key: string;
  numel: number;
}

interface TensorRef {
  readonly kind: "tensor";
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

function isStorage(v: unknown): v is StorageRef {
  return typeof v === "object" && v !== null && (v as StorageRef).kind === "storage";
}
function isTensor(v: unknown): v is TensorRef {
  return typeof v === "object" && v !== null && (v as TensorRef).kind === "tensor";
}

function intList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** The complete allowlist: what a state dict needs, and nothing that can run code. */
function stateDictGlobals(fileName: string): Map<string, PickleGlobal> {
  const bad = (what: string): never => {
    throw new CheckpointError(fileName, `pickle: ${what}`);
  };
  const rebuildTensor = (name: string): PickleCallable => ({
    kind: "callable",
    qualifiedName: name,
    // (storage, storage_offset, size, stride, ...requires_grad, backward_hooks, metadata: ignored)
    call([storage, offset, size, stride]) {
      if (!isStorage(storage)) bad(`${name} without a storage`);
      if (!Number.isSafeInteger(offset) || (offset as number) < 0) bad(`${name} with storage offset ${String(offset)}`);
      if (!intList(size) || !intList(stride) || size.length !== stride.length) bad(`${name} with size ${JSON.stringify(size)} / stride ${JSON.stringify(stride)}`);
      return { kind: "tensor", storage, offset, size: [...(size as number[])], stride: [...(stride as number[])] } as TensorRef;
    },
  });
  const globals = new Map<string, PickleGlobal>();
  globals.set("collections.OrderedDict", { kind: "callable", qualifiedName: "collections.OrderedDict", call: () => new Map() });
  globals.set("torch._utils._rebuild_tensor_v2", rebuildTensor("torch._utils._rebuild_tensor_v2"));
  globals.set("torch._utils._rebuild_tensor", rebuildTensor("torch._utils._rebuild_tensor"));
  globals.set("torch._utils._rebuild_parameter", {
    kind: "callable",
    qualifiedName: "torch._utils._rebuild_parameter",
    call: ([data]) => (isTensor(data) ? data : bad("torch._utils._rebuild_parameter without a tensor")),
  });
  for (const name of Object.keys(TORCH_STORAGE_DTYPES)) globals.set(name, { kind: "marker", qualifiedName: name } satisfies PickleMarker);
  return globals;
}

/** Whether `bytes` looks like a pre-1.6 torch.save file (a bare pickle, or the older tar format). */
export function isLegacyTorchFile(bytes: Uint8Array): boolean {
  if (bytes.byteLength >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5) return true;
  return bytes.byteLength > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === "ustar";
}

/**
 * Reads the tensors of a PyTorch zip checkpoint whose top level is a flat name → tensor dict
 * (nested dicts such as DeepSpeed's sd["module"] are refused with a hint). Honours storage
 * offsets, sizes and strides (non-contiguous tensors are gathered into row-major copies) and
 * shared storages; F16/BF16/F64 storages become Float32Array. Contiguous F32/I32/I64 tensors
 * are views of `bytes`.
 */
export function readPytorchBin(bytes: Uint8Array, fileName: string): TensorMap {
  if (!isZip(bytes)) {
    if (isLegacyTorchFile(bytes)) {
      throw new CheckpointError(
        fileName,
        "this is a Python pickle, not a PyTorch zip checkpoint: a legacy (pre-1.6) torch.save file or a plain pickle, neither of which glmjs reads. Re-save a torch checkpoint with torch >= 1.6: " +
          "python -c \"import torch; torch.save(torch.load('FILE', map_location='cpu'), 'FILE')\" (or convert it to safetensors)",
      );
    }
    throw new CheckpointError(fileName, "not a PyTorch zip checkpoint (no zip signature)");
  }
  const entries = readZipDirectory(bytes, fileName);
  const pkl = [...entries.values()].filter((e) => e.name === "data.pkl" || /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl.length !== 1) {
    throw new CheckpointError(fileName, pkl.length === 0 ? "zip archive has no <archive>/data.pkl; it is not a torch.save checkpoint" : "zip archive has more than one data.pkl");
  }
  const prefix = pkl[0]!.name.slice(0, -"data.pkl".length);
  // torch >= 2.1 records the byte order of the storages; older files are always little-endian.
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder && new TextDecoder().decode(zipEntryBytes(bytes, byteorder, fileName)).trim() !== "little") {
    throw new CheckpointError(fileName, "storages are big-endian (saved on a big-endian machine); re-save it on a little-endian machine or convert it to safetensors");
  }
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5) {
      throw new CheckpointError(fileName, `pickle: unsupported persistent id ${JSON.stringify(pid)} (expected ('storage', type, key, location, numel))`);
    }
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    const dtype = type && typeof type === "object" ? TORCH_STORAGE_DTYPES[(type as PickleGlobal).qualifiedName] : undefined;
    if (!dtype) throw new CheckpointError(fileName, `pickle: persistent id names no known storage type`);
    if (typeof key !== "string" || !Number.isSafeInteger(numel)) throw new CheckpointError(fileName, `pickle: malformed storage id ${JSON.stringify([key, numel])}`);
    const existing = storages.get(key as string);
    if (existing) {
      if (existing.dtype !== dtype) throw new CheckpointError(fileName, `storage "${key as string}" is used as both ${existing.dtype} and ${dtype}; glmjs does not reinterpret storages`);
      return existing;
    }
    const ref: StorageRef = { kind: "storage", dtype, key: key as string, numel: numel as number };
    storages.set(ref.key, ref);
    return ref;
  };
  const root = unpickle(zipEntryBytes(bytes, pkl[0]!, fileName), { fileName, globals: stateDictGlobals(fileName), persistentLoad });
  if (!(root instanceof Map)) throw new CheckpointError(fileName, "the pickled object is not a dict of tensors");

  const decoded = new Map<string, TensorData>();
  const storageData = (s: StorageRef, tensorKey: string): TensorData => {
    const cached = decoded.get(s.key);
    if (cached) return cached;
    const entry: ZipEntry | undefined = entries.get(`${prefix}data/${s.key}`);
    if (!entry) throw new CheckpointError(fileName, `storage "${prefix}data/${s.key}" is missing from the zip archive`, tensorKey);
    const raw = zipEntryBytes(bytes, entry, fileName);
    const needed = s.numel * DTYPE_SIZE[s.dtype];
    if (raw.byteLength < needed) throw new CheckpointError(fileName, `storage "${s.key}" has ${raw.byteLength} bytes, fewer than its ${s.numel} ${s.dtype} elements need (${needed})`, tensorKey);
    const data = decodeElements(raw.subarray(0, needed), s.dtype, fileName, tensorKey);
    decoded.set(s.key, data);
    return data;
  };

  const tensors: TensorMap = new Map();
  for (const [name, value] of root) {
    if (typeof name !== "string") throw new CheckpointError(fileName, `state dict has a non-string key ${String(name)}`);
    if (!isTensor(value)) {
      throw new CheckpointError(fileName, "value is not a tensor (glmjs reads flat name → tensor state dicts; unwrap nested dicts such as sd['module'] in Python first)", name);
    }
    const storage = storageData(value.storage, name);
    tensors.set(name, { dtype: value.storage.dtype, shape: value.size, data: materialise(value, storage, fileName, name) });
  }
  return tensors;
}

/** The tensor's elements in row-major order: a view when contiguous, else a gathered copy. */
function materialise(t: TensorRef, storage: TensorData, fileName: string, key: string): TensorData {
  const count = numElements(t.size);
  if (count === 0) return storage.subarray(0, 0);
  let last = t.offset;
  for (let d = 0; d < t.size.length; d++) last += (t.size[d]! - 1) * t.stride[d]!;
  if (last >= storage.length) {
    throw new CheckpointError(fileName, `size [${t.size.join(", ")}], stride [${t.stride.join(", ")}] at offset ${t.offset} reach element ${last}, beyond its storage of ${storage.length}`, key);
  }
  let contiguous = true;
  let expected = 1;
  for (let d = t.size.length - 1; d >= 0; d--) {
    if (t.size[d]! !== 1 && t.stride[d]! !== expected) contiguous = false;
    expected *= t.size[d]!;
  }
  if (contiguous) return storage.subarray(t.offset, t.offset + count);
  let out: TensorData;
  try {
    out = isFloatDType(t.storage.dtype) ? new Float32Array(count) : t.storage.dtype === "I64" ? new BigInt64Array(count) : new Int32Array(count);
  } catch {
    throw new CheckpointError(fileName, `size [${t.size.join(", ")}] (${count} elements) is too large to materialise`, key);
  }
  const rank = t.size.length;
  const index = Array.from({ length: rank }, () => 0);
  let src = t.offset;
  for (let i = 0; i < count; i++) {
    (out as { [i: number]: number | bigint })[i] = storage[src]!;
    // odometer increment over the row-major index
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += t.stride[d]!;
      if (index[d]! < t.size[d]!) break;
      src -= t.stride[d]! * t.size[d]!;
      index[d] = 0;
    }
  }
  return out;
}
