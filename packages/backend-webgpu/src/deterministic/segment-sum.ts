// A WebGPU UnsortedSegmentSum that adds in a fixed order. tfjs's own kernel gives each input
// element a thread and adds with atomics, so the order of the additions, and with it the
// float32 result's last bits, changes from run to run. Its main user in GLM is the gradient of
// the embedding lookups (gather), and Adam turns those last-bit differences in tiny gradients
// into full-size updates: two runs with the same seed drift apart within a few steps.
//
// Here the output starts as zeros (tfjs's Fill), then one thread owns one column of x
// ([rows, cols]) and walks the rows in order, adding each into its segment's row of the output:
// the same order every run, no atomics, and no transposes (adjacent threads touch adjacent
// columns). Work is rows × cols, parallel over cols only, which is little next to the matmuls of
// a training step.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackendLike, WebGPUProgramLike } from "./webgpu-internals.js";

class ColumnSegmentSumProgram implements WebGPUProgramLike {
  readonly variableNames = ["x", "segmentIds"];
  readonly outputShape: number[];
  readonly uniforms = "numSegments : i32, rows : i32, cols : i32,";
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;
  readonly size = false;

  constructor(cols: number, numSegments: number, dtype: "float32" | "int32") {
    this.outputShape = [numSegments, cols];
    this.dispatchLayout = { x: [0, 1] };
    this.dispatch = [Math.ceil(cols / this.workgroupSize[0]), 1, 1];
    this.shaderKey = `glmjsColumnSegmentSum_${dtype}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        let col = index;
        if (col < uniforms.cols) {
          for (var r = 0; r < uniforms.rows; r++) {
            let segment = segmentIds[r];
            if (segment >= 0 && segment < uniforms.numSegments) {
              let at = segment * uniforms.cols + col;
              result[at] = result[at] + x[r * uniforms.cols + col];
            }
          }
        }
      }
    `;
  }
}

/** out[s, …] = Σ x[i, …] over the i with segmentIds[i] = s; ids outside [0, numSegments) are dropped. */
export const orderedUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new GlmjsError("INPUT_INVALID", `UnsortedSegmentSum (deterministic WebGPU kernel) supports float32 and int32, got ${x.dtype}`);
  }
  const rows = x.shape[0] ?? 1;
  const inner = x.shape.slice(1);
  const cols = inner.reduce((a, b) => a * b, 1);
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== rows) {
    throw new GlmjsError(
      "INPUT_INVALID",
      `UnsortedSegmentSum: segmentIds must be 1-D with x.shape[0] = ${rows} entries, got shape [${segmentIds.shape.join(", ")}]`,
    );
  }
  const fill = tf.getKernel("Fill", "webgpu")!.kernelFunc;
  const zeros = fill({ inputs: {}, backend, attrs: { shape: [numSegments, cols], value: 0, dtype: x.dtype } }) as TensorInfo;
  const out: TensorInfo = [rows, cols, numSegments].includes(0)
    ? zeros
    : (backend as unknown as WebGPUBackendLike).runWebGPUProgram(
        new ColumnSegmentSumProgram(cols, numSegments, x.dtype),
        // A 2-D view of x: same buffer, the shape the shader indexes.
        [{ dataId: x.dataId, shape: [rows, cols], dtype: x.dtype }, segmentIds],
        x.dtype,
        [
          { type: "int32", data: [numSegments] },
          { type: "int32", data: [rows] },
          { type: "int32", data: [cols] },
        ],
        zeros,
      );
  return { dataId: out.dataId, shape: [numSegments, ...inner], dtype: out.dtype };
};

export const orderedUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: "UnsortedSegmentSum",
  backendName: "webgpu",
  kernelFunc: orderedUnsortedSegmentSum,
};
