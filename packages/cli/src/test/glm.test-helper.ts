// Runs the built `glm` (dist/bin.js) as a child process, as a user's shell would, and makes the
// small corpora the CLI tests train on.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface GlmRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
}

export interface GlmOptions {
  /** Called for every complete line of stdout or stderr (with the child, e.g. to signal it). */
  onLine?: (line: string, child: ChildProcess, stream: "stdout" | "stderr") => void;
  /** Written to stdin, which is then closed (default: stdin ignored). */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** SIGTERM after this many milliseconds (default 240 s), so a hung command never outlives its test. */
  timeoutMs?: number;
}

export function glm(args: string[], options: GlmOptions = {}): Promise<GlmRun> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm --filter @glmjs/cli build first`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    const run: GlmRun = { code: null, stdout: "", stderr: "", output: "" };
    const partial = { stdout: "", stderr: "" };
    const take = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const text = chunk.toString();
      run[stream] += text;
      run.output += text;
      const lines = (partial[stream] + text).split("\n");
      partial[stream] = lines.pop()!;
      for (const line of lines) options.onLine?.(line, child, stream);
    };
    child.stdout!.on("data", take("stdout"));
    child.stderr!.on("data", take("stderr"));
    // A test may close stdout on purpose (child.stdout.destroy()).
    child.stdout!.on("error", () => {});
    if (options.stdin !== undefined) {
      child.stdin!.on("error", () => {}); // the child may stop reading early
      child.stdin!.end(options.stdin);
    }
    // The launcher passes SIGTERM on to the command it runs in its own process group.
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 240_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      run.code = code;
      resolvePromise(run);
    });
  });
}

/** Paragraphs of simple sentences from a seeded generator (blank lines separate documents). */
export function writeSentenceCorpus(path: string, paragraphs = 240, seed = 7): string {
  const subjects = ["the cat", "a dog", "the old man", "my sister", "the captain", "a young girl"];
  const verbs = ["saw", "liked", "followed", "found", "called", "watched"];
  const objects = ["the river", "a small house", "the ship", "an apple", "the garden", "the storm"];
  let s = seed;
  const pick = <T>(a: T[]) => a[(s = (s * 1103515245 + 12345) % 2147483648) % a.length]!;
  const text = Array.from({ length: paragraphs }, () => Array.from({ length: 4 }, () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)}.`).join(" "));
  writeFileSync(path, text.join("\n\n") + "\n");
  return path;
}

export interface TrainMetricsRow {
  step: number;
  loss: number;
  lr: number;
  grad_norm: number;
  clip_scale: number;
  loss_tokens: number;
  skipped?: boolean;
  split?: string;
}

export function metrics(dir: string): TrainMetricsRow[] {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TrainMetricsRow);
}

export const trainRows = (dir: string) => metrics(dir).filter((r) => r.split === undefined);
export const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** A model folder any other command (and a browser) can load alone: weights, config, tokenizer. */
export function expectCompleteModelFolder(dir: string): void {
  for (const file of ["model.safetensors", "config.json", "tokenizer.json"]) expect(existsSync(join(dir, "model", file)), file).toBe(true);
  expect(readFileSync(join(dir, "model", "tokenizer.json"), "utf8")).toBe(readFileSync(join(dir, "tokenizer.json"), "utf8"));
}
