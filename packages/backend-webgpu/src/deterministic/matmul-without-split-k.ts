// tfjs's WebGPU matMul splits the inner dimension across workgroups and adds the parts with
// atomics (MatMulSplitKProgram) when the output is small and the inner dimension long (batch 1,
// K ≥ 2000, few 32×32 tiles): a weight gradient over many tokens of a narrow layer, say. Atomics
// add in a different order each run. In deterministic mode such products run as the program tfjs
// picks for small outputs otherwise (MatMulSmallOutputSizeProgram: each output summed by one
// thread in order). This mirrors tfjs-backend-webgpu 4.22's choice in batchMatMulImpl.
import { tf } from "@glmjs/core";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackendLike } from "./webgpu-internals.js";

const PROGRAM_TYPE_FLAG = "WEBGPU_MATMUL_PROGRAM_TYPE";
const THRESHOLD_FLAG = "WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL";
/** MatMulProgramType.MatMulSmallOutputSizeProgram in tfjs-backend-webgpu. */
const SMALL_OUTPUT_SIZE_PROGRAM = 2;

/** Whether tfjs would run this product with its atomic split-K program. */
export function wouldSplitK(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, backend: WebGPUBackendLike): boolean {
  if ((tf.env().get(PROGRAM_TYPE_FLAG) as number) >= 0) return false; // the user chose a program
  const ra = a.shape.length;
  const rb = b.shape.length;
  const outerA = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const outerB = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const inner = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const batch = Math.max(size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2)));
  const flagged = tf.env().getNumber(THRESHOLD_FLAG);
  const threshold = flagged > 0 ? flagged : backend.thresholdToIncreaseWorkgroups;
  const tiles = batch * Math.ceil(outerA / 32) * Math.ceil(outerB / 32);
  const fewWorkgroups = tiles <= threshold || (outerA <= 8 && tiles <= threshold * 2);
  return fewWorkgroups && batch * outerA * outerB > 128 && batch === 1 && inner >= 2000;
}

/** Wraps tfjs's BatchMatMul or _FusedMatMul kernel so that it never picks split-K while `enabled()`. */
export function withoutSplitK(original: KernelFunc, enabled: () => boolean): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!enabled() || !wouldSplitK(a, b, transposeA, transposeB, args.backend as unknown as WebGPUBackendLike)) return original(args);
    const env = tf.env();
    const before = env.get(PROGRAM_TYPE_FLAG);
    env.set(PROGRAM_TYPE_FLAG, SMALL_OUTPUT_SIZE_PROGRAM);
    try {
      return original(args);
    } finally {
      env.set(PROGRAM_TYPE_FLAG, before);
    }
  };
}
