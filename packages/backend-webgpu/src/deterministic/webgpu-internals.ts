// The parts of tfjs-backend-webgpu's WebGPUBackend that glmjs's kernels use. They are public
// members of the class but not in its exported types as a kernel sees them (a kernel receives a
// KernelBackend), so they are named here, in one place, for tfjs-backend-webgpu 4.22.
import type { DataType, TensorInfo } from "@tensorflow/tfjs-core";

/** What runWebGPUProgram reads from a program (see tfjs-backend-webgpu's webgpu_program.ts). */
export interface WebGPUProgramLike {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size: boolean;
  /** Components per element of the output binding (4: array<vec4<f32>>). Default 1. */
  outputComponent?: number;
  /** Components per element of each input binding. Default: outputComponent. */
  variableComponents?: number[];
  getUserCode(): string;
}

export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgramLike,
    inputs: TensorInfo[],
    outputDtype: DataType,
    programDefinedUniform?: Array<{ type: string; data: number[] }>,
    /** Write into this tensor (e.g. zeros from Fill) instead of a new one; it is returned. */
    output?: TensorInfo,
  ): TensorInfo;
  /** Fewer 32×32 matmul tiles than this make tfjs pick a "more workgroups" matmul program. */
  thresholdToIncreaseWorkgroups: number;
  disposeData(dataId: object): void;
  /** The GPUDevice (only its limits and features are read). */
  device: { limits: Record<string, number> & object; features: { has(name: string): boolean } };
}
