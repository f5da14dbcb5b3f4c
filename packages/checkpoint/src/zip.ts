// Minimal ZIP reader for PyTorch checkpoints. torch.save writes a *stored* (uncompressed) zip,
// with zip64 records once the file passes 4 GiB, so entries are byte ranges of the file and can
// be viewed without copying. Compressed entries are listed but reported as unreadable.

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
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a zip64 size or offset (${v}) is too large`);
  return Number(v);
}

/** Lists the entries of a zip archive from its central directory. */
export function readZipDirectory(bytes: Uint8Array, fileName: string): Map<string, ZipEntry> {
  const fail = (message: string): never => {
    throw new CheckpointError(fileName, `${message}; the zip archive is truncated or corrupt`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.byteLength;
  const need = (at: number, n: number) => {
    if (at < 0 || at + n > len) fail(`a zip record at offset ${at} reaches beyond the end of the file (${len} bytes)`);
  };
  // End-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let at = len - 22; at >= Math.max(0, len - 22 - 65535); at--) {
    if (view.getUint32(at, true) === SIG_EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail("no end-of-central-directory record");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    need(locator, 20);
    if (view.getUint32(locator, true) !== SIG_ZIP64_LOCATOR) fail("zip64 end-of-central-directory locator missing");
    const zip64 = u64(view, locator + 8, fail);
    need(zip64, 56);
    if (view.getUint32(zip64, true) !== SIG_ZIP64_EOCD) fail("zip64 end-of-central-directory record missing");
    count = u64(view, zip64 + 32, fail);
    cdSize = u64(view, zip64 + 40, fail);
    cdOffset = u64(view, zip64 + 48, fail);
  }
  need(cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    need(at, 46);
    if (view.getUint32(at, true) !== SIG_CENTRAL) fail(`central directory entry ${i} has a bad signature`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    need(at + 46, nameLength + extraLength + commentLength);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 1) throw new CheckpointError(fileName, `zip entry "${name}" is encrypted; glmjs cannot read encrypted archives`);
    // zip64 extended information: the 64-bit values present are those whose 32-bit field is saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size16 = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let p = extra + 4;
        if (size === 0xffffffff) {
          size = u64(view, p, fail);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(view, p, fail);
          p += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(view, p, fail);
      }
      extra += 4 + size16;
    }
    need(localOffset, 30);
    if (view.getUint32(localOffset, true) !== SIG_LOCAL) fail(`local header of "${name}" has a bad signature`);
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    need(dataOffset, compressedSize);
    if (entries.has(name)) throw new CheckpointError(fileName, `zip archive holds "${name}" twice`);
    entries.set(name, { name, method, compressedSize, size, dataOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of a stored entry (a view of `bytes`, no copy); compressed entries are an error. */
export function zipEntryBytes(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  if (entry.method !== 0) {
    const how = entry.method === 8 ? "deflate-compressed" : `compressed (method ${entry.method})`;
    throw new CheckpointError(
      fileName,
      `zip entry "${entry.name}" is ${how}; glmjs reads only stored (uncompressed) entries, which is what torch.save writes. ` +
        "Re-save it with torch.save, or convert it to safetensors",
    );
  }
  if (entry.size !== entry.compressedSize) throw new CheckpointError(fileName, `stored zip entry "${entry.name}" has different compressed and uncompressed sizes; the archive is corrupt`);
  return bytes.subarray(entry.dataOffset, entry.dataOffset + entry.size);
}
