import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, type BackendProvider, type ProbeResult } from "./contract.js";
import { cpuBackend } from "./cpu.js";
import { currentEnvironment } from "./environment.js";

const providers = new Map<string, BackendProvider>([["cpu", cpuBackend]]);
let active: string | undefined;

/** Makes a backend known to glmjs (backend packages call this on import). Idempotent per name. */
export function registerBackend(provider: BackendProvider): void {
  if (provider.contractVersion !== BACKEND_CONTRACT_VERSION) {
    throw new GlmjsError(
      "BACKEND_CONTRACT_MISMATCH",
      `backend "${provider.name}" implements backend contract v${String(provider.contractVersion)}, ` +
        `but this @glmjs/core speaks v${BACKEND_CONTRACT_VERSION}: install matching versions of @glmjs/core and the backend package`,
    );
  }
  providers.set(provider.name, provider);
}

/** Every registered backend, best rank first. */
export function listBackends(): BackendProvider[] {
  return [...providers.values()].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
}

export function getBackendProvider(name: string): BackendProvider | undefined {
  return providers.get(name);
}

export interface BackendStatus {
  name: string;
  rank: number;
  probe: ProbeResult;
}

/** Probes every registered backend (never throws). */
export async function probeBackends(): Promise<BackendStatus[]> {
  const env = currentEnvironment();
  return Promise.all(
    listBackends().map(async (p): Promise<BackendStatus> => {
      if (!p.environments.includes(env)) {
        return { name: p.name, rank: p.rank, probe: { available: false, reason: `runs only in ${p.environments.join("/")}, not in ${env}` } };
      }
      try {
        const probe = await p.probe();
        return { name: p.name, rank: effectiveRank(p, probe), probe };
      } catch (e) {
        return { name: p.name, rank: p.rank, probe: { available: false, reason: `probe threw: ${(e as Error).message}` } };
      }
    }),
  );
}

/** A software (fallback) device ranks just below wasm. */
function effectiveRank(p: BackendProvider, probe: ProbeResult): number {
  return probe.available && probe.fallback ? Math.max(p.rank, AUTO_ORDER["webgpu-fallback"]) : p.rank;
}

/**
 * Activates the named backend. Throws (and leaves the previous backend active) when it is not
 * registered, not available here, or its initialisation fails: a backend is never reported
 * active after a failed initialisation.
 */
export async function useBackend(name: string): Promise<BackendProvider> {
  const p = providers.get(name);
  if (!p) {
    const known = [...providers.keys()].join(", ");
    throw new GlmjsError("BACKEND_UNKNOWN", `unknown backend "${name}" (registered: ${known}); import its package first, e.g. import "@glmjs/backend-${name}"`);
  }
  const probe = await p.probe();
  if (!probe.available) {
    throw new GlmjsError("BACKEND_UNAVAILABLE", `backend "${name}" is not available: ${probe.reason}${probe.fix ? `. Fix: ${probe.fix}` : ""}`);
  }
  const previous = tf.getBackend();
  const previousActive = active;
  try {
    await p.activate();
    if (tf.getBackend() !== p.tfjsBackend) throw new GlmjsError("BACKEND_FAILED", `tfjs reports backend "${tf.getBackend()}" after activation`);
  } catch (e) {
    // tfjs's setBackend can fail yet leave getBackend() naming the failed backend: restore.
    const restored = previous !== undefined && previous !== p.tfjsBackend && (await tf.setBackend(previous).catch(() => false));
    active = restored ? previousActive : undefined;
    throw new GlmjsError("BACKEND_FAILED", `backend "${name}" failed to initialise: ${(e as Error).message}`, { cause: e });
  }
  active = name;
  return p;
}

/** The glmjs backend made active by useBackend()/autoBackend(), if any. */
export function activeBackend(): string | undefined {
  return active !== undefined && providers.get(active)?.tfjsBackend === tf.getBackend() ? active : undefined;
}

export interface AutoBackendOptions {
  /** Receives one line per better backend skipped, and the choice. Default: console.info. */
  log?: (line: string) => void;
}

/**
 * Activates the fastest available backend in the documented order (see AUTO_ORDER), logging
 * why each better one was skipped. Falls through to the next one if initialisation fails.
 */
export async function autoBackend(options: AutoBackendOptions = {}): Promise<BackendProvider> {
  const log = options.log ?? ((line: string) => console.info(line));
  const statuses = (await probeBackends()).sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  for (const s of statuses) {
    if (!s.probe.available) {
      log(`glmjs: skipping ${s.name}: ${s.probe.reason}${s.probe.fix ? ` (fix: ${s.probe.fix})` : ""}`);
      continue;
    }
    try {
      const p = await useBackend(s.name);
      log(`glmjs: using backend ${s.name}${s.probe.detail ? ` (${s.probe.detail})` : ""}`);
      return p;
    } catch (e) {
      log(`glmjs: skipping ${s.name}: ${(e as Error).message}`);
    }
  }
  throw new GlmjsError("BACKEND_FAILED", "glmjs: no backend could be initialised (not even cpu)");
}

/** Picks the auto order without activating: what autoBackend() would choose. */
export async function autoBackendChoice(): Promise<string | undefined> {
  const statuses = (await probeBackends()).filter((s) => s.probe.available).sort((a, b) => a.rank - b.rank);
  return statuses[0]?.name;
}
