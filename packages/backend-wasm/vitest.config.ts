import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Compiling the wasm binaries and the cpu reference runs take seconds on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
