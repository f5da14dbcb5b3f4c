// What a kernel coverage case is: deterministic inputs (plain typed arrays, so every backend
// sees bit-identical values) and a function of tensors built from GLM's ops.
import type { tf } from "../../tfjs.js";

export type CoverageDType = "float32" | "int32" | "bool";

export interface CoverageInput {
  shape: number[];
  dtype: CoverageDType;
  values: Float32Array | Int32Array | Uint8Array;
  /** Differentiate with respect to this input (float32 only). */
  grad?: boolean;
}

export interface CoverageCase {
  name: string;
  /** Where GLM uses it (or why it is covered). */
  purpose: string;
  /** Builds the inputs from a generator seeded with the case name. */
  inputs(rng: () => number): Record<string, CoverageInput>;
  /** The computation, on whatever backend is active. */
  run(x: Record<string, tf.Tensor>): tf.Tensor | tf.Tensor[];
}

export interface CoverageResult {
  name: string;
  kind: "forward" | "gradient";
  ok: boolean;
  /** max |backend − reference| over every output (Infinity when it failed or shapes differ). */
  maxAbsError: number;
  error?: string;
}

/** mulberry32: a small, fast, seedable generator (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed from a case name (FNV-1a). */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Uniform float32 in [-scale, scale). */
export function floats(rng: () => number, shape: number[], options: { scale?: number; grad?: boolean } = {}): CoverageInput {
  const scale = options.scale ?? 1;
  const values = new Float32Array(size(shape));
  for (let i = 0; i < values.length; i++) values[i] = (rng() * 2 - 1) * scale;
  return { shape, dtype: "float32", values, grad: options.grad ?? true };
}

/** Uniform int32 in [0, max). */
export function ints(rng: () => number, shape: number[], max: number): CoverageInput {
  const values = new Int32Array(size(shape));
  for (let i = 0; i < values.length; i++) values[i] = Math.floor(rng() * max);
  return { shape, dtype: "int32", values };
}

/** Fixed int32 values. */
export function intValues(values: number[], shape: number[] = [values.length]): CoverageInput {
  return { shape, dtype: "int32", values: Int32Array.from(values) };
}
