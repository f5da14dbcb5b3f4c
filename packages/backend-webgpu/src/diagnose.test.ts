import { describe, expect, it } from "vitest";
import { classifyDawnLoadError, diagnoseBrowserNoAdapter, diagnoseNodeNoAdapter } from "./diagnose.js";

function err(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe("classifyDawnLoadError", () => {
  it("the optional peer is not installed (Node ESM wording)", () => {
    const r = classifyDawnLoadError(
      err("Cannot find package 'webgpu' imported from /app/node_modules/@glmjs/backend-webgpu/dist/node-gpu.js", "ERR_MODULE_NOT_FOUND"),
      "linux",
      "x64",
    );
    expect(r.reason).toContain("optional peer dependency `webgpu`");
    expect(r.fix).toBe("npm install webgpu@0.6.2");
  });

  it("no prebuilt dawn.node for this platform", () => {
    const r = classifyDawnLoadError(
      err(
        "Cannot find module '/app/node_modules/webgpu/dist/linux-ppc64-ppc64/dawn.node'\nRequire stack:\n- /app/node_modules/webgpu/index.js",
        "MODULE_NOT_FOUND",
      ),
      "linux",
      "ppc64",
    );
    expect(r.reason).toContain("no prebuilt Dawn binary for linux-ppc64");
  });

  it("a system library the addon links is missing", () => {
    const r = classifyDawnLoadError(err("libstdc++.so.6: cannot open shared object file: No such file or directory", "ERR_DLOPEN_FAILED"), "linux", "x64");
    expect(r.reason).toContain("system library libstdc++.so.6 is missing");
  });

  it("a C++ runtime too old for the addon", () => {
    const r = classifyDawnLoadError(
      err(
        "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by /app/node_modules/webgpu/dist/linux-x64/dawn.node)",
        "ERR_DLOPEN_FAILED",
      ),
      "linux",
      "x64",
    );
    expect(r.reason).toContain("GLIBCXX_3.4.30");
  });
});

describe("diagnoseNodeNoAdapter", () => {
  const all = { egl: true, eglMesa: true, mesaDri: true, vulkan: true };
  it("names each missing Mesa piece and the apt line", () => {
    const r = diagnoseNodeNoAdapter({ ...all, egl: false, mesaDri: false }, "linux");
    expect(r.reason).toContain("libEGL.so (libegl1 + libegl-dev)");
    expect(r.reason).toContain("libgl1-mesa-dri");
    expect(r.reason).not.toContain("libegl-mesa0");
    expect(r.fix).toContain("apt-get install libegl1 libegl-dev libegl-mesa0 libgl1-mesa-dri");
  });
  it("says when the Vulkan loader is absent too", () => {
    expect(diagnoseNodeNoAdapter({ ...all, egl: false, vulkan: false }, "linux").reason).toContain("libvulkan.so.1 is absent");
  });
  it("libraries present but still no adapter", () => {
    expect(diagnoseNodeNoAdapter(all, "linux").reason).toContain("although Mesa's EGL libraries are installed");
  });
  it("other platforms point at the GPU driver", () => {
    expect(diagnoseNodeNoAdapter(all, "darwin").reason).toContain("on darwin");
  });
});

describe("diagnoseBrowserNoAdapter", () => {
  it("insecure context", () => {
    expect(diagnoseBrowserNoAdapter(false, false).reason).toContain("not a secure context");
  });
  it("no navigator.gpu", () => {
    expect(diagnoseBrowserNoAdapter(false, true).fix).toContain("--enable-unsafe-webgpu");
  });
  it("null adapter", () => {
    expect(diagnoseBrowserNoAdapter(true, true).reason).toContain("requestAdapter() returned null");
  });
});
