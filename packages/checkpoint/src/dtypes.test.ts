import { describe, expect, it } from "vitest";
import { bfloat16BitsToFloat, decodeElements, encodeElements, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./dtypes.js";

describe("IEEE half (F16) → float32", () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3800, 0.5],
    [0x3555, 0.333251953125],
    [0x7bff, 65504], // largest finite half
    [0x0400, 2 ** -14], // smallest normal
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x0001, 2 ** -24], // smallest subnormal
    [0x8001, -(2 ** -24)],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])("bits %i", (bits, value) => {
    expect(halfBitsToFloat(bits)).toBe(value);
  });
  it("keeps the sign of zero and NaN", () => {
    expect(Object.is(halfBitsToFloat(0x8000), -0)).toBe(true);
    expect(Object.is(halfBitsToFloat(0x0000), 0)).toBe(true);
    expect(halfBitsToFloat(0x7e00)).toBeNaN();
    expect(halfBitsToFloat(0xfd01)).toBeNaN();
  });
});

describe("bfloat16 (BF16) → float32", () => {
  it.each([
    [0x3f80, 1],
    [0xc0a0, -5],
    [0x3eab, 0.333984375],
    [0x7f7f, 3.3895313892515355e38], // largest finite
    [0x0080, 2 ** -126], // smallest normal
    [0x0001, 2 ** -133], // smallest subnormal
    [0x7f80, Infinity],
    [0xff80, -Infinity],
  ])("bits %i", (bits, value) => {
    expect(bfloat16BitsToFloat(bits)).toBe(value);
  });
  it("NaN stays NaN", () => {
    expect(bfloat16BitsToFloat(0x7fc0)).toBeNaN();
  });
});

describe("float32 → half / bfloat16 (round to nearest even)", () => {
  it("round-trips every half and bfloat16 bit pattern except NaNs", () => {
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue;
      if (floatToHalfBits(halfBitsToFloat(h)) !== h) throw new Error(`half 0x${h.toString(16)} does not round-trip`);
    }
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0) continue;
      if (floatToBfloat16Bits(bfloat16BitsToFloat(h)) !== h) throw new Error(`bfloat16 0x${h.toString(16)} does not round-trip`);
    }
  });
  it("rounds halfway cases to even and overflows to infinity", () => {
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalfBits(65519)).toBe(0x7bff);
    expect(floatToHalfBits(65520)).toBe(0x7c00);
    expect(floatToHalfBits(-1e6)).toBe(0xfc00);
    expect(floatToHalfBits(2 ** -25)).toBe(0x0000); // tie between 0 and the smallest subnormal → even (0)
    expect(floatToHalfBits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(floatToHalfBits(3 * 2 ** -25)).toBe(0x0002); // tie between subnormals 1 and 2 → even
    expect(floatToHalfBits(1 / 3)).toBe(0x3555);
    expect(floatToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(floatToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToBfloat16Bits(1 / 3)).toBe(0x3eab);
    expect(halfBitsToFloat(floatToHalfBits(NaN))).toBeNaN();
    expect(bfloat16BitsToFloat(floatToBfloat16Bits(NaN))).toBeNaN();
  });
});

describe("decodeElements / encodeElements", () => {
  it("decodes F16 bytes into the float32 values", () => {
    const bytes = new Uint8Array(new Uint16Array([0x3c00, 0x0001, 0xfc00]).buffer);
    expect(Array.from(decodeElements(bytes, "F16", "f", "k") as Float32Array)).toEqual([1, 2 ** -24, -Infinity]);
  });
  it("F32 is a view when aligned and a correct copy when not", () => {
    const values = new Float32Array([1.5, -2.25, 3e-30]);
    const aligned = new Uint8Array(values.buffer);
    const view = decodeElements(aligned, "F32", "f", "k");
    expect(view.buffer).toBe(values.buffer);
    const shifted = new Uint8Array(13);
    shifted.set(aligned, 1);
    const copy = decodeElements(shifted.subarray(1), "F32", "f", "k");
    expect(Array.from(copy as Float32Array)).toEqual(Array.from(values));
  });
  it("refuses integers that do not fit the target type, naming file and key", () => {
    expect(() => encodeElements(new Int32Array([1, 300]), "U8", "out.safetensors", "ids")).toThrow(
      /out\.safetensors: tensor "ids": value 300 at index 1 does not fit U8/,
    );
    expect(() => encodeElements(new Int32Array([1]), "F32", "out.safetensors", "w")).toThrow(/"w": dtype F32 needs a Float32Array but got a Int32Array/);
  });
});
