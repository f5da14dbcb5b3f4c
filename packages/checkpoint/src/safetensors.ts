// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of UTF-8 JSON, then the raw little-endian tensor data, contiguous.
// Read strictly: any inconsistency is an error naming the file, the tensor and the problem.

import { DTYPE_SIZE, UNSUPPORTED_DTYPES, decodeElements, encodeElements, isDType } from "./dtypes.js";
import { duplicates, topLevelKeys } from "./json-keys.js";
import type { RangeSource } from "./range-source.js";
import {
  CheckpointError,
  numElements,
  tensorEntries,
  type CheckpointTensor,
  type DType,
  type LazyCheckpoint,
  type TensorInfo,
  type TensorInput,
  type TensorMap,
} from "./types.js";

export interface SafetensorsContents {
  tensors: TensorMap;
  metadata: Record<string, string>;
}

/** The safetensors library refuses headers over 100 MB; so do we (a corrupt length would otherwise allocate). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";

export interface HeaderEntry {
  key: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file. Float tensors come back as Float32Array (F16/BF16/F64 converted
 * exactly); F32, I32 and I64 tensors are views of `bytes` when aligned, so copy before mutating.
 * Tensors are listed in header order.
 */
export function readSafetensors(bytes: Uint8Array, fileName: string): SafetensorsContents {
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, fileName);
  const tensors: TensorMap = new Map();
  for (const e of entries) {
    const region = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    tensors.set(e.key, { dtype: e.dtype, shape: e.shape, data: decodeElements(region, e.dtype, fileName, e.key) });
  }
  return { tensors, metadata };
}

/** Header of a safetensors file, validated against the file size; data is not touched. */
export function parseSafetensorsHeader(bytes: Uint8Array, fileName: string): { entries: HeaderEntry[]; metadata: Record<string, string>; dataStart: number } {
  return parseSafetensorsHeaderFrom(bytes, bytes.byteLength, fileName);
}

/**
 * Opens a safetensors file for reading by ranges: the header first, then each tensor's bytes
 * when it is read. The whole file is never in memory at once.
 */
export async function openSafetensors(source: RangeSource): Promise<LazyCheckpoint> {
  const fileName = source.name;
  const first = await source.read(0, Math.min(8, source.size));
  let prefix = first;
  if (first.byteLength === 8) {
    const headerLength = new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true);
    // Lengths beyond the file or the format's limit are reported by the parser from the 8 bytes alone.
    if (headerLength <= BigInt(Math.min(source.size - 8, MAX_SAFETENSORS_HEADER_BYTES))) prefix = await source.read(0, 8 + Number(headerLength));
  }
  const { entries, metadata, dataStart } = parseSafetensorsHeaderFrom(prefix, source.size, fileName);
  const byName = new Map(entries.map((e) => [e.key, e]));
  return {
    format: "safetensors",
    name: fileName,
    metadata,
    tensors: new Map(entries.map((e): [string, TensorInfo] => [e.key, { dtype: e.dtype, shape: [...e.shape] }])),
    async read(name) {
      const e = byName.get(name);
      if (!e) throw new CheckpointError(fileName, "no such tensor in the checkpoint", name);
      const region = await source.read(dataStart + e.begin, e.end - e.begin);
      return { dtype: e.dtype, shape: [...e.shape], data: decodeElements(region, e.dtype, fileName, e.key) };
    },
  };
}

/** The header parser on its own: `prefix` holds at least the first 8 + header-length bytes of a file of `fileSize` bytes. */
function parseSafetensorsHeaderFrom(
  bytes: Uint8Array,
  fileSize: number,
  fileName: string,
): { entries: HeaderEntry[]; metadata: Record<string, string>; dataStart: number } {
  const fail = (message: string, key?: string): never => {
    throw new CheckpointError(fileName, message, key);
  };
  if (fileSize < 8) fail(`file is ${fileSize} bytes, shorter than the 8-byte safetensors header length; the file is truncated or not safetensors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength64 = view.getBigUint64(0, true);
  if (headerLength64 > BigInt(fileSize - 8)) {
    fail(`header length ${headerLength64} reaches beyond the end of the file (${fileSize} bytes); the file is truncated or not safetensors`);
  }
  const headerLength = Number(headerLength64);
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) fail(`header length ${headerLength} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit of the format`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail("header is not valid UTF-8; the file is corrupt or not safetensors");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    return fail(`header is not valid JSON (${(err as Error).message}); the file is corrupt or not safetensors`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("header JSON is not an object");
  const keyOrder = topLevelKeys(text);
  const dup = duplicates(keyOrder);
  if (dup.length > 0)
    fail(`header names ${dup.length === 1 ? "a tensor" : "tensors"} twice: ${dup.map((k) => `"${k}"`).join(", ")}`, dup.length === 1 ? dup[0] : undefined);

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  // Iterate in file order (Object.entries would move integer-like names first).
  for (const key of keyOrder) {
    const raw = (header as Record<string, unknown>)[key];
    if (key === METADATA_KEY) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`"${METADATA_KEY}" must be an object of strings`);
      for (const [mk, mv] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof mv !== "string")
          fail(`"${METADATA_KEY}" entry "${mk}" is ${JSON.stringify(mv)}, but metadata values must be strings (store JSON as a string)`);
        metadata[mk] = mv as string;
      }
      continue;
    }
    entries.push(parseEntry(key, raw, fail));
  }
  const dataStart = 8 + headerLength;
  checkLayout(entries, fileSize - dataStart, fail);
  return { entries, metadata, dataStart };
}

function parseEntry(key: string, raw: unknown, fail: (message: string, key?: string) => never): HeaderEntry {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`header entry must be an object with dtype, shape and data_offsets`, key);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== "string") return fail(`dtype is missing or not a string`, key);
  if (!isDType(dtype)) {
    if (UNSUPPORTED_DTYPES.includes(dtype)) fail(`dtype ${dtype} is valid safetensors but glmjs does not read it; convert the tensor to F32, F16 or BF16`, key);
    fail(`unknown dtype "${dtype}" (known: ${Object.keys(DTYPE_SIZE).join(", ")})`, key);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`, key);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers [begin, end]`, key);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`, key);
  const d = dtype as DType;
  const expected = numElements(shape as number[]) * DTYPE_SIZE[d];
  if (expected !== end - begin) {
    fail(`shape [${(shape as number[]).join(", ")}] of ${d} needs ${expected} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`, key);
  }
  return { key, dtype: d, shape: [...(shape as number[])], begin, end };
}

