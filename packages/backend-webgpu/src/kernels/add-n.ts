// tfjs-backend-webgpu 4.22's AddN binds every input to one shader. A device allows only
// maxStorageBuffersPerShaderStage storage buffers per stage (8 by default in browsers, one of
// them the output), so with more inputs the pipeline is invalid: Chromium logs a validation
// error and the op returns whatever the output buffer held before. GLM's gradient-norm clip adds
// one squared sum per parameter (29 for a 2-layer model), and so computed garbage norms.
// This AddN adds groups that fit, then the groups' sums, in a fixed left-to-right order.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

interface BackendWithLimits {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): void;
}

/** Wraps tfjs's AddN kernel: inputs beyond what one shader may bind are added in groups. */
export function groupedAddN(original: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const backend = args.backend as unknown as BackendWithLimits;
    const perShader = backend.device.limits.maxStorageBuffersPerShaderStage - 1;
    if (inputs.length <= perShader) return original(args);
    const partials: TensorInfo[] = [];
    let level = inputs;
    while (level.length > perShader) {
      const next: TensorInfo[] = [];
      for (let i = 0; i < level.length; i += perShader) {
        const group = level.slice(i, i + perShader);
        if (group.length === 1) next.push(group[0]!);
        else {
          const sum = original({ ...args, inputs: group as unknown as typeof args.inputs }) as TensorInfo;
          partials.push(sum);
          next.push(sum);
        }
      }
      level = next;
    }
    const out = original({ ...args, inputs: level as unknown as typeof args.inputs }) as TensorInfo;
    for (const t of partials) backend.disposeData(t.dataId);
    return out;
  };
}
