// The glmjs BackendProvider for tfjs's WebGPU backend, in browsers (navigator.gpu) and in Node
// (Dawn, see node-gpu.ts).
import { GlmjsError } from "@glmjs/common";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, currentEnvironment, tf, type BackendProvider, type ProbeResult } from "@glmjs/core";
import { adapterIdentity, describeAdapter, type AdapterIdentity } from "./adapter-info.js";
import { diagnoseBrowserNoAdapter, type Unavailable } from "./diagnose.js";
import { installNavigatorGPU, openNodeGPU, type GPULike } from "./node-gpu.js";
import { installWebGPUKernels } from "./kernels/register.js";

type Found = { ok: true; identity: AdapterIdentity; gpu?: GPULike; via?: string } | ({ ok: false } & Unavailable);

let browserAdapter: Promise<Found> | undefined;

/** Finds the adapter once per page/process: probe() must stay cheap. */
function findAdapter(): Promise<Found> {
  if (currentEnvironment() === "node") {
    return openNodeGPU().then((r) => (r.ok ? { ok: true, identity: r.identity, gpu: r.gpu, via: `Dawn ${r.dawnFlags.join(" ") || "native backend"}` } : r));
  }
  browserAdapter ??= (async (): Promise<Found> => {
    const g = globalThis as { navigator?: { gpu?: GPULike }; isSecureContext?: boolean };
    const gpu = g.navigator?.gpu;
    if (!gpu) return { ok: false, ...diagnoseBrowserNoAdapter(false, g.isSecureContext) };
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return { ok: false, ...diagnoseBrowserNoAdapter(true, g.isSecureContext) };
    return { ok: true, identity: adapterIdentity(adapter) };
  })();
  return browserAdapter;
}

export const webgpuBackend: BackendProvider = {
  contractVersion: BACKEND_CONTRACT_VERSION,
  name: "webgpu",
  tfjsBackend: "webgpu",
  environments: ["browser", "worker", "node"],
  rank: AUTO_ORDER.webgpu,

  async probe(): Promise<ProbeResult> {
    try {
      const found = await findAdapter();
      if (!found.ok) return { available: false, reason: found.reason, fix: found.fix };
      const detail = describeAdapter(found.identity) + (found.via ? `, via ${found.via}` : "");
      return { available: true, detail, fallback: found.identity.fallback };
    } catch (e) {
      return { available: false, reason: `probing WebGPU failed: ${(e as Error).message}` };
    }
  },

  async activate(): Promise<void> {
    const found = await findAdapter();
    if (!found.ok) throw new GlmjsError("BACKEND_UNAVAILABLE", `${found.reason}. Fix: ${found.fix}`);
    if (found.gpu) installNavigatorGPU(found.gpu);
    // Imported here, not at the top: it registers "webgpu" only if navigator.gpu exists at import time.
    await import("@tensorflow/tfjs-backend-webgpu");
    if (!tf.findBackendFactory("webgpu")) {
      throw new GlmjsError(
        "BACKEND_FAILED",
        "@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed and did not register: " +
          "do not import it yourself in Node; let @glmjs/backend-webgpu load it",
      );
    }
    installWebGPUKernels();
    // By default tfjs runs small ops on the CPU; glmjs wants every op on the GPU path (and tested there).
    tf.env().set("WEBGPU_CPU_FORWARD", false);
    const ok = await tf.setBackend("webgpu");
    // tfjs returns false yet keeps naming "webgpu" after a failed init: never report it active.
    if (!ok)
      throw new GlmjsError("BACKEND_FAILED", "tfjs could not initialise its webgpu backend (the adapter or device request failed; see tfjs's warning above)");
  },
};
