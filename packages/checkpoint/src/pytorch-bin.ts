// PyTorch checkpoints (`pytorch_model.bin`, `*.pt`) in the zip format of torch >= 1.6:
// `<archive>/data.pkl` (a pickled state dict whose tensors point at storages through
// persistent ids) and `<archive>/data/<key>` (raw little-endian storages).

import { DTYPE_SIZE, decodeElements, isFloatDType } from "./dtypes.js";
import { unpickle, type PickleCallable, type PickleGlobal, type PickleMarker } from "./pickle.js";
import type { RangeSource } from "./range-source.js";
import {
  CheckpointError,
  numElements,
  type CheckpointScalar,
  type DType,
  type LazyCheckpoint,
  type TensorData,
  type TensorInfo,
  type TensorMap,
} from "./types.js";
import { isZip, readZipDirectory, readZipDirectoryFrom, zipEntryBytes, zipEntryRange, type ZipCentralEntry, type ZipEntry } from "./zip.js";

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
      if (!intList(size) || !intList(stride) || size.length !== stride.length)
        bad(`${name} with size ${JSON.stringify(size)} / stride ${JSON.stringify(stride)}`);
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

/** A parsed data.pkl: the state dict's tensors as references into the archive's storages. */
interface TorchPickle {
  /** Folder of data.pkl inside the zip ("archive/"). */
  prefix: string;
  refs: Map<string, TensorRef>;
  /** "module" when the state dict was the `module` entry of a training checkpoint. */
  entry: "root" | "module";
  /** A training checkpoint's plain entries besides `module` (iteration, mp_world_size, …). */
  entries: Record<string, CheckpointScalar>;
}

function refuseLegacy(bytes: Uint8Array, fileName: string): never {
  if (isLegacyTorchFile(bytes)) {
    throw new CheckpointError(
      fileName,
      "this is a Python pickle, not a PyTorch zip checkpoint: a legacy (pre-1.6) torch.save file or a plain pickle, neither of which glmjs reads. Re-save a torch checkpoint with torch >= 1.6: " +
        "python -c \"import torch; torch.save(torch.load('FILE', map_location='cpu'), 'FILE')\" (or convert it to safetensors)",
    );
  }
  throw new CheckpointError(fileName, "not a PyTorch zip checkpoint (no zip signature)");
}

function findPickle<T extends { name: string }>(entries: Map<string, T>, fileName: string): T {
  const pkl = [...entries.values()].filter((e) => e.name === "data.pkl" || /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl.length !== 1) {
    throw new CheckpointError(
      fileName,
      pkl.length === 0 ? "zip archive has no <archive>/data.pkl; it is not a torch.save checkpoint" : "zip archive has more than one data.pkl",
    );
  }
  return pkl[0]!;
}

function checkByteorder(text: Uint8Array | undefined, fileName: string): void {
  // torch >= 2.1 records the byte order of the storages; older files are always little-endian.
  if (text && new TextDecoder().decode(text).trim() !== "little") {
    throw new CheckpointError(
      fileName,
      "storages are big-endian (saved on a big-endian machine); re-save it on a little-endian machine or convert it to safetensors",
    );
  }
}

function unpickleStateDict(pkl: Uint8Array, fileName: string, opaqueGlobals: boolean): unknown {
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5) {
      throw new CheckpointError(fileName, `pickle: unsupported persistent id ${JSON.stringify(pid)} (expected ('storage', type, key, location, numel))`);
    }
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    const dtype = type && typeof type === "object" ? TORCH_STORAGE_DTYPES[(type as PickleGlobal).qualifiedName] : undefined;
    if (!dtype) throw new CheckpointError(fileName, `pickle: persistent id names no known storage type`);
    if (typeof key !== "string" || !Number.isSafeInteger(numel))
      throw new CheckpointError(fileName, `pickle: malformed storage id ${JSON.stringify([key, numel])}`);
    const existing = storages.get(key as string);
    if (existing) {
      if (existing.dtype !== dtype)
        throw new CheckpointError(fileName, `storage "${key as string}" is used as both ${existing.dtype} and ${dtype}; glmjs does not reinterpret storages`);
      return existing;
    }
    const ref: StorageRef = { kind: "storage", dtype, key: key as string, numel: numel as number };
    storages.set(ref.key, ref);
    return ref;
  };
  return unpickle(pkl, { fileName, globals: stateDictGlobals(fileName), persistentLoad, opaqueGlobals });
}

