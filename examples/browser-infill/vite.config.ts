import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: the built page works from any folder of a static host.
  base: "./",
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  // Pre-bundled up front in dev: discovering them on first use would make vite reload the page.
  optimizeDeps: {
    include: [
      "@glmjs/core > @tensorflow/tfjs-core",
      "@glmjs/core > @tensorflow/tfjs-backend-cpu",
      "@glmjs/backend-wasm > @tensorflow/tfjs-backend-wasm",
      "@glmjs/backend-webgl > @tensorflow/tfjs-backend-webgl",
      "@glmjs/backend-webgpu > @tensorflow/tfjs-backend-webgpu",
    ],
  },
});
