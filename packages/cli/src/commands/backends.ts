// `glm backends`: every glmjs backend with whether it is usable here (or why not, and the fix),
// the one autoBackend() picks, and a measured square matMul speed on each usable one.
import { GlmjsError } from "@glmjs/common";
import { autoBackendChoice, measureMatmulSpeed, probeBackends, tf, useBackend } from "@glmjs/core";
import type { Command } from "commander";
import { quietTfjs } from "../terminal/quiet.js";
import { writeOut } from "../terminal/stdout.js";

/** The backend packages the CLI loads; each registers its providers with @glmjs/core on import. */
export const BACKEND_PACKAGES = ["@glmjs/backend-wasm", "@glmjs/backend-webgpu", "@glmjs/backend-webgl", "@glmjs/backend-node"] as const;

export interface BackendReport {
  name: string;
  /** Effective autoBackend() rank (lower is preferred; software adapters rank below wasm). */
  rank: number;
  available: boolean;
  detail?: string;
  fallback?: boolean;
  reason?: string;
  fix?: string;
  /** Measured float32 matMul GFLOP/s (size × size), when available and measured. */
  gflops?: number;
  matmulSeconds?: number;
  /** Set when the backend probed available but failed to activate or to run the matmul. */
  error?: string;
}

export interface BackendsReport {
  /** What autoBackend() would activate here. */
  auto: string | undefined;
  matmulSize: number;
  backends: BackendReport[];
  /** Backend packages that could not be loaded (not installed), with the reason. */
  packagesNotLoaded: { name: string; reason: string }[];
}

/** Loads every backend package that is installed; never throws. */
export async function loadBackendPackages(): Promise<{ name: string; reason: string }[]> {
  const notLoaded: { name: string; reason: string }[] = [];
  for (const name of BACKEND_PACKAGES) {
    try {
      await import(/* @vite-ignore */ name);
    } catch (e) {
      const message = (e as Error).message.split("\n", 1)[0]!;
      const missing = /Cannot find (?:package|module)|Could not resolve|Failed to resolve/.test(message);
      notLoaded.push({ name, reason: missing ? `not installed (npm install ${name})` : `failed to load: ${message}` });
    }
  }
  return notLoaded;
}

export async function collectBackends(options: { size: number; measure: boolean }): Promise<BackendsReport> {
  const packagesNotLoaded = await loadBackendPackages();
  // Sorted by the effective rank (a software WebGPU adapter drops below wasm), as autoBackend() tries them.
  const statuses = (await probeBackends()).sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  const auto = await autoBackendChoice();
  const backends: BackendReport[] = [];
  for (const s of statuses) {
    const r: BackendReport = s.probe.available
      ? { name: s.name, rank: s.rank, available: true, detail: s.probe.detail, fallback: s.probe.fallback ?? false }
      : { name: s.name, rank: s.rank, available: false, reason: s.probe.reason, fix: s.probe.fix };
    if (r.available && options.measure) {
      try {
        await useBackend(s.name);
        const speed = await measureMatmulSpeed(options.size);
        r.gflops = speed.gflops;
        r.matmulSeconds = speed.seconds;
      } catch (e) {
        r.error = (e as Error).message;
      }
    }
    backends.push(r);
  }
  if (options.measure) await tf.setBackend("cpu");
  return { auto, matmulSize: options.size, backends, packagesNotLoaded };
}

/** The human-readable table. */
export function formatBackends(report: BackendsReport): string {
  const lines: string[] = [];
  const speedHeader = `GFLOP/s ${report.matmulSize}²`;
  const rows = report.backends.map((b) => [
    b.name,
    b.available ? (b.fallback ? "yes (software)" : "yes") : "no",
    String(b.rank),
    b.gflops !== undefined ? b.gflops.toFixed(2) : b.error ? "failed" : "-",
    b.available ? (b.error ?? b.detail ?? "") : (b.reason ?? ""),
  ]);
  const header = ["backend", "available", "rank", speedHeader, "detail / reason"];
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c))
      .join("  ")
      .trimEnd();
  lines.push(row(header));
  report.backends.forEach((b, i) => {
    lines.push(row(rows[i]!));
    if (!b.available && b.fix) lines.push(`${" ".repeat(widths.reduce((s, w) => s + w + 2, 0))}fix: ${b.fix}`);
  });
  for (const p of report.packagesNotLoaded) lines.push(`(${p.name}: ${p.reason})`);
  lines.push(`autoBackend() picks: ${report.auto ?? "nothing (no backend available)"}`);
  return lines.join("\n");
}

export function registerBackends(program: Command): void {
  program
    .command("backends")
    .description("list the glmjs backends: available here or why not (and the fix), autoBackend()'s pick, matMul GFLOP/s")
    .option("--json", "print the report as JSON")
    .option("--size <n>", "matMul size to measure (n × n, float32)", "512")
    .option("--no-measure", "skip the matMul measurement")
    .option("--verbose", "also show native libraries' warnings (Dawn, Mesa) and tfjs's notices")
    .action(async (opts: { json?: boolean; size: string; measure: boolean; verbose?: boolean }) => {
      const size = Number(opts.size);
      if (!Number.isInteger(size) || size < 1 || size > 8192) {
        throw new GlmjsError("OPTION_INVALID", `--size must be an integer between 1 and 8192, got "${opts.size}"`);
      }
      quietTfjs(opts.verbose);
      const report = await collectBackends({ size, measure: opts.measure });
      writeOut(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBackends(report)}\n`);
    });
}
