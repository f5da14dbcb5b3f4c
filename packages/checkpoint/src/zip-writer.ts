// Minimal ZIP writer for PyTorch checkpoints: stored (uncompressed) entries whose data starts at a
// multiple of `alignment` bytes in the file, the way PyTorch's PyTorchStreamWriter pads records
// (an "FB" extra field filled with 'Z'), so a reader can map storages straight from the file.
// Sizes and CRC-32 are known up front, so they go into the local headers (no data descriptors);
// zip64 records are written only where a size, offset or entry count needs them.
// Hand-written because the common zip libraries compress, stream through Node APIs, or cannot align.

import { CheckpointError } from "./types.js";

export interface ZipWriterEntry {
  /** Path inside the archive (UTF-8). */
  name: string;
  data: Uint8Array;
}

export interface ZipWriterOptions {
  /** Data of every entry starts at a multiple of this in the file (PyTorch: 64). */
  alignment?: number;
  /** Write zip64 records for every entry even when none is needed (to test the >4 GiB path). */
  forceZip64?: boolean;
  /** For error messages. */
  fileName?: string;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const FLAG_UTF8 = 0x0800;
/** DOS date 1980-01-01, time 00:00: fixed, so the same tensors always give the same bytes. */
const DOS_DATE = 0x0021;
/** The extra-field id PyTorch uses for alignment padding ("FB"). */
const PADDING_FIELD_ID = 0x4246;

let crcTables: Uint32Array[] | undefined;

/** CRC-32 lookup tables for slicing-by-8 (8 × 256 entries, built once). */
function tables(): Uint32Array[] {
  if (crcTables) return crcTables;
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k]![n] = (t[0]![t[k - 1]![n]! & 0xff]! ^ (t[k - 1]![n]! >>> 8)) >>> 0;
  }
  crcTables = t;
  return t;
}

