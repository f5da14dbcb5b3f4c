import { defineConfig } from "vitest/config";

// The machine running the suite is often shared; allow slow moments.
export default defineConfig({ test: { testTimeout: 30_000 } });
