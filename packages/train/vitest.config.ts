import { defineConfig } from "vitest/config";

// The machine running the suite is often shared; allow slow moments (the resume tests train twice).
export default defineConfig({ test: { testTimeout: 60_000 } });
