// UnsortedSegmentSum for tfjs's wasm backend, which has none. It is the gradient of tf.gather,
// so without it no embedding can be trained on wasm. A scatter-add in JS straight over the
// wasm heap: one pass over the updates, no copies, memory-bound like the C++ would be.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasmBackend, heapView } from "./wasm-internals.js";

export function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: unknown; attrs: { numSegments: number } }): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new GlmjsError("INPUT_INVALID", `UnsortedSegmentSum (glmjs wasm): x must be float32 or int32, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== "int32") {
    throw new GlmjsError("INPUT_INVALID", `UnsortedSegmentSum (glmjs wasm): segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  // tf.unsortedSegmentSum (and gather's gradient) pass 1-D ids, one per row of x.
  if (segmentIds.shape.length !== 1 || x.shape.length < 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new GlmjsError(
      "INPUT_INVALID",
      `UnsortedSegmentSum (glmjs wasm): segmentIds must be 1-D with one id per row of x; got ids [${segmentIds.shape.join(",")}], x [${x.shape.join(",")}]`,
    );
  }
  const innerShape = x.shape.slice(1);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const count = segmentIds.shape[0]!;

  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Views after the allocation: makeOutput may have grown (and detached) the heap.
  const outValues = heapView(backend, out);
  outValues.fill(0);
  const xValues = heapView(backend, x);
  const ids = heapView(backend, segmentIds) as Int32Array;
  for (let i = 0; i < count; i++) {
    const segment = ids[i]!;
    // Like TensorFlow, ids outside [0, numSegments) are dropped.
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) outValues[dst + j]! += xValues[src + j]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: "UnsortedSegmentSum",
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
