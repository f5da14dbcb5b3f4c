// Loads tfjs-node or tfjs-node-gpu once per process behind a guard, and classifies failures.
// Both packages register the same tfjs backend ("tensorflow") and each loads its own libtensorflow,
// so only the first one loaded in a process is ever used.
import { tf } from "@glmjs/core";
import { classifyTfjsNodeLoadError, diagnoseNoGpuDevice, diagnoseVersionMismatch, type TfjsNodePackage, type Unavailable } from "./classify.js";
import { findCudaLibraries } from "./cuda-libraries.js";

/** The tfjs backend name both packages register. */
export const TENSORFLOW_BACKEND = "tensorflow";

export type LoadResult = { ok: true; gpu: boolean; tensorflowVersion?: string } | ({ ok: false } & Unavailable);

interface TfjsNodeModule {
  version?: Record<string, string>;
  /** Node's ESM view of a CommonJS module: module.exports. */
  default?: { version?: Record<string, string> };
}

interface TensorflowBackend {
  binding?: { isUsingGpuDevice?: () => boolean; TF_Version?: string };
}

const results = new Map<TfjsNodePackage, Promise<LoadResult>>();
/** Loads run one after another, so that the first package imported is known to the second. */
let queue: Promise<unknown> = Promise.resolve();
/** The package whose native library this process has loaded, if any. */
let imported: TfjsNodePackage | undefined;

/** Imports `pkg` (once per process); never throws. */
export function loadTfjsNode(pkg: TfjsNodePackage): Promise<LoadResult> {
  let result = results.get(pkg);
  if (!result) {
    result = queue.then(() => (imported && imported !== pkg ? alreadyLoaded(imported, pkg) : loadTfjsNodeFresh(pkg)));
    queue = result;
    results.set(pkg, result);
  }
  return result;
}

function alreadyLoaded(other: TfjsNodePackage, pkg: TfjsNodePackage): LoadResult {
  return {
    ok: false,
    kind: "other",
    reason: `${other} is already loaded in this process; it and ${pkg} register the same tfjs backend ("tensorflow") and load different libtensorflow builds, so only one can be used`,
    fix: "install only one of them (or use the one already loaded)",
  };
}

async function loadTfjsNodeFresh(pkg: TfjsNodePackage): Promise<LoadResult> {
  const previous = tf.getBackend();
  let mod: TfjsNodeModule;
  try {
    // Guarded dynamic import of an optional peer; a non-literal specifier keeps bundlers out.
    mod = (await import(/* @vite-ignore */ pkg)) as TfjsNodeModule;
    imported = pkg;
  } catch (e) {
    return { ok: false, ...classifyTfjsNodeLoadError(pkg, e) };
  } finally {
    // tfjs-node makes itself the active backend on import; the registry decides what is active.
    if (previous && tf.getBackend() !== previous) await tf.setBackend(previous).catch(() => false);
  }
  const mismatch = diagnoseVersionMismatch(pkg, (mod.version ?? mod.default?.version)?.["tfjs-core"] ?? "unknown", tf.version_core);
  if (mismatch) return { ok: false, ...mismatch };
  const backend = tf.findBackend(TENSORFLOW_BACKEND) as TensorflowBackend | null;
  if (!backend) {
    return {
      ok: false,
      kind: "other",
      reason: `${pkg} loaded but its "tensorflow" backend is not registered with the @tensorflow/tfjs-core glmjs uses (a second tfjs-core copy?)`,
      fix: "npm dedupe, so that @tensorflow/tfjs-node and @glmjs/core resolve one @tensorflow/tfjs-core",
    };
  }
  const gpu = backend.binding?.isUsingGpuDevice?.() === true;
  if (pkg === "@tensorflow/tfjs-node-gpu" && !gpu) {
    return { ok: false, ...diagnoseNoGpuDevice(findCudaLibraries()) };
  }
  return { ok: true, gpu, tensorflowVersion: backend.binding?.TF_Version };
}
