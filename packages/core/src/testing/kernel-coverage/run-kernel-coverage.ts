// Runs the coverage cases on a backend and on a reference backend and compares them. Plain
// tfjs, no Node APIs: it runs in browsers too.
import { GlmjsError } from "@glmjs/common";
import { tf } from "../../tfjs.js";
import { type CoverageCase, type CoverageInput, type CoverageResult, floats, seedOf, seededRandom } from "./case.js";
import { kernelCoverageCases } from "./cases.js";

export interface KernelCoverageOptions {
  /** The tfjs backend under test (e.g. "wasm", "webgpu"). */
  backend: string;
  /** The tfjs backend it is compared with. Default "cpu". */
  reference?: string;
  /**
   * Allowed difference: |backend − reference| ≤ tolerance · max(1, |reference|) for every value
   * (absolute for values up to 1, relative above). Integer and boolean outputs must be equal.
   * Default 1e-4.
   */
  tolerance?: number;
  /** Run only the cases with these names. */
  only?: string[];
  /** The cases (default: kernelCoverageCases). */
  cases?: readonly CoverageCase[];
}

interface Output {
  shape: number[];
  dtype: string;
  values: Float32Array | Int32Array | Uint8Array;
}

interface Evaluation {
  forward?: Output[];
  forwardError?: string;
  gradients?: Output[];
  gradientError?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function read(ts: tf.Tensor[]): Promise<Output[]> {
  try {
    return await Promise.all(
      ts.map(async (t) => ({ shape: t.shape.slice(), dtype: t.dtype, values: (await t.data()) as Float32Array | Int32Array | Uint8Array })),
    );
  } finally {
    tf.dispose(ts);
  }
}

/** Evaluates one case on the active backend: outputs, then ∂(Σ outputs·weights)/∂inputs. */
async function evaluate(c: CoverageCase, inputs: Record<string, CoverageInput>, weightSeed: number): Promise<Evaluation> {
  const names = Object.keys(inputs);
  const tensors: Record<string, tf.Tensor> = {};
  for (const n of names) tensors[n] = tf.tensor(inputs[n]!.values, inputs[n]!.shape, inputs[n]!.dtype);
  const gradNames = names.filter((n) => inputs[n]!.grad && inputs[n]!.dtype === "float32");
  const result: Evaluation = {};
  try {
    let shapes: number[][] = [];
    try {
      const outs = tf.tidy(() => [c.run(tensors)].flat());
      shapes = outs.map((t) => t.shape.slice());
      result.forward = await read(outs);
    } catch (e) {
      result.forwardError = message(e);
      return result;
    }
    if (gradNames.length === 0) return result;
    // Fixed pseudo-random output weights: checks the whole vector-Jacobian product.
    const rng = seededRandom(weightSeed);
    const weights = shapes.map((s) => floats(rng, s));
    try {
      const grads = tf.tidy(() => {
        const w = weights.map((x) => tf.tensor(x.values, x.shape, "float32"));
        const f = (...xs: tf.Tensor[]) => {
          const bound = { ...tensors };
          gradNames.forEach((n, i) => (bound[n] = xs[i]!));
          const outs = [c.run(bound)].flat();
          return tf.addN(outs.map((o, i) => tf.sum(tf.mul(tf.cast(o, "float32"), w[i]!))));
        };
        return tf.grads(f)(gradNames.map((n) => tensors[n]!));
      });
      result.gradients = await read(grads);
    } catch (e) {
      result.gradientError = message(e);
    }
    return result;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

function compare(actual: Output[], expected: Output[], tolerance: number): { ok: boolean; maxAbsError: number; error?: string } {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbsError: Infinity, error: `${actual.length} outputs, reference has ${expected.length}` };
  }
  let maxAbsError = 0;
  let worst: string | undefined;
  for (let o = 0; o < actual.length; o++) {
    const a = actual[o]!;
    const e = expected[o]!;
    if (a.shape.join(",") !== e.shape.join(",") || a.dtype !== e.dtype) {
      return { ok: false, maxAbsError: Infinity, error: `output ${o}: ${a.dtype}[${a.shape}] but reference ${e.dtype}[${e.shape}]` };
    }
    const exact = e.dtype !== "float32";
    for (let i = 0; i < e.values.length; i++) {
      const diff = Math.abs(a.values[i]! - e.values[i]!);
      const allowed = exact ? 0 : tolerance * Math.max(1, Math.abs(e.values[i]!));
      if (!(diff <= allowed) && worst === undefined) {
        worst = `output ${o}[${i}] = ${a.values[i]}, reference ${e.values[i]}`;
      }
      if (!(diff <= maxAbsError)) maxAbsError = Number.isNaN(diff) ? Infinity : diff;
    }
  }
  return worst === undefined ? { ok: true, maxAbsError } : { ok: false, maxAbsError, error: worst };
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new GlmjsError("BACKEND_FAILED", `tfjs backend "${name}" could not be initialised`);
}

/**
 * Runs every coverage case (forward and, where it has float inputs, gradient) on `backend`
 * and on `reference`, and reports per case whether they agree. A case that throws on the
 * backend (e.g. a missing kernel) is a failed result, not a skip. The previously active tfjs
 * backend is restored afterwards.
 */
export async function runKernelCoverage(options: KernelCoverageOptions): Promise<CoverageResult[]> {
  const { backend, reference = "cpu", tolerance = 1e-4, only } = options;
  const all = options.cases ?? kernelCoverageCases;
  const cases = only ? all.filter((c) => only.includes(c.name)) : all;
  if (only) {
    const unknown = only.filter((n) => !all.some((c) => c.name === n));
    if (unknown.length) throw new GlmjsError("OPTION_INVALID", `runKernelCoverage: unknown case(s) ${unknown.map((n) => JSON.stringify(n)).join(", ")}`);
  }
  const previous = tf.getBackend();
  const results: CoverageResult[] = [];
  try {
    for (const c of cases) {
      const inputs = c.inputs(seededRandom(seedOf(c.name)));
      const weightSeed = seedOf(`${c.name}/weights`);
      await activate(reference);
      const expected = await evaluate(c, inputs, weightSeed);
      if (expected.forwardError)
        throw new GlmjsError("INPUT_INVALID", `case "${c.name}" fails on the reference backend ${reference}: ${expected.forwardError}`);
      if (expected.gradientError)
        throw new GlmjsError("INPUT_INVALID", `case "${c.name}" gradient fails on the reference backend ${reference}: ${expected.gradientError}`);
      let actual: Evaluation;
      try {
        await activate(backend);
        actual = await evaluate(c, inputs, weightSeed);
      } catch (e) {
        actual = { forwardError: message(e) };
      }
      results.push(
        actual.forward
          ? { name: c.name, kind: "forward", ...compare(actual.forward, expected.forward!, tolerance) }
          : { name: c.name, kind: "forward", ok: false, maxAbsError: Infinity, error: actual.forwardError },
      );
      if (expected.gradients) {
        const error = actual.gradientError ?? (actual.forward ? undefined : "forward failed");
        results.push(
          actual.gradients
            ? { name: c.name, kind: "gradient", ...compare(actual.gradients, expected.gradients, tolerance) }
            : { name: c.name, kind: "gradient", ok: false, maxAbsError: Infinity, error },
        );
      }
    }
  } finally {
    if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  }
  return results;
}
