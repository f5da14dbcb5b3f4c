import { GlmjsError } from "@glmjs/common";
import { AUTO_ORDER, activeBackend, autoBackend, listBackends, probeBackends, tf, useBackend } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import { configureWasm, nodeWasmDir, WASM_BINARIES, wasmBackend } from "./index.js";
import { wasmInitialised } from "./initialised.js";

/** The code of the GlmjsError `f` throws ("no error" / the message otherwise, so a failure shows what happened). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

describe("the wasm BackendProvider", () => {
  it("registers itself on import without starting or selecting wasm", async () => {
    expect(listBackends().find((p) => p.name === "wasm")).toBe(wasmBackend);
    expect(wasmBackend.rank).toBe(AUTO_ORDER.wasm);
    expect(wasmInitialised()).toBe(false);
    await tf.ready();
    expect(tf.getBackend()).toBe("cpu");
    expect(wasmInitialised()).toBe(false);
  });

  it("finds the .wasm binaries inside the installed tfjs package in Node", async () => {
    const dir = await nodeWasmDir();
    expect(dir).toMatch(/@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
    const { existsSync } = await import("node:fs");
    for (const name of WASM_BINARIES) expect(existsSync(dir + name)).toBe(true);
  });

  it("probes as available, naming SIMD and the thread count it will start (by default the free cores)", async () => {
    const status = (await probeBackends()).find((s) => s.name === "wasm")!;
    expect(status.probe).toMatchObject({ available: true });
    const detail = status.probe.available ? status.probe.detail : "";
    if (process.env["GLMJS_WASM_THREADS"]) expect(detail).toMatch(/SIMD, \d+ threads? \(from GLMJS_WASM_THREADS\)/);
    else expect(detail).toMatch(/SIMD, [1-8] threads? \(the free cores; configureWasm\(\{ threads \}\) or GLMJS_WASM_THREADS to change\)/);
  });

  it("validates options and refuses them once the backend has started", async () => {
    expect(() => configureWasm({ threads: 0 })).toThrow(/threads must be a positive integer/);
    expect(thrownCode(() => configureWasm({ threads: 1.5 }))).toBe("OPTION_INVALID");
    configureWasm({ wasmPaths: await nodeWasmDir(), threads: 1 });
    const lines: string[] = [];
    const chosen = await autoBackend({ log: (l) => lines.push(l) });
    expect(chosen.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(activeBackend()).toBe("wasm");
    expect(lines.join("\n")).toMatch(/using backend wasm \(tfjs wasm, SIMD, 1 thread/);
    expect(() => configureWasm({ threads: 2 })).toThrow(/before the wasm backend is initialised/);
    expect(thrownCode(() => configureWasm({ threads: 2 }))).toBe("BACKEND_ALREADY_INITIALISED");
    await useBackend("cpu");
    await useBackend("wasm");
    expect(tf.getBackend()).toBe("wasm");
  });
});
