// Shared by the fused-kernel tests: run a computation on wasm (SIMD module, then its JavaScript
// path) and on cpu, from the same input values.
import { tf } from "@glmjs/core";
import { disableSimdKernels } from "../kernels/simd.js";

export type Inputs = Record<string, { values: Float32Array; shape: number[] }>;

export function randomInputs(spec: Record<string, number[]>, seed: number): Inputs {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  return Object.fromEntries(
    Object.entries(spec).map(([k, shape]) => [k, { shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next) }]),
  );
}

/** Outputs of `f` on `backend` (wasm: with SIMD unless `simd` is false), as plain arrays. */
export async function runOn(backend: string, inputs: Inputs, f: (x: Record<string, tf.Tensor>) => tf.Tensor[], simd = true): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  disableSimdKernels(!simd);
  const x = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  try {
    const outs = f(x);
    const data = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(outs);
    return data;
  } finally {
    tf.dispose(Object.values(x));
    disableSimdKernels(false);
  }
}

export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    if (x.length !== b[i]!.length) throw new Error(`output ${i}: ${x.length} values vs ${b[i]!.length}`);
    x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!))));
  });
  return worst;
}
