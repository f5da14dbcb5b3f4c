// Reads a GPUAdapter's identity in a way that works across browsers and Dawn versions
// (adapter.info is recent; older Chromium had isFallbackAdapter on the adapter itself).

/** The adapter fields glmjs reports and ranks by. */
export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software adapter (SwiftShader, llvmpipe, lavapipe, WARP...). */
  fallback: boolean;
}

/** The subset of GPUAdapter we read (structural, so tests can pass plain objects). */
export interface AdapterLike {
  info?: Partial<Record<"vendor" | "architecture" | "device" | "description", string>> & { isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

// Software rasterisers that expose a WebGPU adapter: slower than wasm for GLM-sized matmuls.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

export function adapterIdentity(adapter: AdapterLike): AdapterIdentity {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const device = info.device ?? "";
  const description = info.description ?? "";
  const fallback =
    info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE_ADAPTER.test([vendor, architecture, device, description].join(" "));
  return { vendor, architecture, device, description, fallback };
}

/** One line for probe().detail, e.g. "google swiftshader (software adapter)". */
export function describeAdapter(id: AdapterIdentity): string {
  const parts = [id.vendor, id.architecture, id.device, id.description].filter((s) => s.length > 0);
  const name = parts.length > 0 ? [...new Set(parts)].join(" ") : "unnamed adapter";
  return id.fallback ? `${name} (software adapter: ranked below wasm)` : name;
}