/** CRC-32 (the zip / PNG polynomial) of `bytes`, processed eight bytes at a time. */
export function crc32(bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables() as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~0 >>> 0;
  let i = 0;
  const n8 = bytes.length - (bytes.length % 8);
  for (; i < n8; i += 8) {
    const a = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      t7[a & 0xff]! ^
      t6[(a >>> 8) & 0xff]! ^
      t5[(a >>> 16) & 0xff]! ^
      t4[a >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

interface Planned {
  name: Uint8Array;
  data: Uint8Array;
  crc: number;
  localOffset: number;
  /** zip64 extra of the local header (sizes), empty when not needed. */
  localZip64: number;
  padding: number;
  zip64: boolean;
}

/** Serialises `entries`, in order, as a stored zip archive. */
export function writeStoredZip(entries: readonly ZipWriterEntry[], options: ZipWriterOptions = {}): Uint8Array {
  const fileName = options.fileName ?? "<zip>";
  const parts = storedZipParts(entries, options);
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  let out: Uint8Array;
  try {
    out = new Uint8Array(total);
  } catch {
    throw new CheckpointError(
      fileName,
      `archive of ${total} bytes is more than this JavaScript engine can hold in one array; write it to a file part by part (storedZipParts) or write a sharded checkpoint`,
    );
  }
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * The archive as consecutive parts: small header arrays and the entries' own data arrays (not
 * copied), so an archive larger than one JavaScript array can be written to a file part by part.
 */
export function storedZipParts(entries: readonly ZipWriterEntry[], options: ZipWriterOptions = {}): Uint8Array[] {
  const alignment = options.alignment ?? 1;
  const fileName = options.fileName ?? "<zip>";
  if (!Number.isSafeInteger(alignment) || alignment < 1) throw new CheckpointError(fileName, `zip alignment ${alignment} is not a positive integer`);
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const planned: Planned[] = [];
  let offset = 0;
  for (const e of entries) {
    if (seen.has(e.name)) throw new CheckpointError(fileName, `zip entry "${e.name}" is written twice`);
    seen.add(e.name);
    const name = encoder.encode(e.name);
    if (name.length > U16_MAX) throw new CheckpointError(fileName, `zip entry name of ${name.length} bytes is longer than a zip allows (65535)`);
    const zip64 = options.forceZip64 === true || e.data.byteLength >= U32_MAX || offset >= U32_MAX;
    const localZip64 = zip64 ? 4 + 16 : 0;
    const start = offset + 30 + name.length + localZip64 + 4;
    const padding = (alignment - (start % alignment)) % alignment;
    planned.push({ name, data: e.data, crc: crc32(e.data), localOffset: offset, localZip64, padding, zip64 });
    offset = start + padding + e.data.byteLength;
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const p of planned) cdSize += 46 + p.name.length + (p.zip64 ? 4 + 24 : 0);
  const zip64End = options.forceZip64 === true || planned.length >= U16_MAX || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const total = cdOffset + cdSize + (zip64End ? 56 + 20 : 0) + 22;
  if (total > Number.MAX_SAFE_INTEGER) throw new CheckpointError(fileName, `archive of ${total} bytes is too large`);
  const parts: Uint8Array[] = [];

  for (const p of planned) {
    const header = new Uint8Array(30 + p.name.length + p.localZip64 + 4 + p.padding);
    const view = new DataView(header.buffer);
    const u16 = (at: number, v: number) => view.setUint16(at, v, true);
    const u32 = (at: number, v: number) => view.setUint32(at, v, true);
    const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
    u32(0, SIG_LOCAL);
    u16(4, p.zip64 ? 45 : 20); // version needed to extract
    u16(6, FLAG_UTF8);
    u16(8, 0); // stored
    u16(10, 0); // time
    u16(12, DOS_DATE);
    u32(14, p.crc);
    u32(18, p.zip64 ? U32_MAX : p.data.byteLength);
    u32(22, p.zip64 ? U32_MAX : p.data.byteLength);
    u16(26, p.name.length);
    u16(28, p.localZip64 + 4 + p.padding);
    header.set(p.name, 30);
    let at = 30 + p.name.length;
    if (p.zip64) {
      u16(at, 0x0001);
      u16(at + 2, 16);
      u64(at + 4, p.data.byteLength);
      u64(at + 12, p.data.byteLength);
      at += 20;
    }
    u16(at, PADDING_FIELD_ID);
    u16(at + 2, p.padding);
    header.fill(0x5a, at + 4, at + 4 + p.padding); // 'Z'
    parts.push(header, p.data);
  }

  const end = new Uint8Array(cdSize + (zip64End ? 56 + 20 : 0) + 22);
  const view = new DataView(end.buffer);
  const u16 = (at: number, v: number) => view.setUint16(at, v, true);
  const u32 = (at: number, v: number) => view.setUint32(at, v, true);
  const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
  let at = 0;
  for (const p of planned) {
    u32(at, SIG_CENTRAL);
    u16(at + 4, p.zip64 ? 45 : 20); // version made by (MS-DOS attributes)
    u16(at + 6, p.zip64 ? 45 : 20);
    u16(at + 8, FLAG_UTF8);
    u16(at + 10, 0);
    u16(at + 12, 0);
    u16(at + 14, DOS_DATE);
    u32(at + 16, p.crc);
    u32(at + 20, p.zip64 ? U32_MAX : p.data.byteLength);
    u32(at + 24, p.zip64 ? U32_MAX : p.data.byteLength);
    u16(at + 28, p.name.length);
    u16(at + 30, p.zip64 ? 28 : 0);
    // comment length, disk number, internal and external attributes: 0
    u32(at + 42, p.zip64 ? U32_MAX : p.localOffset);
    end.set(p.name, at + 46);
    at += 46 + p.name.length;
    if (p.zip64) {
      // zip64 extended information: uncompressed size, compressed size, local header offset
      u16(at, 0x0001);
      u16(at + 2, 24);
      u64(at + 4, p.data.byteLength);
      u64(at + 12, p.data.byteLength);
      u64(at + 20, p.localOffset);
      at += 28;
    }
  }

  if (zip64End) {
    const record = cdOffset + at;
    u32(at, SIG_ZIP64_EOCD);
    u64(at + 4, 44); // size of the rest of this record
    u16(at + 12, 45);
    u16(at + 14, 45);
    // disk numbers: 0
    u64(at + 24, planned.length);
    u64(at + 32, planned.length);
    u64(at + 40, cdSize);
    u64(at + 48, cdOffset);
    at += 56;
    u32(at, SIG_ZIP64_LOCATOR);
    u64(at + 8, record);
    u32(at + 16, 1); // total number of disks
    at += 20;
  }
  u32(at, SIG_EOCD);
  u16(at + 8, zip64End ? U16_MAX : planned.length);
  u16(at + 10, zip64End ? U16_MAX : planned.length);
  u32(at + 12, zip64End ? U32_MAX : cdSize);
  u32(at + 16, zip64End ? U32_MAX : cdOffset);
  parts.push(end);
  return parts;
}
