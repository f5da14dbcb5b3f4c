import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // A vite build, a model folder and real Chromium (WebGPU on SwiftShader) on a loaded CI machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
