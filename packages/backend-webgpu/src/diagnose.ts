// Pure classification of why WebGPU is unavailable, so every message can be unit-tested
// against the real errors without the failing environment.

export interface Unavailable {
  reason: string;
  fix: string;
}

/** The `webgpu` npm package version this backend is tested with. */
export const DAWN_PACKAGE = "webgpu@0.6.2";

// Debian/Ubuntu packages giving Dawn's OpenGL ES path a software (Mesa llvmpipe) device.
// Dawn dlopens the unversioned libEGL.so, which only libegl-dev provides.
export const MESA_PACKAGES = "libegl1 libegl-dev libegl-mesa0 libgl1-mesa-dri";

/** Explains a failed `import("webgpu")` (the optional peer that gives Node a WebGPU). */
export function classifyDawnLoadError(error: unknown, platform: string, arch: string): Unavailable {
  const e = error as { code?: string; message?: string } | undefined;
  const message = String(e?.message ?? error);
  const code = e?.code ?? "";
  if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && /dawn\.node/.test(message)) {
    return {
      reason: `the webgpu package has no prebuilt Dawn binary for ${platform}-${arch} (${firstLine(message)})`,
      fix: "use a platform the webgpu package ships (linux-x64, linux-arm64, darwin, win32), or build Dawn's node bindings yourself",
    };
  }
  if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && /['"]webgpu['"]|\/webgpu\b/.test(message)) {
    return {
      reason: "WebGPU in Node needs the optional peer dependency `webgpu` (Dawn), which is not installed",
      fix: `npm install ${DAWN_PACKAGE}`,
    };
  }
  const missingLib = /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(message);
  if (missingLib) {
    return {
      reason: `Dawn's native module cannot load: system library ${missingLib[1]} is missing`,
      fix: `install the package providing ${missingLib[1]} (Debian/Ubuntu: apt-get install ${MESA_PACKAGES})`,
    };
  }
  const glibc = /version `(GLIBC[\w.]*|GLIBCXX[\w.]*)' not found/.exec(message);
  if (glibc) {
    return {
      reason: `Dawn's native module needs ${glibc[1]}, newer than this system's C/C++ runtime`,
      fix: "use a newer Linux distribution (Debian 12 / Ubuntu 22.04 or later)",
    };
  }
  return { reason: `the webgpu package failed to load: ${firstLine(message)}`, fix: `reinstall it: npm install ${DAWN_PACKAGE}` };
}

/** What the Node probe found on disk when Dawn returned no adapter. */
export interface SystemGraphicsLibraries {
  /** libEGL.so (unversioned; Dawn's OpenGL ES backend dlopens it). */
  egl: boolean;
  /** Mesa's EGL vendor library, libEGL_mesa.so.0. */
  eglMesa: boolean;
  /** A Mesa DRI driver directory with swrast/llvmpipe (libgl1-mesa-dri). */
  mesaDri: boolean;
  /** libvulkan.so.1, the Vulkan loader. */
  vulkan: boolean;
}

/** Explains a null adapter from Dawn in Node, given which system libraries exist. */
export function diagnoseNodeNoAdapter(libs: SystemGraphicsLibraries, platform: string): Unavailable {
  if (platform !== "linux") {
    return {
      reason: `Dawn found no GPU adapter on ${platform} (no Metal/D3D12/Vulkan device usable)`,
      fix: "update the GPU driver; WebGPU in Node needs a GPU driver Dawn supports",
    };
  }
  const missing: string[] = [];
  if (!libs.egl) missing.push("libEGL.so (libegl1 + libegl-dev)");
  if (!libs.eglMesa) missing.push("libEGL_mesa.so.0 (libegl-mesa0)");
  if (!libs.mesaDri) missing.push("Mesa's DRI drivers (libgl1-mesa-dri)");
  if (missing.length > 0) {
    return {
      reason:
        `Dawn found no GPU adapter: no Vulkan GPU driver${libs.vulkan ? "" : " (libvulkan.so.1 is absent too)"}, ` +
        `and the software OpenGL ES path lacks ${missing.join(", ")}`,
      fix: `apt-get install ${MESA_PACKAGES} (software, for correctness), or install your GPU's Vulkan driver (with libvulkan1)`,
    };
  }
  return {
    reason: "Dawn found no GPU adapter although Mesa's EGL libraries are installed (Vulkan gave none; OpenGL ES with EGL_PLATFORM=surfaceless failed)",
    fix: "check that EGL works headless (e.g. eglinfo -B from mesa-utils-bin), or install your GPU's Vulkan driver",
  };
}

/** Explains a missing or null navigator.gpu in a browser/worker. */
export function diagnoseBrowserNoAdapter(hasNavigatorGpu: boolean, secureContext: boolean | undefined): Unavailable {
  if (!hasNavigatorGpu) {
    if (secureContext === false) {
      return {
        reason: "navigator.gpu is undefined because this page is not a secure context",
        fix: "serve the page over https:// or from http://localhost / http://127.0.0.1",
      };
    }
    return {
      reason: "this browser exposes no navigator.gpu (WebGPU unsupported or disabled)",
      fix: "use Chrome/Edge 113+ or another WebGPU browser; headless Chromium needs --enable-unsafe-webgpu",
    };
  }
  return {
    reason: "navigator.gpu.requestAdapter() returned null: no usable GPU adapter (GPU blocklisted or no driver)",
    fix: "update the GPU driver or enable chrome://flags/#enable-unsafe-webgpu; headless Chromium without a GPU also needs --enable-unsafe-swiftshader",
  };
}

function firstLine(s: string): string {
  return s.split("\n", 1)[0]!.trim();
}
