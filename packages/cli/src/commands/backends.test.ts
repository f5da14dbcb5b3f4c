import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../program.js";
import { type BackendsReport, formatBackends } from "./backends.js";
import { isNativeNoise, wantsNativeFilter } from "../terminal/native-stderr.js";

const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

describe("glm backends --json (the built CLI)", () => {
  it("lists cpu and wasm as available with a measured speed, the tfjs-node pair as not installed", async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm --filter @glmjs/cli build first`);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, "backends", "--json"], { maxBuffer: 1 << 20, timeout: 120_000 });
    // Nothing is wrong here, so nothing on stderr: neither Dawn's/Mesa's native warnings nor tfjs's
    // "install our node backend" banner (they show with --verbose).
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as BackendsReport;
    const byName = new Map(report.backends.map((b) => [b.name, b]));
    for (const name of ["cpu", "wasm"]) {
      const b = byName.get(name);
      expect(b?.available, name).toBe(true);
      expect(b?.error, name).toBeUndefined();
      expect(b?.gflops, name).toBeGreaterThan(0);
    }
    for (const [name, pkg] of [
      ["tfjs-node", "@tensorflow/tfjs-node"],
      ["tfjs-node-gpu", "@tensorflow/tfjs-node-gpu"],
    ]) {
      const b = byName.get(name);
      expect(b?.available, name).toBe(false);
      expect(b?.reason).toBe(`${pkg} is not installed (it is an optional peer dependency of @glmjs/backend-node)`);
      expect(b?.fix).toContain(`npm install ${pkg}@4.22.0`);
    }
    expect(report.matmulSize).toBe(512);
    // The pick is the best-ranked available backend, and the list is in that order.
    const ranks = report.backends.map((b) => b.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(report.auto).toBe(report.backends.find((b) => b.available)?.name);
  }, 150_000);
});

describe("glm backends --verbose (the built CLI)", () => {
  it("shows what the quiet mode hides: tfjs's notices (and native warnings, where a native backend prints any)", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, "backends", "--size", "32", "--verbose"], {
      maxBuffer: 1 << 20,
      timeout: 120_000,
    });
    expect(stdout).toMatch(/autoBackend\(\) picks: /);
    expect(stderr).toContain("Hi, looks like you are running TensorFlow.js in Node.js");
  }, 150_000);
});

describe("native stderr filter", () => {
  it("drops the known native noise and keeps everything else", () => {
    for (const line of [
      "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory",
      "    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)",
      "Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.",
      "error: XDG_RUNTIME_DIR is invalid or not set in the environment.",
      "",
    ])
      expect(isNativeNoise(line), line).toBe(true);
    for (const line of [
      "glm: --lr must be a number > 0, got -1",
      "Segmentation fault",
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
    ]) {
      expect(isNativeNoise(line), line).toBe(false);
    }
  });

  it("runs only the commands that load native backends in a filtered child, and never with --verbose", () => {
    const argv = (...a: string[]) => ["node", "glm", ...a];
    expect(wantsNativeFilter(argv("pretrain", "--corpus", "x"), {})).toBe(true);
    expect(wantsNativeFilter(argv("backends"), {})).toBe(true);
    expect(wantsNativeFilter(argv("backends", "--verbose"), {})).toBe(false);
    expect(wantsNativeFilter(argv("tokenize", "-t", "v.txt"), {})).toBe(false);
    expect(wantsNativeFilter(argv("pretrain"), { GLMJS_JS_STDERR_FD: "3" })).toBe(false);
  });
});

describe("formatBackends", () => {
  it("prints one row per backend, the fix under an unavailable one, and the pick", () => {
    const text = formatBackends({
      auto: "wasm",
      matmulSize: 512,
      packagesNotLoaded: [],
      backends: [
        { name: "tfjs-node", rank: 30, available: false, reason: "not installed", fix: "npm install x" },
        { name: "wasm", rank: 40, available: true, detail: "SIMD", gflops: 12.345, matmulSeconds: 0.02 },
        { name: "webgpu", rank: 45, available: true, fallback: true, error: "init failed" },
      ],
    });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^backend\s+available\s+rank\s+GFLOP\/s 512²\s+detail \/ reason$/);
    expect(lines[1]).toMatch(/^tfjs-node\s+no\s+30\s+-\s+not installed$/);
    expect(lines[2]).toMatch(/^\s+fix: npm install x$/);
    expect(lines[3]).toMatch(/^wasm\s+yes\s+40\s+12\.35\s+SIMD$/);
    expect(lines[4]).toMatch(/^webgpu\s+yes \(software\)\s+45\s+failed\s+init failed$/);
    expect(lines.at(-1)).toBe("autoBackend() picks: wasm");
  });
});

it("rejects a bad --size before doing any work", async () => {
  const program = buildProgram().exitOverride();
  await expect(program.parseAsync(["backends", "--size", "0"], { from: "user" })).rejects.toThrow(/--size must be an integer between 1 and 8192/);
});
