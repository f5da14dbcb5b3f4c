import { defineConfig } from "vitest/config";

// The machine running the suite is often shared (2 busy cores): model parity, the kernel coverage
// suite and the torch.load interop test (a Python start) take seconds each there.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
