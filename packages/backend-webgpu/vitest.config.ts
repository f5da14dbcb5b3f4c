import { defineConfig } from "vitest/config";

// Dawn on llvmpipe compiles shaders on the CPU: seconds per test on a busy 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
