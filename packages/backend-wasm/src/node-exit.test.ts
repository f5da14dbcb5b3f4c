// A script that uses the threaded wasm build must end by itself (Emscripten refs its pthread
// workers, and XNNPACK's pool threads never end: before the fix such a script printed its result
// and then hung). Behaviour test: the child must exit, with status 0, well within the limit.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

const SCRIPT = `
import { tf, useBackend, GLMModel, presetConfig } from "@glmjs/core";
import { wasmThreadCount } from "./dist/index.js";
await useBackend("wasm");
const x = tf.randomNormal([256, 256]);
const y = tf.matMul(x, x);
await y.data();
const model = GLMModel.fromConfig({ ...presetConfig("tiny"), num_layers: 1, vocab_size: 64 }, { seed: 1 });
const decoder = model.createDecoder();
const ids = await decoder.stepArgmax({ inputIds: [[1, 2, 3]], positionIds: [[0, 1, 2]], blockPositionIds: [[0, 0, 0]], sep: 3 });
console.log("threads " + wasmThreadCount() + " workers " + tf.backend().wasm.PThread.runningWorkers.length + " id " + ids[0]);
`;

describe("a Node script on the threaded wasm build", () => {
  it("exits by itself after its work (no process.exit), with 2 threads from GLMJS_WASM_THREADS", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      cwd: packageDir,
      env: { ...process.env, GLMJS_WASM_THREADS: "2" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.error?.message).toBeUndefined();
    expect(r.signal).toBeNull();
    expect(r.stderr.split("\n").filter((l) => /Error|rror:/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    // The pool really ran: 2 XNNPACK threads on running pthread workers.
    expect(r.stdout).toMatch(/threads 2 workers [1-9]\d* id \d+/);
  }, 150_000);
});
