import type { BackendEnvironment } from "./contract.js";

/** The environment this code runs in. */
export function currentEnvironment(): BackendEnvironment {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown; importScripts?: unknown };
  if (g.process?.versions?.node) return "node";
  if (typeof g.window !== "undefined") return "browser";
  return "worker";
}
