// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright through vitest's
// browser mode. Flags from shared/browser.md: WebGPU needs --enable-unsafe-webgpu (and, on a
// GPU-less machine, SwiftShader: --enable-unsafe-swiftshader).
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");

// The .wasm binaries of the tfjs-backend-wasm that @glmjs/backend-wasm uses, served by vite's /@fs/.
const fromWasmPackage = createRequire(join(repoRoot, "packages/backend-wasm/package.json"));
const wasmDir = dirname(fromWasmPackage.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));

// The model fixture, as @glmjs/test-utils finds it: $GLMJS_MODEL_FIXTURE or ../shared/fixtures/glm-tiny-a.
const fixtureDir = process.env.GLMJS_MODEL_FIXTURE ?? resolve(repoRoot, "../shared/fixtures/glm-tiny-a");
const modelFixture = existsSync(fixtureDir) ? { dir: fixtureDir, files: readdirSync(fixtureDir) } : null;

const executablePath = process.env.GLMJS_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  server: {
    fs: { allow: [repoRoot, wasmDir, ...(modelFixture ? [modelFixture.dir] : [])] },
  },
  optimizeDeps: {
    // Pre-bundled up front: discovering them mid-run makes vite reload the page.
    include: [
      "@glmjs/core > @tensorflow/tfjs-core",
      "@glmjs/core > @tensorflow/tfjs-backend-cpu",
      "@glmjs/backend-wasm > @tensorflow/tfjs-backend-wasm",
      "@glmjs/backend-webgl > @tensorflow/tfjs-backend-webgl",
      "@glmjs/backend-webgpu > @tensorflow/tfjs-backend-webgpu",
    ],
  },
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    provide: { wasmDir: `/@fs${wasmDir}/`, modelFixture: modelFixture ? { url: `/@fs${modelFixture.dir}/`, files: modelFixture.files } : null },
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--enable-unsafe-webgpu",
            "--enable-unsafe-swiftshader",
          ],
        },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
