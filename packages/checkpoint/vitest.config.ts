import { defineConfig } from "vitest/config";

// Tests that run Python (zipfile, pickle, torch) take seconds each on a busy 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
