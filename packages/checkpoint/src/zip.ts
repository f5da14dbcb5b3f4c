// Minimal ZIP reader for PyTorch checkpoints. torch.save writes a *stored* (uncompressed) zip,
// with zip64 records once the file passes 4 GiB, so entries are byte ranges of the file and can
// be viewed without copying. Compressed entries are listed but reported as unreadable.

import type { RangeSource } from "./range-source.js";
import { CheckpointError } from "./types.js";

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate, anything else = other compression. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's data (after its local header) in the file. */
  dataOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;

/** Whether `bytes` starts like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

function u64(view: DataView, at: number, fail: (m: string) => never): number {
  if (at + 8 > view.byteLength) fail(`a zip64 field at ${at} lies outside its record`);
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a zip64 size or offset (${v}) is too large`);
  return Number(v);
}

/** A central-directory entry before its local header is read (the data's offset is not known yet). */
export interface ZipCentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header in the file. */
  localOffset: number;
}

/** A byte range the directory parser needs next; the driver answers with exactly those bytes. */
interface ByteRange {
  offset: number;
  length: number;
}

/**
 * The central directory of a zip archive of `fileLength` bytes, as a coroutine that asks for the
 * byte ranges it needs (the tail, possibly the zip64 record, then the directory itself). One parser
 * serves bytes in memory (answered synchronously) and files read by ranges (answered with awaits).
 */
