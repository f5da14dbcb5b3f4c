// Test helpers shared by every glmjs package (private, never published).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder above this file holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("test-utils: no pnpm-workspace.yaml above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** `../shared` resolved from the repository root (not from a package folder). */
export function sharedDir(): string {
  return resolve(repoRoot(), "..", "shared");
}

/**
 * Path to something under ../shared, or undefined when it is absent. The first call for a
 * missing path prints a visible notice, so a skipped suite is never silent.
 */
export function sharedPath(...parts: string[]): string | undefined {
  const p = join(sharedDir(), ...parts);
  if (existsSync(p)) return p;
  if (!warned.has(p)) {
    warned.add(p);
    console.warn(`[glmjs tests] SKIPPING: ${p} is absent (the ../shared folder of this setup); tests that need it are skipped.`);
  }
  return undefined;
}
const warned = new Set<string>();

/**
 * A fixture folder taken from an environment variable (e.g. GLMJS_MODEL_FIXTURE), else the
 * default under ../shared; undefined (with a visible notice) when it does not exist.
 */
export function fixtureDir(envVar: string, ...defaultParts: string[]): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return resolve(fromEnv);
  }
  return sharedPath(...defaultParts);
}

export { startHubServer, type HubRequest, type HubServer, type HubServerRepo } from "./hub-server.js";
