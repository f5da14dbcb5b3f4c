// Pure classification of why tfjs-node / tfjs-node-gpu cannot be used, from the error its import
// threw (or, for the GPU package, from which CUDA libraries exist). Unit-tested over real messages.

export type TfjsNodePackage = "@tensorflow/tfjs-node" | "@tensorflow/tfjs-node-gpu";

/** The tfjs version every glmjs package pins; the native packages must match it. */
export const TFJS_VERSION = "4.22.0";

export type FailureKind =
  "not-installed" | "dependency-missing" | "no-native-binary" | "native-libraries-missing" | "cuda-missing" | "version-mismatch" | "other";

export interface Unavailable {
  kind: FailureKind;
  reason: string;
  fix: string;
}

/** The install line for a package, with the pnpm build permission it needs. */
export function installCommand(pkg: TfjsNodePackage): string {
  return `npm install ${pkg}@${TFJS_VERSION} (pnpm: pnpm add ${pkg}@${TFJS_VERSION} and allow its build under allowBuilds in pnpm-workspace.yaml)`;
}

function rebuildCommand(pkg: TfjsNodePackage): string {
  return `npm rebuild ${pkg} (it downloads libtensorflow during install: the install needs access to storage.googleapis.com), or reinstall with scripts enabled: ${installCommand(pkg)}`;
}

const CUDA_REQUIREMENT = "tfjs-node-gpu 4.22 needs an NVIDIA driver, CUDA 11.2 (libcudart.so.11.0, libcublas.so.11) and cuDNN 8.1 (libcudnn.so.8)";
const CUDA_FIX = "install CUDA 11.2 and cuDNN 8.1 (e.g. the nvidia/cuda:11.2.2-cudnn8-runtime image) and put their lib64 folders on LD_LIBRARY_PATH";

/** Classifies the error thrown by `import(pkg)`. */
export function classifyTfjsNodeLoadError(pkg: TfjsNodePackage, error: unknown): Unavailable {
  const e = error as { code?: string; message?: string } | undefined;
  const message = String(e?.message ?? error);
  const code = e?.code ?? "";
  const line = message.split("\n", 1)[0]!.trim();

  // The binary loaded but a library it links against did not (checked first: on Windows the
  // message names tfjs_binding.node although the binary itself is present).
  const missingLib = /([\w.+-]+\.(?:so[\w.]*|dylib|dll))[:'"]? cannot open shared object file|Library not loaded: \S*?([\w.+-]+\.dylib)/.exec(message);
  if (missingLib || /The specified module could not be found/.test(message)) {
    const lib = missingLib?.[1] ?? missingLib?.[2] ?? "a DLL it depends on (tensorflow.dll)";
    if (/^libcu|^libcudnn|^libnvinfer|^libcusolver|^libcufft|^libcurand|^libcusparse/.test(lib)) {
      return { kind: "cuda-missing", reason: `${pkg}'s native binary cannot load ${lib}: ${CUDA_REQUIREMENT}`, fix: CUDA_FIX };
    }
    return {
      kind: "native-libraries-missing",
      reason: `${pkg}'s native binary is present but cannot load ${lib} (${line})`,
      fix: /libtensorflow|tensorflow\.dll/.test(lib) || !missingLib ? rebuildCommand(pkg) : `install the system package that provides ${lib}`,
    };
  }
  if (/tfjs_binding\.node/.test(message)) {
    return {
      kind: "no-native-binary",
      reason: `${pkg} is installed without its native binary (tfjs_binding.node): its install script did not run or could not download libtensorflow`,
      fix: rebuildCommand(pkg),
    };
  }
  // Node (ESM, CJS) and Vite/esbuild (bundled or under vitest) word a missing package differently.
  const notFound = /Cannot find (?:module|package) '([^']+)'|(?:Could not|Failed to) resolve(?: import)? "([^"]+)"/.exec(message);
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || notFound) {
    const named = notFound?.[1] ?? notFound?.[2];
    if (named === undefined || named === pkg || (named.startsWith(`${pkg}/`) && !named.includes("node_modules"))) {
      return { kind: "not-installed", reason: `${pkg} is not installed (it is an optional peer dependency of @glmjs/backend-node)`, fix: installCommand(pkg) };
    }
    return {
      kind: "dependency-missing",
      reason: `${pkg} is installed but its dependency ${named} cannot be found`,
      fix: `reinstall it so its dependencies are installed too: ${installCommand(pkg)}`,
    };
  }
  if (/GLIBC[\w.]* not found|GLIBCXX/.test(message)) {
    return {
      kind: "native-libraries-missing",
      reason: `${pkg}'s native binary needs a newer C/C++ runtime (${line})`,
      fix: "use a newer Linux (glibc 2.28 or later)",
    };
  }
  return { kind: "other", reason: `${pkg} failed to load: ${line}`, fix: rebuildCommand(pkg) };
}

/** What exists on disk for the CUDA path (found by cuda-libraries.ts). */
export interface CudaLibraries {
  /** libcuda.so.1, installed with the NVIDIA driver. */
  driver: boolean;
  cudart: boolean;
  cublas: boolean;
  cudnn: boolean;
}

/** Why tfjs-node-gpu loaded yet TensorFlow registered no GPU device (it silently runs on the CPU then). */
export function diagnoseNoGpuDevice(libs: CudaLibraries): Unavailable {
  if (!libs.driver) {
    return {
      kind: "cuda-missing",
      reason: "@tensorflow/tfjs-node-gpu loaded but found no GPU: there is no NVIDIA driver (libcuda.so.1 is absent)",
      fix: "install the NVIDIA driver, or use @tensorflow/tfjs-node (CPU) instead",
    };
  }
  const missing = [
    !libs.cudart && "libcudart.so.11.0 (CUDA 11.2 runtime)",
    !libs.cublas && "libcublas.so.11 (CUDA 11.2 cuBLAS)",
    !libs.cudnn && "libcudnn.so.8 (cuDNN 8.1)",
  ].filter((s): s is string => typeof s === "string");
  if (missing.length > 0) {
    return {
      kind: "cuda-missing",
      reason: `@tensorflow/tfjs-node-gpu loaded but cannot use the GPU: missing ${missing.join(", ")}; ${CUDA_REQUIREMENT}`,
      fix: CUDA_FIX,
    };
  }
  return {
    kind: "cuda-missing",
    reason: `@tensorflow/tfjs-node-gpu loaded but TensorFlow registered no GPU device although the CUDA libraries exist (driver too old for CUDA 11.2, or an unsupported GPU); ${CUDA_REQUIREMENT}`,
    fix: "check nvidia-smi and TensorFlow's log lines above (set TF_CPP_MIN_LOG_LEVEL=0), and update the NVIDIA driver",
  };
}

/** tfjs-node brings its own @tensorflow/tfjs (and tfjs-core): it must be the very version glmjs uses. */
export function diagnoseVersionMismatch(pkg: TfjsNodePackage, theirCore: string, ourCore: string): Unavailable | undefined {
  if (theirCore === ourCore) return undefined;
  return {
    kind: "version-mismatch",
    reason: `${pkg} uses @tensorflow/tfjs-core ${theirCore}, but glmjs uses ${ourCore}: two tfjs-core versions would share one engine and kernel registry`,
    fix: `install matching versions: npm install ${pkg}@${ourCore}, then npm dedupe`,
  };
}
