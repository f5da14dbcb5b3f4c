import { defineConfig } from "vitest/config";

// The machine running the suite is often shared (2 busy cores); allow slow moments.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
