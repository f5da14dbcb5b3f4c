import { describe, expect, it } from "vitest";
import { classifyTfjsNodeLoadError, diagnoseNoGpuDevice, diagnoseVersionMismatch, installCommand } from "./classify.js";

// Error messages as Node and tfjs-node print them (tfjs issues #2428, #2561, #708, #8269; toolchain/README.md).
function err(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe("classifyTfjsNodeLoadError", () => {
  it("ESM import of a package that is not installed", () => {
    const e = err("Cannot find package '@tensorflow/tfjs-node' imported from /app/node_modules/@glmjs/backend-node/dist/load.js", "ERR_MODULE_NOT_FOUND");
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e);
    expect(r.kind).toBe("not-installed");
    expect(r.reason).toContain("@tensorflow/tfjs-node is not installed");
    expect(r.fix).toContain("npm install @tensorflow/tfjs-node@4.22.0");
  });

  it("CJS require of a package that is not installed", () => {
    const e = err("Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack:\n- /app/index.js", "MODULE_NOT_FOUND");
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node-gpu", e);
    expect(r.kind).toBe("not-installed");
    expect(r.fix).toContain("npm install @tensorflow/tfjs-node-gpu@4.22.0");
  });

  it("a bundler (Vite/esbuild, also under vitest) that cannot resolve the package", () => {
    const e = err('Could not resolve "@tensorflow/tfjs-node" imported by "@glmjs/backend-node". Is it installed?');
    expect(classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e).kind).toBe("not-installed");
  });

  it("the other package's name is not taken for this one", () => {
    const e = err("Cannot find package '@tensorflow/tfjs-node' imported from /app/x.js", "ERR_MODULE_NOT_FOUND");
    expect(classifyTfjsNodeLoadError("@tensorflow/tfjs-node-gpu", e).kind).toBe("dependency-missing");
  });

  it("installed, but its @tensorflow/tfjs dependency is missing", () => {
    const e = err(
      "Cannot find module '@tensorflow/tfjs'\nRequire stack:\n- /app/node_modules/@tensorflow/tfjs-node/dist/index.js\n- /app/index.js",
      "MODULE_NOT_FOUND",
    );
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e);
    expect(r.kind).toBe("dependency-missing");
    expect(r.reason).toContain("@tensorflow/tfjs");
    expect(r.fix).toContain("npm install @tensorflow/tfjs-node@4.22.0");
  });

  it("installed without scripts: tfjs-node 4.22's own message (captured from npm install --ignore-scripts)", () => {
    const e = err(
      "The Node.js native addon module (tfjs_binding.node) can not be found at path: /tmp/tfn/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \n" +
        "Please run command 'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module. \n" +
        "If you have problem with building the addon module, please check https://github.com/tensorflow/tfjs/blob/master/tfjs-node/WINDOWS_TROUBLESHOOTING.md or file an issue.",
    );
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e);
    expect(r.kind).toBe("no-native-binary");
    expect(r.reason).toContain("installed without its native binary");
    expect(r.fix).toContain("npm rebuild @tensorflow/tfjs-node");
  });

  it("a missing binding reported by require (older tfjs, Windows path)", () => {
    const e = err("Cannot find module 'c:\\Users\\me\\app\\node_modules\\@tensorflow\\tfjs-node-gpu\\lib\\napi-v4\\tfjs_binding.node'", "MODULE_NOT_FOUND");
    expect(classifyTfjsNodeLoadError("@tensorflow/tfjs-node-gpu", e).kind).toBe("no-native-binary");
  });

  it("binding present, libtensorflow missing (Linux dlopen)", () => {
    const e = err("libtensorflow.so.2: cannot open shared object file: No such file or directory", "ERR_DLOPEN_FAILED");
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e);
    expect(r.kind).toBe("native-libraries-missing");
    expect(r.reason).toContain("libtensorflow.so.2");
    expect(r.fix).toContain("npm rebuild @tensorflow/tfjs-node");
  });

  it("binding present, libtensorflow missing (macOS dlopen)", () => {
    const e = err(
      "dlopen(/app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node, 0x0001): Library not loaded: @rpath/libtensorflow.2.dylib",
      "ERR_DLOPEN_FAILED",
    );
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", e);
    expect(r.kind).toBe("native-libraries-missing");
    expect(r.reason).toContain("libtensorflow.2.dylib");
  });

  it("binding present, a DLL missing (Windows names the binding itself)", () => {
    const e = err("The specified module could not be found.\r\n\\\\?\\D:\\app\\node_modules\\@tensorflow\\tfjs-node-gpu\\lib\\napi-v5\\tfjs_binding.node");
    expect(classifyTfjsNodeLoadError("@tensorflow/tfjs-node-gpu", e).kind).toBe("native-libraries-missing");
  });

  it("a CUDA library missing when the binary links it", () => {
    const e = err("libcublas.so.9.0: cannot open shared object file: No such file or directory", "ERR_DLOPEN_FAILED");
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node-gpu", e);
    expect(r.kind).toBe("cuda-missing");
    expect(r.reason).toMatch(/CUDA 11\.2.*cuDNN 8\.1/);
  });

  it("anything else keeps the first line of the message", () => {
    const r = classifyTfjsNodeLoadError("@tensorflow/tfjs-node", err("Could not initialize TensorFlow backend.\nstack"));
    expect(r.kind).toBe("other");
    expect(r.reason).toBe("@tensorflow/tfjs-node failed to load: Could not initialize TensorFlow backend.");
  });
});

describe("diagnoseNoGpuDevice (tfjs-node-gpu silently runs on the CPU without CUDA)", () => {
  it("no NVIDIA driver", () => {
    const r = diagnoseNoGpuDevice({ driver: false, cudart: false, cublas: false, cudnn: false });
    expect(r.reason).toContain("libcuda.so.1");
  });
  it("names each missing CUDA 11.2 / cuDNN 8.1 library", () => {
    const r = diagnoseNoGpuDevice({ driver: true, cudart: true, cublas: false, cudnn: false });
    expect(r.reason).toContain("missing libcublas.so.11 (CUDA 11.2 cuBLAS), libcudnn.so.8 (cuDNN 8.1);");
    expect(r.fix).toContain("LD_LIBRARY_PATH");
  });
  it("libraries present but no device", () => {
    expect(diagnoseNoGpuDevice({ driver: true, cudart: true, cublas: true, cudnn: true }).reason).toContain("no GPU device");
  });
});

describe("diagnoseVersionMismatch", () => {
  it("accepts the same tfjs-core version", () => {
    expect(diagnoseVersionMismatch("@tensorflow/tfjs-node", "4.22.0", "4.22.0")).toBeUndefined();
  });
  it("rejects another version with the install line that matches", () => {
    const r = diagnoseVersionMismatch("@tensorflow/tfjs-node", "4.21.0", "4.22.0");
    expect(r?.reason).toContain("4.21.0");
    expect(r?.fix).toContain("npm install @tensorflow/tfjs-node@4.22.0");
  });
});

it("installCommand mentions pnpm's build permission", () => {
  expect(installCommand("@tensorflow/tfjs-node-gpu")).toContain("allowBuilds");
});
