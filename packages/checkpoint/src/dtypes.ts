// Element types: sizes, and conversion between file bytes and in-memory arrays.
// Half floats are converted by hand (no library does F16/BF16 for plain typed arrays), exactly:
// every finite half value, subnormals, infinities and NaN map to the same float32 value.

import { CheckpointError, type DType, type TensorData } from "./types.js";

/** Bytes per element in the file. */
export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  U16: 2,
  BOOL: 1,
};

/** safetensors dtype names that exist in the format but that glmjs does not read. */
export const UNSUPPORTED_DTYPES: readonly string[] = ["U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2"];

export function isDType(name: string): name is DType {
  return Object.prototype.hasOwnProperty.call(DTYPE_SIZE, name);
}

/** Whether the in-memory array for this dtype is a Float32Array. */
export function isFloatDType(dtype: DType): boolean {
  return dtype === "F64" || dtype === "F32" || dtype === "F16" || dtype === "BF16";
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Scratch for bit casts between float32 and uint32.
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

let halfTable: Float32Array | undefined;

/** float32 value of every IEEE half (binary16) bit pattern, built once (256 KiB). */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) {
      // zero or subnormal: mant * 2^-24, exactly representable in float32
      table[h] = (sign ? -1 : 1) * mant * 2 ** -24;
    } else if (exp === 31) {
      // infinity, or NaN with its payload kept
      bits[h] = (sign | 0x7f800000 | (mant << 13)) >>> 0;
    } else {
      bits[h] = (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
    }
  }
  halfTable = table;
  return table;
}

/** IEEE half bits → float32 value (exact). */
export function halfBitsToFloat(bits: number): number {
  return halfToFloatTable()[bits & 0xffff]!;
}

/** bfloat16 bits → float32 value (exact: bf16 is the top half of a float32). */
export function bfloat16BitsToFloat(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0]!;
}

/** float32 → IEEE half bits, round to nearest even; overflow gives ±inf, NaN stays NaN. */
export function floatToHalfBits(value: number): number {
  scratchF32[0] = value;
  const b = scratchU32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++; // a carry into the exponent is correct rounding
  return sign | h;
}

/** float32 → bfloat16 bits, round to nearest even; NaN stays (quiet) NaN. */
export function floatToBfloat16Bits(value: number): number {
  scratchF32[0] = value;
  const b = scratchU32[0]!;
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) return ((b >>> 16) | 0x40) & 0xffff;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** A copy of `bytes` in a fresh buffer (so typed-array views of it are aligned). */
function aligned(bytes: Uint8Array, elementSize: number): Uint8Array {
  return bytes.byteOffset % elementSize === 0 ? bytes : bytes.slice();
}

/**
 * Decodes `bytes` (exactly count × element size, little-endian) into the in-memory array for `dtype`.
 * F32, I32 and I64 are views of `bytes` when it is aligned (zero-copy), else copies.
 */
export function decodeElements(bytes: Uint8Array, dtype: DType, file: string, key: string): TensorData {
  if (!LITTLE_ENDIAN)
    throw new CheckpointError(file, "this host is big-endian; checkpoint files are little-endian and glmjs reads them only on little-endian hosts", key);
  const size = DTYPE_SIZE[dtype];
  if (bytes.byteLength % size !== 0) {
    throw new CheckpointError(file, `${bytes.byteLength} bytes is not a whole number of ${dtype} elements (${size} bytes each)`, key);
  }
  const count = bytes.byteLength / size;
  const b = aligned(bytes, size);
  switch (dtype) {
    case "F32":
      return new Float32Array(b.buffer, b.byteOffset, count);
    case "F64":
      return Float32Array.from(new Float64Array(b.buffer, b.byteOffset, count));
    case "F16": {
      const table = halfToFloatTable();
      const src = new Uint16Array(b.buffer, b.byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[src[i]!]!;
      return out;
    }
    case "BF16": {
      const src = new Uint16Array(b.buffer, b.byteOffset, count);
      const out = new Uint32Array(count);
      for (let i = 0; i < count; i++) out[i] = src[i]! << 16;
      return new Float32Array(out.buffer);
    }
    case "I64":
      return new BigInt64Array(b.buffer, b.byteOffset, count);
    case "I32":
      return new Int32Array(b.buffer, b.byteOffset, count);
    case "I16":
      return Int32Array.from(new Int16Array(b.buffer, b.byteOffset, count));
    case "U16":
      return Int32Array.from(new Uint16Array(b.buffer, b.byteOffset, count));
    case "I8":
      return Int32Array.from(new Int8Array(b.buffer, b.byteOffset, count));
    case "U8":
    case "BOOL":
      return Int32Array.from(b);
  }
}

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  I16: [-32768, 32767],
  U16: [0, 65535],
  I8: [-128, 127],
  U8: [0, 255],
  BOOL: [0, 1],
};

/** The array type a writer expects for each dtype, for error messages. */
export function expectedArrayName(dtype: DType): string {
  if (isFloatDType(dtype)) return "Float32Array";
  return dtype === "I64" ? "BigInt64Array" : "Int32Array";
}

/** Encodes an in-memory array as little-endian `dtype` bytes (a view of `data` for F32/I32/I64). */
export function encodeElements(data: TensorData, dtype: DType, file: string, key: string): Uint8Array {
  if (!LITTLE_ENDIAN) throw new CheckpointError(file, "this host is big-endian; glmjs writes checkpoints only on little-endian hosts", key);
  const wrongType = () => new CheckpointError(file, `dtype ${dtype} needs a ${expectedArrayName(dtype)} but got a ${data.constructor.name}`, key);
  if (isFloatDType(dtype)) {
    if (!(data instanceof Float32Array)) throw wrongType();
    if (dtype === "F32") return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (dtype === "F64") return new Uint8Array(Float64Array.from(data).buffer);
    const out = new Uint16Array(data.length);
    const convert = dtype === "F16" ? floatToHalfBits : floatToBfloat16Bits;
    for (let i = 0; i < data.length; i++) out[i] = convert(data[i]!);
    return new Uint8Array(out.buffer);
  }
  if (dtype === "I64") {
    if (!(data instanceof BigInt64Array)) throw wrongType();
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (!(data instanceof Int32Array)) throw wrongType();
  if (dtype === "I32") return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const [lo, hi] = INT_RANGE[dtype]!;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v > hi) throw new CheckpointError(file, `value ${v} at index ${i} does not fit ${dtype} (${lo}..${hi})`, key);
  }
  switch (dtype) {
    case "I16":
      return new Uint8Array(Int16Array.from(data).buffer);
    case "U16":
      return new Uint8Array(Uint16Array.from(data).buffer);
    case "I8":
      return new Uint8Array(Int8Array.from(data).buffer);
    default:
      return Uint8Array.from(data);
  }
}
