// Which backend runs the model: WebGPU → WebGL → WASM → CPU, each skipped backend with the reason
// core's registry gives. A software device (SwiftShader, llvmpipe: probe() says `fallback`) is
// tried only after WASM, which is many times faster than an emulated GPU.
import "@glmjs/backend-webgl";
import "@glmjs/backend-webgpu";
import { configureWasm } from "@glmjs/backend-wasm";
import { probeBackends, useBackend, type BackendStatus } from "@glmjs/core";
// The .wasm binaries, copied into the build by vite; tfjs picks the one the browser supports.
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

export const PREFERENCE = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof PREFERENCE)[number];

export interface BackendChoice {
  /** The backend that runs the model. */
  name: string;
  /** What it runs on (adapter, renderer, SIMD/threads). */
  detail: string;
  /** Each better backend that was not used, and why. */
  skipped: { name: string; reason: string }[];
}

const SOFTWARE_NOTE = "a software device, emulated on the CPU: WASM is faster";

/**
 * Activates the first backend that works, in PREFERENCE order with software devices after WASM;
 * `wanted` (from the page's menu or `?backend=`) is tried first, and if it fails the rest follow.
 */
export async function chooseBackend(wanted?: string): Promise<BackendChoice> {
  const statuses = new Map((await probeBackends()).map((s) => [s.name, s]));
  const isSoftware = (s: BackendStatus) => s.probe.available && s.probe.fallback === true;
  const notUsed = new Map<string, string>();
  for (const name of PREFERENCE) {
    const s = statuses.get(name);
    if (!s) notUsed.set(name, "not registered (its package is not imported)");
    else if (!s.probe.available) notUsed.set(name, s.probe.reason + (s.probe.fix ? ` (fix: ${s.probe.fix})` : ""));
    else if (isSoftware(s)) notUsed.set(name, `${s.probe.detail ? s.probe.detail + ": " : ""}${SOFTWARE_NOTE}`);
  }
  const available = PREFERENCE.filter((n) => statuses.get(n)?.probe.available);
  const order: string[] = [
    ...available.filter((n) => n !== "wasm" && n !== "cpu" && !isSoftware(statuses.get(n)!)),
    ...available.filter((n) => n === "wasm"),
    ...available.filter((n) => isSoftware(statuses.get(n)!)),
    ...available.filter((n) => n === "cpu"),
  ];
  if (wanted && order.includes(wanted)) order.unshift(...order.splice(order.indexOf(wanted), 1));
  else if (wanted) notUsed.set(wanted, `${notUsed.get(wanted) ?? "unknown backend"} (asked for)`);
  for (const name of order) {
    try {
      await useBackend(name);
    } catch (e) {
      notUsed.set(name, (e as Error).message);
      continue;
    }
    const s = statuses.get(name)!;
    const better = PREFERENCE.slice(0, PREFERENCE.indexOf(name as BackendName));
    return {
      name,
      detail: (s.probe.available && s.probe.detail) || "",
      skipped: better.map((n) => ({ name: n, reason: notUsed.get(n) ?? `not used: ${name} was asked for` })),
    };
  }
  throw new Error(`no backend could be started: ${[...notUsed].map(([n, r]) => `${n}: ${r}`).join("; ")}`);
}
