// The committed SIMD binaries are the assembly of the committed kernels.wat.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf, useBackend } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import "../../index.js";
import { simdKernels } from "../simd.js";
import { asWasmBackend } from "../wasm-internals.js";

const here = dirname(fileURLToPath(import.meta.url));

describe("SIMD kernels module", () => {
  it("kernels-wasm.generated.ts is up to date with kernels.wat (run `pnpm run build:simd` after editing it)", async () => {
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { generateSimdModule } = (await import("../../../scripts/build-simd-kernels.mjs")) as { generateSimdModule(text: string): Promise<string> };
    const expected = await generateSimdModule(readFileSync(join(here, "kernels.wat"), "utf8"));
    expect(readFileSync(join(here, "kernels-wasm.generated.ts"), "utf8")).toBe(expected);
  });
});

describe("SIMD kernels over tfjs's heap", () => {
  it("instantiate over the single-threaded build's exported memory (the fused kernels' fast path is live)", async () => {
    await useBackend("wasm");
    expect(simdKernels(asWasmBackend(tf.backend()))).toBeDefined();
  });
});
