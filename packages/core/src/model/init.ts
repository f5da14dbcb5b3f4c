// Seeded initialisation as the original (GLM.md §1.8): N(0, σ) embeddings and Linear weights,
// N(0, σ/√(2N)) for the two output projections of each layer, biases 0, LayerNorm 1/0.
//
// Hand-written PRNG (not tf.randomNormal) so that a seed gives the same weights on every
// backend and every tfjs version.
import type { GLMConfig } from "../config/glm-config.js";
import type { ParameterSpec } from "./parameters.js";

/** sfc32: a small, fast, well-distributed 32-bit generator; uniform in [0, 1). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** A seeded stream of standard normal numbers (Box–Muller). */
export function normalStream(seed: number): () => number {
  const uniform = sfc32(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Standard deviation of a parameter's initial values (0 for constants). */
export function initStd(spec: ParameterSpec, config: GLMConfig): number {
  const sigma = config.initializer_range;
  switch (spec.kind) {
    case "embedding":
    case "linear":
      return sigma;
    case "output-linear":
      return sigma / Math.sqrt(2 * config.num_layers);
    default:
      return 0;
  }
}

/** Initial values of every parameter, in spec order, from one seeded stream. */
export function initialValues(specs: ParameterSpec[], config: GLMConfig, seed: number): Float32Array[] {
  const normal = normalStream(seed);
  return specs.map((spec) => {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    if (spec.kind === "norm-weight") data.fill(1);
    const std = initStd(spec, config);
    if (std > 0) for (let i = 0; i < data.length; i++) data[i] = normal() * std;
    return data;
  });
}
