import { defineConfig } from "vitest/config";

// Loading the 50k-entry vocabularies takes a few seconds on a busy 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
