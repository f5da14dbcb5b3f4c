// BatchMatMul and _FusedMatMul (bias, no activation) on WebGPU with glmjs's tiled kernel, for the
// products large enough to pay for it; everything else goes to the kernel it wraps (tfjs's, with
// deterministic mode's wrapper). See plan.ts for the choice and tiled-program.ts for the shader.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackendLike } from "../deterministic/webgpu-internals.js";
import { DEFAULT_MATMUL_OPTIONS, type MatMulLimits, type MatMulOptions, type MatMulPlan, type MatMulShape, matMulShape, planMatMul } from "./plan.js";
import { SplitKReduceProgram } from "./split-k-reduce.js";
import { TiledMatMulProgram } from "./tiled-program.js";

let options: MatMulOptions = { ...DEFAULT_MATMUL_OPTIONS };

/**
 * Changes how WebGPU matMuls are run (merged into the current options; `setWebGPUMatMul({})`
 * keeps them, `resetWebGPUMatMul()` restores the defaults). Applies from the next matMul on.
 */
export function setWebGPUMatMul(change: Partial<MatMulOptions>): void {
  for (const key of ["minMultiplyAdds", "minOuter", "targetWorkgroups", "minSplitK", "forceSplits"] as const) {
    const v = change[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0))
      throw new GlmjsError("OPTION_INVALID", `setWebGPUMatMul: ${key} must be a non-negative integer, got ${v}`);
  }
  options = { ...options, ...change };
}

export function resetWebGPUMatMul(): void {
  options = { ...DEFAULT_MATMUL_OPTIONS };
}

export function webGPUMatMulOptions(): Readonly<MatMulOptions> {
  return { ...options };
}

/**
 * The program glmjs would run a float32 matMul of these operand shapes with: `{ kind: "tiled",
 * config, splits, … }` or `{ kind: "tfjs", reason }`. `limits` default to the active WebGPU
 * device's.
 */
export function webGPUMatMulPlan(aShape: number[], bShape: number[], transposeA = false, transposeB = false, limits?: MatMulLimits): MatMulPlan {
  const deviceLimits =
    limits ?? (tf.getBackend() === "webgpu" ? ((tf.backend() as unknown as WebGPUBackendLike).device.limits as unknown as MatMulLimits) : undefined);
  if (!deviceLimits) throw new GlmjsError("OPTION_INVALID", "webGPUMatMulPlan: pass the device limits, or activate the webgpu backend first");
  return planMatMul(matMulShape(aShape, bShape, transposeA, transposeB), deviceLimits, options);
}

const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });
const int = (v: number) => ({ type: "int32", data: [v] });

function runTiled(
  s: MatMulShape,
  plan: Extract<MatMulPlan, { kind: "tiled" }>,
  a: TensorInfo,
  b: TensorInfo,
  bias: TensorInfo | undefined,
  backend: WebGPUBackendLike,
): TensorInfo {
  const { m, n, k } = s;
  const a3 = view(a, s.transposeA ? [s.batchA, k, m] : [s.batchA, m, k]);
  const b3 = view(b, s.transposeB ? [s.batchB, n, k] : [s.batchB, k, n]);
  const split = plan.splits > 1;
  const program = new TiledMatMulProgram({
    config: plan.config,
    m,
    n,
    k,
    z: split ? plan.splits : s.batch,
    transposeA: s.transposeA,
    transposeB: s.transposeB,
    vecA: plan.vecA,
    vecB: plan.vecB,
    vecOut: plan.vecOut,
    bias: Boolean(bias) && !split,
    split,
    splitK: plan.splitK,
  });
  const biasView = bias ? view(bias, [n]) : undefined;
  const uniforms = [int(m), int(n), int(k), int(s.batchA), int(s.batchB), int(plan.splitK)];
  const product = backend.runWebGPUProgram(program, biasView && !split ? [a3, b3, biasView] : [a3, b3], "float32", uniforms);
  if (!split) return view(product, s.outShape);
  const component = plan.vecOut ? 4 : 1;
  const reduce = new SplitKReduceProgram(m, n, plan.vecOut, Boolean(bias));
  const out = backend.runWebGPUProgram(reduce, biasView ? [product, biasView] : [product], "float32", [
    int(plan.splits),
    int((m * n) / component),
    int(n / component),
  ]);
  backend.disposeData(product.dataId);
  return view(out, s.outShape);
}

interface MatMulInputs {
  a: TensorInfo;
  b: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

/**
 * Wraps a BatchMatMul or _FusedMatMul kernel: float32 products that the plan gives to glmjs's
 * tiled kernel run there; the rest (other dtypes, activations other than linear, a bias that
 * is not one value per output column, small or skinny products) run with `fallback`.
 */
export function tiledMatMul(fallback: KernelFunc): KernelFunc {
  return (args) => {
    if (!options.enabled) return fallback(args);
    const { a, b, bias, preluActivationWeights } = args.inputs as unknown as MatMulInputs;
    const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string | null };
    if (a.dtype !== "float32" || b.dtype !== "float32" || preluActivationWeights || (activation != null && activation !== "linear")) return fallback(args);
    let shape: MatMulShape;
    try {
      shape = matMulShape(a.shape, b.shape, transposeA, transposeB);
    } catch {
      return fallback(args); // tfjs's kernel reports the shape error in its own words
    }
    if (bias && (bias.dtype !== "float32" || bias.shape.reduce((x, y) => x * y, 1) !== shape.n || bias.shape.at(-1) !== shape.n)) return fallback(args);
    const backend = args.backend as unknown as WebGPUBackendLike;
    const plan = planMatMul(shape, backend.device.limits as unknown as MatMulLimits, options);
    if (plan.kind === "tfjs") return fallback(args);
    return runTiled(shape, plan, a, b, bias, backend);
  };
}

let installed = false;

/** Puts the tiled matMul over the currently registered webgpu BatchMatMul and _FusedMatMul (once). */
export function installTiledMatMul(): void {
  if (installed) return;
  installed = true;
  for (const name of ["BatchMatMul", "_FusedMatMul"]) {
    const config = tf.getKernel(name, "webgpu");
    if (!config)
      throw new GlmjsError("KERNEL_MISSING", `tfjs-backend-webgpu registered no ${name} kernel: @glmjs/backend-webgpu expects tfjs-backend-webgpu 4.22`);
    tf.unregisterKernel(name, "webgpu");
    tf.registerKernel({ ...config, kernelFunc: tiledMatMul(config.kernelFunc) });
  }
}
