import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckpointError } from "./types.js";
import { readZipDirectory, zipEntryBytes } from "./zip.js";
import { crc32, writeStoredZip } from "./zip-writer.js";

/** Bit-at-a-time CRC-32, independent of the table-driven one under test. */
function referenceCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Deterministic pseudo-random bytes. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const enc = new TextEncoder();
const entries = [
  { name: "archive/data.pkl", data: bytesOf(437, 1) },
  { name: "archive/data/0", data: bytesOf(4096, 2) },
  { name: "archive/data/1", data: new Uint8Array(0) },
  { name: "archive/data/ünïcode", data: bytesOf(3, 3) },
  { name: "archive/version", data: enc.encode("3\n") },
];

/** CRC-32 of every entry as the central directory records it (plain zip, no comment). */
function centralCrcs(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.byteLength - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    out.set(name, view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

describe("crc32", () => {
  it("gives the standard check value and the empty-input value", () => {
    expect(crc32(enc.encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("agrees with a bit-at-a-time CRC for every length 0..40 and a long buffer", () => {
    for (let n = 0; n <= 40; n++) {
      const b = bytesOf(n, n + 7);
      expect(crc32(b), `length ${n}`).toBe(referenceCrc32(b));
    }
    const long = bytesOf(100_003, 99);
    expect(crc32(long)).toBe(referenceCrc32(long));
    // a view into a larger buffer
    expect(crc32(long.subarray(5, 1005))).toBe(referenceCrc32(long.slice(5, 1005)));
  });
});

describe("writeStoredZip", () => {
  it.each([false, true])("round-trips through the zip reader with 64-byte aligned data (zip64 forced: %s)", (forceZip64) => {
    const zip = writeStoredZip(entries, { alignment: 64, forceZip64 });
    const dir = readZipDirectory(zip, "test.zip");
    expect([...dir.keys()]).toEqual(entries.map((e) => e.name));
    for (const e of entries) {
      const entry = dir.get(e.name)!;
      expect(entry.method).toBe(0);
      expect(entry.dataOffset % 64, e.name).toBe(0);
      expect(zipEntryBytes(zip, entry, "test.zip")).toEqual(e.data);
    }
  });

  it("records the CRC-32 of every entry in the central directory", () => {
    const zip = writeStoredZip(entries, { alignment: 64 });
    const crcs = centralCrcs(zip);
    for (const e of entries) expect(crcs.get(e.name), e.name).toBe(referenceCrc32(e.data));
  });

  it("pads with PyTorch's 'FB' extra field only as much as alignment needs", () => {
    const unaligned = writeStoredZip(entries, { alignment: 1 });
    const dir = readZipDirectory(unaligned, "test.zip");
    // local header 30 + name + 4-byte empty FB field, then the data
    expect(dir.get(entries[0]!.name)!.dataOffset).toBe(30 + entries[0]!.name.length + 4);
    const aligned = writeStoredZip(entries, { alignment: 64 });
    const view = new DataView(aligned.buffer);
    const extraAt = 30 + entries[0]!.name.length;
    expect(view.getUint16(extraAt, true)).toBe(0x4246);
    const padding = view.getUint16(extraAt + 2, true);
    expect(64 - padding).toBe(extraAt + 4);
    expect([...aligned.subarray(extraAt + 4, extraAt + 4 + padding)].every((b) => b === 0x5a)).toBe(true);
  });

  it("writes the same bytes for the same entries", () => {
    expect(writeStoredZip(entries, { alignment: 64 })).toEqual(writeStoredZip(entries, { alignment: 64 }));
  });

  it("refuses duplicate names and a bad alignment, naming the file", () => {
    const dup = [entries[0]!, entries[0]!];
    expect(() => writeStoredZip(dup, { fileName: "x.bin" })).toThrow(CheckpointError);
    expect(() => writeStoredZip(dup, { fileName: "x.bin" })).toThrow(/x\.bin: zip entry "archive\/data\.pkl" is written twice/);
    expect(() => writeStoredZip(entries, { alignment: 0, fileName: "x.bin" })).toThrow(/alignment 0/);
  });
});

// Python's zipfile checks every CRC and the zip64 records independently of glmjs's reader.
const python = spawnSync("python3", ["-c", "import zipfile"], { encoding: "utf8" }).status === 0;
if (!python) console.warn("[glmjs tests] SKIPPING: python3 is not available; zip files are not cross-checked with Python's zipfile.");

// Starting python3 takes seconds on a loaded machine: a generous timeout.
describe.skipIf(!python)("writeStoredZip against Python's zipfile", { timeout: 60_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), "glmjs-zip-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([false, true])("zipfile reads every entry with a valid CRC (zip64 forced: %s)", (forceZip64) => {
    const file = join(tmp, `z${forceZip64 ? 64 : 32}.zip`);
    writeFileSync(file, writeStoredZip(entries, { alignment: 64, forceZip64 }));
    const script =
      "import zipfile,sys,json,hashlib\n" +
      "z=zipfile.ZipFile(sys.argv[1])\n" +
      "assert z.testzip() is None, z.testzip()\n" +
      "print(json.dumps([[i.filename, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))";
    const run = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const listed = JSON.parse(run.stdout) as [string, number, string][];
    expect(listed.map(([name, method]) => [name, method])).toEqual(entries.map((e) => [e.name, 0]));
    listed.forEach(([, , sha], i) => expect(sha).toBe(createHash("sha256").update(entries[i]!.data).digest("hex")));
  });
});