/** Offsets must lie inside the data and tile it exactly: no overlap, no gap, nothing left over. */
function checkLayout(entries: HeaderEntry[], dataLength: number, fail: (message: string, key?: string) => never): void {
  for (const e of entries) {
    if (e.end > dataLength)
      fail(`data_offsets [${e.begin}, ${e.end}] reach beyond the data section (${dataLength} bytes); the file is truncated or the header is wrong`, e.key);
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: HeaderEntry | undefined;
  for (const e of sorted) {
    if (e.begin < cursor) {
      fail(`data_offsets [${e.begin}, ${e.end}] overlap those of "${previous!.key}" [${previous!.begin}, ${previous!.end}]`, e.key);
    }
    if (e.begin > cursor) {
      const after = previous ? `after "${previous.key}" (which ends at ${cursor})` : "at the start of the data";
      fail(`data_offsets [${e.begin}, ${e.end}] leave a gap of ${e.begin - cursor} bytes ${after}; safetensors requires contiguous data`, e.key);
    }
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength) {
    fail(
      `${dataLength - cursor} bytes after the last tensor${previous ? ` ("${previous.key}")` : ""} belong to no tensor; safetensors requires the data to end with the last tensor`,
    );
  }
}

// The safetensors library's dtype order (its Dtype enum, "increasing alignment"); files list
// the highest first, so every tensor starts aligned to its element size.
const LAYOUT_RANK: Readonly<Record<DType, number>> = { BOOL: 0, U8: 1, I8: 2, I16: 3, U16: 4, F16: 5, BF16: 6, I32: 7, F32: 8, F64: 9, I64: 10 };

/** Compares by Unicode code point (= UTF-8 byte order, as Rust and Python sort), not UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done && cb.done ? 0 : ca.done ? -1 : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Order of tensors in a written file: by dtype (as the safetensors library does), then by name. */
function layoutOrder(a: [string, CheckpointTensor], b: [string, CheckpointTensor]): number {
  return LAYOUT_RANK[b[1].dtype] - LAYOUT_RANK[a[1].dtype] || compareCodePoints(a[0], b[0]);
}

/**
 * Serialises tensors as safetensors. Layout: tensors ordered by dtype as the safetensors library
 * orders them (8-byte types first, then 4-, 2- and 1-byte ones, so every tensor is aligned to its
 * element size), then by name — plain name order for a single-dtype checkpoint; header keys in that order,
 * `__metadata__` last (omitted when empty; the HF library writes it first, the reference
 * fixtures last, and readers accept both), compact JSON padded with spaces so the data starts
 * at a multiple of 8.
 */
export function writeSafetensors(tensors: TensorInput, metadata?: Record<string, string>, fileName = "<safetensors>"): Uint8Array {
  const parts = safetensorsParts(tensors, metadata, fileName);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * The same file as {@link writeSafetensors}, as consecutive parts (the header, then each tensor's
 * bytes, views of F32/I32/I64 data), to write one after another: a file larger than one
 * JavaScript array (4 GiB) can be written this way (`writeFileAtomic(path, parts)`).
 */
export function safetensorsParts(tensors: TensorInput, metadata?: Record<string, string>, fileName = "<safetensors>"): Uint8Array[] {
  const items = tensorEntries(tensors).sort(layoutOrder);
  const dup = duplicates(items.map(([k]) => k));
  if (dup.length > 0) throw new CheckpointError(fileName, "two tensors share this name", dup[0]);
  const encoded: Uint8Array[] = [];
  // JSON is assembled by hand: a JS object would move integer-like names ("0", "1") first.
  const parts: string[] = [];
  let offset = 0;
  for (const [key, t] of items) {
    if (key === METADATA_KEY) throw new CheckpointError(fileName, `"${METADATA_KEY}" is reserved for metadata and cannot name a tensor`, key);
    if (!isDType(t.dtype)) throw new CheckpointError(fileName, `unknown dtype "${String(t.dtype)}"`, key);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new CheckpointError(fileName, `shape ${JSON.stringify(t.shape)} is not a list of non-negative integers`, key);
    }
    const count = numElements(t.shape);
    if (t.data.length !== count) throw new CheckpointError(fileName, `shape [${t.shape.join(", ")}] has ${count} elements but data has ${t.data.length}`, key);
    const bytes = encodeElements(t.data, t.dtype, fileName, key);
    const info = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(info)}`);
    encoded.push(bytes);
    offset += bytes.byteLength;
  }
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new CheckpointError(fileName, `metadata "${k}" must be a string (store JSON as a string), got ${typeof v}`);
    }
    const fields = Object.keys(metadata).map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(",")}}`);
  }
  let json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil((8 + json.byteLength) / 8) * 8 - 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const head = new Uint8Array(8 + padded);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  return [head, ...encoded];
}
