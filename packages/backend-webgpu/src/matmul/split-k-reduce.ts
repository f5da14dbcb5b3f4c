// The second pass of a split-K matMul: C = Σ_s partials[s] (+ bias), s in order. tfjs's own
// split-K adds its parts with atomics, in whatever order they finish; here every output is one
// thread's ordered sum, so a product repeats bit for bit (deterministic mode holds without a
// special case) while a narrow weight gradient over many tokens still fills a large GPU.
import type { WebGPUProgramLike } from "../deterministic/webgpu-internals.js";

const WORKGROUP: [number, number, number] = [64, 1, 1];

export class SplitKReduceProgram implements WebGPUProgramLike {
  readonly variableNames: string[];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize = WORKGROUP;
  /** count: outputs in components (vec4s or floats); columns: N in components. */
  readonly uniforms = "splits : i32, count : i32, columns : i32,";
  readonly size = false;

  constructor(
    m: number,
    n: number,
    private readonly vec: boolean,
    private readonly bias: boolean,
  ) {
    this.variableNames = bias ? ["partials", "bias"] : ["partials"];
    const component = vec ? 4 : 1;
    this.variableComponents = bias ? [component, component] : [component];
    this.outputComponent = component;
    this.outputShape = [m, n];
    this.dispatch = [Math.max(1, Math.ceil((m * n) / component / WORKGROUP[0])), 1, 1];
    this.shaderKey = `glmjsSplitKReduce_${vec}_${bias}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.count) {
          var sum = partials[index];
          for (var s = 1; s < uniforms.splits; s++) { sum = sum + partials[s * uniforms.count + index]; }
          ${this.bias ? "sum = sum + bias[index % uniforms.columns];" : ""}
          result[index] = sum;
        }
      }`;
  }
}
