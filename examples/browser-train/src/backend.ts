// The training backend: WebGPU on a hardware adapter, else WASM (with the reason WebGPU was not
// used, from @glmjs/core's registry). A software WebGPU adapter (SwiftShader, llvmpipe) is used
// only when asked for: WASM is many times faster than an emulated GPU.
import "@glmjs/backend-webgpu";
import { configureWasm } from "@glmjs/backend-wasm";
import { probeBackends, useBackend } from "@glmjs/core";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

configureWasm({
  wasmPaths: {
    "tfjs-backend-wasm.wasm": wasmPlain,
    "tfjs-backend-wasm-simd.wasm": wasmSimd,
    "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedSimd,
  },
});

export interface BackendChoice {
  name: string;
  detail: string;
  skipped: { name: string; reason: string }[];
}

export async function chooseTrainingBackend(wanted: "" | "webgpu" | "wasm"): Promise<BackendChoice> {
  const statuses = new Map((await probeBackends()).map((s) => [s.name, s]));
  const skipped: BackendChoice["skipped"] = [];
  const webgpu = statuses.get("webgpu")?.probe;
  if (wanted === "wasm") skipped.push({ name: "webgpu", reason: "not used: WASM was asked for" });
  else if (!webgpu) skipped.push({ name: "webgpu", reason: "not registered" });
  else if (!webgpu.available) skipped.push({ name: "webgpu", reason: webgpu.reason + (webgpu.fix ? ` (fix: ${webgpu.fix})` : "") });
  else if (webgpu.fallback && wanted !== "webgpu") {
    skipped.push({ name: "webgpu", reason: `${webgpu.detail ? webgpu.detail + ": " : ""}a software device, emulated on the CPU: WASM is faster` });
  } else {
    try {
      await useBackend("webgpu");
      return { name: "webgpu", detail: webgpu.detail ?? "", skipped };
    } catch (e) {
      skipped.push({ name: "webgpu", reason: (e as Error).message });
    }
  }
  await useBackend("wasm");
  const wasm = statuses.get("wasm")?.probe;
  return { name: "wasm", detail: wasm?.available ? (wasm.detail ?? "") : "", skipped };
}
