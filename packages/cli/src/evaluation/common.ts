// Shared by the `glm eval` modes: load the model (messages on stderr), print results as text or JSON.
import { activateBackend } from "../run/backend.js";
import { type ModelArg, type ModelSource, loadModelArg, resolveModelArg } from "../run/model-arg.js";
import { writeOut } from "../terminal/stdout.js";
import type { ModelFlags } from "../commands/model-flags.js";

export interface EvalFlags extends ModelFlags {
  json?: boolean;
  limit?: number;
  batchSize?: number;
  /** false with --no-progress. */
  progress?: boolean;
}

export function log(line: string): void {
  process.stderr.write(line + "\n");
}

/** Resolves --model (cheap, before any work); `load` then activates the backend and loads it. */
export async function modelOf(f: EvalFlags): Promise<{ source: ModelSource; load: () => Promise<ModelArg> }> {
  const source = await resolveModelArg(f.model);
  return {
    source,
    load: async () => {
      await activateBackend(f, f.verbose ? log : () => {});
      const loaded = await loadModelArg(source);
      log(`model: ${loaded.description}`);
      return loaded;
    },
  };
}

/** Prints the result: JSON (one object) with --json, else the text lines. */
export function printResult(f: EvalFlags, json: unknown, lines: readonly string[]): void {
  writeOut(f.json ? JSON.stringify(json, null, 2) + "\n" : lines.join("\n") + "\n");
}

export const percent = (x: number, digits = 2): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a");

/** The first `limit` items. */
export function limited<T>(items: readonly T[], limit: number | undefined): T[] {
  return limit === undefined ? [...items] : items.slice(0, limit);
}

/** Rows of cells as aligned columns. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
