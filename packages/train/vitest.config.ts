import { defineConfig } from "vitest/config";

// The machine running the suite is often shared; Trainer runs (resume trains twice, a few hundred
// steps) take seconds each on a busy 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
