import { defineConfig } from "vitest/config";

// Trainer runs (resume, a few hundred steps) take seconds each on a busy 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