function* centralDirectory(fileLength: number, fileName: string): Generator<ByteRange, ZipCentralEntry[], Uint8Array> {
  const fail = (message: string): never => {
    throw new CheckpointError(fileName, `${message}; the zip archive is truncated or corrupt`);
  };
  const need = function* (offset: number, length: number): Generator<ByteRange, DataView, Uint8Array> {
    if (offset < 0 || offset + length > fileLength) fail(`a zip record at offset ${offset} reaches beyond the end of the file (${fileLength} bytes)`);
    const bytes = yield { offset, length };
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  if (fileLength < 22) fail("no end-of-central-directory record");
  // End-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes; the zip64
  // locator (20 bytes) and usually the zip64 record (56) sit just before it.
  const tailStart = Math.max(0, fileLength - 22 - 65535 - 76);
  const tail = yield* need(tailStart, fileLength - tailStart);
  let eocd = -1;
  for (let at = tail.byteLength - 22; at >= Math.max(0, tail.byteLength - 22 - 65535); at--) {
    if (tail.getUint32(at, true) === SIG_EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail("no end-of-central-directory record");
  let count = tail.getUint16(eocd + 10, true);
  let cdSize = tail.getUint32(eocd + 12, true);
  let cdOffset = tail.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0) fail("zip64 end-of-central-directory locator missing");
    if (tail.getUint32(locator, true) !== SIG_ZIP64_LOCATOR) fail("zip64 end-of-central-directory locator missing");
    const zip64 = u64(tail, locator + 8, fail);
    const record =
      zip64 >= tailStart && zip64 + 56 <= fileLength ? new DataView(tail.buffer, tail.byteOffset + (zip64 - tailStart), 56) : yield* need(zip64, 56);
    if (record.getUint32(0, true) !== SIG_ZIP64_EOCD) fail("zip64 end-of-central-directory record missing");
    count = u64(record, 32, fail);
    cdSize = u64(record, 40, fail);
    cdOffset = u64(record, 48, fail);
  }
  const cd = yield* need(cdOffset, cdSize);
  const entries: ZipCentralEntry[] = [];
  const decoder = new TextDecoder();
  let at = 0;
  const within = (n: number) => {
    if (at + n > cdSize) fail(`a zip record at offset ${cdOffset + at} reaches beyond the central directory`);
  };
  for (let i = 0; i < count; i++) {
    within(46);
    if (cd.getUint32(at, true) !== SIG_CENTRAL) fail(`central directory entry ${i} has a bad signature`);
    const flags = cd.getUint16(at + 8, true);
    const method = cd.getUint16(at + 10, true);
    let compressedSize = cd.getUint32(at + 20, true);
    let size = cd.getUint32(at + 24, true);
    const nameLength = cd.getUint16(at + 28, true);
    const extraLength = cd.getUint16(at + 30, true);
    const commentLength = cd.getUint16(at + 32, true);
    let localOffset = cd.getUint32(at + 42, true);
    within(46 + nameLength + extraLength + commentLength);
    const name = decoder.decode(new Uint8Array(cd.buffer, cd.byteOffset + at + 46, nameLength));
    if (flags & 1) throw new CheckpointError(fileName, `zip entry "${name}" is encrypted; glmjs cannot read encrypted archives`);
    // zip64 extended information: the 64-bit values present are those whose 32-bit field is saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = cd.getUint16(extra, true);
      const size16 = cd.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let p = extra + 4;
        if (size === 0xffffffff) {
          size = u64(cd, p, fail);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(cd, p, fail);
          p += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(cd, p, fail);
      }
      extra += 4 + size16;
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Where an entry's data starts, from the first 30 bytes of its local header. */
function dataOffsetFromLocalHeader(header: DataView, entry: ZipCentralEntry, fileLength: number, fileName: string): number {
  if (header.getUint32(0, true) !== SIG_LOCAL) {
    throw new CheckpointError(fileName, `local header of "${entry.name}" has a bad signature; the zip archive is truncated or corrupt`);
  }
  const dataOffset = entry.localOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  if (dataOffset + entry.compressedSize > fileLength) {
    throw new CheckpointError(
      fileName,
      `a zip record at offset ${dataOffset} reaches beyond the end of the file (${fileLength} bytes); the zip archive is truncated or corrupt`,
    );
  }
  return dataOffset;
}

function byName<T extends { name: string }>(list: T[], fileName: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const e of list) {
    if (out.has(e.name)) throw new CheckpointError(fileName, `zip archive holds "${e.name}" twice`);
    out.set(e.name, e);
  }
  return out;
}

/** Lists the entries of a zip archive from its central directory. */
export function readZipDirectory(bytes: Uint8Array, fileName: string): Map<string, ZipEntry> {
  const parser = centralDirectory(bytes.byteLength, fileName);
  let step = parser.next();
  while (!step.done) step = parser.next(bytes.subarray(step.value.offset, step.value.offset + step.value.length));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = step.value.map((e): ZipEntry => {
    if (e.localOffset + 30 > bytes.byteLength) {
      throw new CheckpointError(
        fileName,
        `a zip record at offset ${e.localOffset} reaches beyond the end of the file (${bytes.byteLength} bytes); the zip archive is truncated or corrupt`,
      );
    }
    const header = new DataView(view.buffer, view.byteOffset + e.localOffset, 30);
    return {
      name: e.name,
      method: e.method,
      compressedSize: e.compressedSize,
      size: e.size,
      dataOffset: dataOffsetFromLocalHeader(header, e, bytes.byteLength, fileName),
    };
  });
  return byName(entries, fileName);
}

/** The central directory of a zip file read by ranges (the tail and the directory only). */
export async function readZipDirectoryFrom(source: RangeSource): Promise<Map<string, ZipCentralEntry>> {
  const parser = centralDirectory(source.size, source.name);
  let step = parser.next();
  while (!step.done) step = parser.next(await source.read(step.value.offset, step.value.length));
  return byName(step.value, source.name);
}

/** The byte range of a stored entry's data in a file read by ranges (reads its local header). */
export async function zipEntryRange(source: RangeSource, entry: ZipCentralEntry): Promise<{ offset: number; length: number }> {
  checkStored(entry, source.name);
  if (entry.localOffset + 30 > source.size) {
    throw new CheckpointError(
      source.name,
      `a zip record at offset ${entry.localOffset} reaches beyond the end of the file (${source.size} bytes); the zip archive is truncated or corrupt`,
    );
  }
  const bytes = await source.read(entry.localOffset, 30);
  const offset = dataOffsetFromLocalHeader(new DataView(bytes.buffer, bytes.byteOffset, 30), entry, source.size, source.name);
  return { offset, length: entry.size };
}

function checkStored(entry: { name: string; method: number; size: number; compressedSize: number }, fileName: string): void {
  if (entry.method !== 0) {
    const how = entry.method === 8 ? "deflate-compressed" : `compressed (method ${entry.method})`;
    throw new CheckpointError(
      fileName,
      `zip entry "${entry.name}" is ${how}; glmjs reads only stored (uncompressed) entries, which is what torch.save writes. ` +
        "Re-save it with torch.save, or convert it to safetensors",
    );
  }
  if (entry.size !== entry.compressedSize)
    throw new CheckpointError(fileName, `stored zip entry "${entry.name}" has different compressed and uncompressed sizes; the archive is corrupt`);
}

/** The bytes of a stored entry (a view of `bytes`, no copy); compressed entries are an error. */
export function zipEntryBytes(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  checkStored(entry, fileName);
  return bytes.subarray(entry.dataOffset, entry.dataOffset + entry.size);
}