/**
 * The state dict a data.pkl holds: a flat name → tensor dict, or the `module` entry of a training
 * checkpoint (the original GLM's and DeepSpeed's `mp_rank_XX_model_states.pt`), whose other
 * entries (iteration, optimizer and RNG states, argparse namespaces, numpy arrays) are skipped.
 * Those may name globals outside the allowlist: such a file is read a second time with the
 * unknown globals as inert values, and accepted only if its `module` entry is a dict of tensors.
 */
function parseTorchPickle(pkl: Uint8Array, prefix: string, fileName: string): TorchPickle {
  let root: unknown;
  try {
    root = unpickleStateDict(pkl, fileName, false);
  } catch (strictError) {
    if (!(strictError instanceof CheckpointError)) throw strictError;
    let lenient: unknown;
    try {
      lenient = unpickleStateDict(pkl, fileName, true);
    } catch {
      throw strictError;
    }
    if (!(lenient instanceof Map) || !(lenient.get("module") instanceof Map)) throw strictError;
    root = lenient;
  }
  if (!(root instanceof Map)) throw new CheckpointError(fileName, "the pickled object is not a dict of tensors");
  const module = root.get("module");
  const training = module instanceof Map && ![...root.values()].every(isTensor);
  const dict = (training ? module : root) as Map<unknown, unknown>;
  const refs = new Map<string, TensorRef>();
  for (const [name, value] of dict) {
    const where = training ? `module.${String(name)}` : String(name);
    if (typeof name !== "string") throw new CheckpointError(fileName, `state dict has a non-string key ${String(name)}`);
    if (!isTensor(value)) {
      throw new CheckpointError(
        fileName,
        "value is not a tensor (glmjs reads a flat name → tensor state dict, or the state dict in a training checkpoint's 'module' entry)",
        where,
      );
    }
    refs.set(name, value);
  }
  const entries: Record<string, CheckpointScalar> = {};
  if (training) {
    for (const [k, v] of root) {
      if (typeof k !== "string" || k === "module") continue;
      if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v === null) entries[k] = v;
      else if (typeof v === "bigint") entries[k] = Number(v);
    }
  }
  return { prefix, refs, entry: training ? "module" : "root", entries };
}

/**
 * Reads the tensors of a PyTorch zip checkpoint: a flat name → tensor state dict, or a training
 * checkpoint's `module` entry (other entries ignored). Honours storage offsets, sizes and strides
 * (non-contiguous tensors are gathered into row-major copies) and shared storages; F16/BF16/F64
 * storages become Float32Array. Contiguous F32/I32/I64 tensors are views of `bytes`.
 */
export function readPytorchBin(bytes: Uint8Array, fileName: string): TensorMap {
  if (!isZip(bytes)) refuseLegacy(bytes, fileName);
  const entries = readZipDirectory(bytes, fileName);
  const pklEntry = findPickle(entries, fileName);
  const prefix = pklEntry.name.slice(0, -"data.pkl".length);
  const byteorder = entries.get(`${prefix}byteorder`);
  checkByteorder(byteorder && zipEntryBytes(bytes, byteorder, fileName), fileName);
  const { refs } = parseTorchPickle(zipEntryBytes(bytes, pklEntry, fileName), prefix, fileName);

  const decoded = new Map<string, TensorData>();
  const storageData = (s: StorageRef, tensorKey: string): TensorData => {
    const cached = decoded.get(s.key);
    if (cached) return cached;
    const entry: ZipEntry | undefined = entries.get(`${prefix}data/${s.key}`);
    if (!entry) throw new CheckpointError(fileName, `storage "${prefix}data/${s.key}" is missing from the zip archive`, tensorKey);
    const raw = zipEntryBytes(bytes, entry, fileName);
    const needed = s.numel * DTYPE_SIZE[s.dtype];
    if (raw.byteLength < needed)
      throw new CheckpointError(
        fileName,
        `storage "${s.key}" has ${raw.byteLength} bytes, fewer than its ${s.numel} ${s.dtype} elements need (${needed})`,
        tensorKey,
      );
    const data = decodeElements(raw.subarray(0, needed), s.dtype, fileName, tensorKey);
    decoded.set(s.key, data);
    return data;
  };

  const tensors: TensorMap = new Map();
  for (const [name, ref] of refs) {
    tensors.set(name, { dtype: ref.storage.dtype, shape: ref.size, data: materialise(ref, storageData(ref.storage, name), fileName, name) });
  }
  return tensors;
}

