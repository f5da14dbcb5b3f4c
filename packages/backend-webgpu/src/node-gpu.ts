// WebGPU for Node through Dawn (the optional `webgpu` package). Tries the native GPU API first
// (Vulkan/Metal/D3D12), then Dawn's OpenGL ES backend on headless Mesa (EGL_PLATFORM=surfaceless),
// which Dawn offers only as a "compatibility" feature-level adapter.
import { adapterIdentity, type AdapterIdentity, type AdapterLike } from "./adapter-info.js";
import { classifyDawnLoadError, diagnoseNodeNoAdapter, type Unavailable } from "./diagnose.js";

/** The part of the WebGPU `GPU` object used here (no dependency on @webgpu/types). */
export interface GPULike {
  requestAdapter(options?: Record<string, unknown>): Promise<(AdapterLike & object) | null>;
}

interface DawnModule {
  create(flags: string[]): GPULike & Record<string, unknown>;
  globals: Record<string, unknown>;
}

interface DawnAttempt {
  /** Dawn toggles passed to create(). */
  flags: string[];
  /** Merged into every requestAdapter() call (tfjs's own call included). */
  adapterOptions: Record<string, unknown>;
  env?: Record<string, string>;
}

const ATTEMPTS: DawnAttempt[] = [
  { flags: [], adapterOptions: {} },
  { flags: ["backend=opengl"], adapterOptions: { featureLevel: "compatibility" }, env: { EGL_PLATFORM: "surfaceless" } },
];

export interface NodeGPU {
  /** A navigator.gpu whose requestAdapter() applies the options that found an adapter. */
  gpu: GPULike;
  identity: AdapterIdentity;
  dawnFlags: string[];
}

export type NodeGPUResult = ({ ok: true } & NodeGPU) | ({ ok: false } & Unavailable);

let opened: Promise<NodeGPUResult> | undefined;

/** Loads Dawn and finds an adapter once per process (probe() and activate() share it). */
export function openNodeGPU(): Promise<NodeGPUResult> {
  opened ??= open();
  return opened;
}

async function open(): Promise<NodeGPUResult> {
  let dawn: DawnModule;
  try {
    // A non-literal specifier keeps browser bundlers from trying to bundle the native addon.
    const specifier = "webgpu";
    dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (e) {
    return { ok: false, ...classifyDawnLoadError(e, process.platform, process.arch) };
  }
  // tfjs reads GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  for (const attempt of ATTEMPTS) {
    for (const [key, value] of Object.entries(attempt.env ?? {})) process.env[key] ??= value;
    const native = dawn.create(attempt.flags);
    const adapter = await native.requestAdapter(attempt.adapterOptions).catch(() => null);
    if (!adapter) continue;
    const gpu = wrapRequestAdapter(native, attempt.adapterOptions);
    return { ok: true, gpu, identity: adapterIdentity(adapter), dawnFlags: attempt.flags };
  }
  const { findGraphicsLibraries } = await import("./system-libraries.js");
  return { ok: false, ...diagnoseNodeNoAdapter(await findGraphicsLibraries(), process.platform) };
}

// tfjs calls navigator.gpu.requestAdapter({ powerPreference }) itself; add our options to it.
function wrapRequestAdapter(native: GPULike & Record<string, unknown>, options: Record<string, unknown>): GPULike {
  return new Proxy(native, {
    get(target, key) {
      if (key === "requestAdapter") return (desc?: Record<string, unknown>) => target.requestAdapter({ ...desc, ...options });
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Makes `navigator.gpu` the Dawn GPU. Must run before @tensorflow/tfjs-backend-webgpu is
 * imported: it registers its backend only if navigator.gpu exists at import time.
 */
export function installNavigatorGPU(gpu: GPULike): void {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  } else if (g.navigator.gpu === undefined) {
    // Node 21+ has a navigator without gpu.
    Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true, writable: true });
  }
}