/**
 * Opens a PyTorch zip checkpoint for reading by ranges: the zip directory and data.pkl first,
 * then each tensor's bytes when it is read (only the elements the tensor spans, not its whole
 * storage). Peak memory is one tensor, however large the file.
 */
export async function openPytorchCheckpoint(source: RangeSource): Promise<LazyCheckpoint> {
  const fileName = source.name;
  const head = await source.read(0, Math.min(source.size, 512));
  if (!isZip(head)) refuseLegacy(head, fileName);
  const entries = await readZipDirectoryFrom(source);
  const readEntry = async (e: ZipCentralEntry) => {
    const { offset, length } = await zipEntryRange(source, e);
    return source.read(offset, length);
  };
  const pklEntry = findPickle(entries, fileName);
  const prefix = pklEntry.name.slice(0, -"data.pkl".length);
  const byteorder = entries.get(`${prefix}byteorder`);
  checkByteorder(byteorder && (await readEntry(byteorder)), fileName);
  const { refs, entries: checkpointEntries } = parseTorchPickle(await readEntry(pklEntry), prefix, fileName);
  const infos = new Map<string, TensorInfo>([...refs].map(([name, ref]) => [name, { dtype: ref.storage.dtype, shape: [...ref.size] }]));
  return {
    format: "pytorch",
    name: fileName,
    metadata: {},
    checkpointEntries,
    tensors: infos,
    async read(name) {
      const ref = refs.get(name);
      if (!ref) throw new CheckpointError(fileName, "no such tensor in the checkpoint", name);
      const s = ref.storage;
      const entry = entries.get(`${prefix}data/${s.key}`);
      if (!entry) throw new CheckpointError(fileName, `storage "${prefix}data/${s.key}" is missing from the zip archive`, name);
      const elementSize = DTYPE_SIZE[s.dtype];
      if (entry.size < s.numel * elementSize) {
        throw new CheckpointError(
          fileName,
          `storage "${s.key}" has ${entry.size} bytes, fewer than its ${s.numel} ${s.dtype} elements need (${s.numel * elementSize})`,
          name,
        );
      }
      const { first, last } = elementSpan(ref);
      if (last >= s.numel) {
        throw new CheckpointError(
          fileName,
          `size [${ref.size.join(", ")}], stride [${ref.stride.join(", ")}] at offset ${ref.offset} reach element ${last}, beyond its storage of ${s.numel}`,
          name,
        );
      }
      const { offset } = await zipEntryRange(source, entry);
      const count = last < first ? 0 : last - first + 1;
      const raw = await source.read(offset + first * elementSize, count * elementSize);
      const span = decodeElements(raw, s.dtype, fileName, name);
      return { dtype: s.dtype, shape: [...ref.size], data: materialise({ ...ref, offset: ref.offset - first }, span, fileName, name) };
    },
  };
}

/** The first and last storage elements a tensor view touches (last < first for an empty tensor). */
function elementSpan(t: TensorRef): { first: number; last: number } {
  if (numElements(t.size) === 0) return { first: t.offset, last: t.offset - 1 };
  let last = t.offset;
  for (let d = 0; d < t.size.length; d++) last += (t.size[d]! - 1) * t.stride[d]!;
  return { first: t.offset, last };
}

/** The tensor's elements in row-major order: a view when contiguous, else a gathered copy. */
function materialise(t: TensorRef, storage: TensorData, fileName: string, key: string): TensorData {
  const count = numElements(t.size);
  if (count === 0) return storage.subarray(0, 0);
  let last = t.offset;
  for (let d = 0; d < t.size.length; d++) last += (t.size[d]! - 1) * t.stride[d]!;
  if (last >= storage.length) {
    throw new CheckpointError(
      fileName,
      `size [${t.size.join(", ")}], stride [${t.stride.join(", ")}] at offset ${t.offset} reach element ${last}, beyond its storage of ${storage.length}`,
      key,
    );
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
