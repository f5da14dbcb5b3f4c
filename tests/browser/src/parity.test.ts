// The model's parity with the original GLM (the glm-tiny-a golden fixture) computed in Chromium on
// every browser backend: WebGPU, WebGL and wasm. The fixture files are served by vite from
// ../shared (see vitest.config.ts).
import { configureWasm } from "@glmjs/backend-wasm";
import "@glmjs/backend-webgl";
import "@glmjs/backend-webgpu";
import { tf, useBackend } from "@glmjs/core";
import { MODEL_FIXTURE_FILES, type ModelFixture, modelFixtureFromFiles, runModelParity } from "@glmjs/core/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

configureWasm({ wasmPaths: inject("wasmDir") });

const served = inject("modelFixture");
if (!served) console.warn("SKIPPING browser model parity: ../shared/fixtures/glm-tiny-a is absent (set GLMJS_MODEL_FIXTURE)");

async function fetchFixture(url: string, present: string[]): Promise<ModelFixture> {
  const wanted = Object.values(MODEL_FIXTURE_FILES).filter((name) => present.includes(name));
  const bytes = new Map<string, Uint8Array>();
  await Promise.all(
    wanted.map(async (name) => {
      const response = await fetch(`${url}${name}`);
      if (!response.ok) throw new Error(`fixture file ${name}: HTTP ${response.status}`);
      bytes.set(name, new Uint8Array(await response.arrayBuffer()));
    }),
  );
  return modelFixtureFromFiles((name) => bytes.get(name));
}

// Cached decoding and generation are many tiny steps: on WebGPU and WebGL (Chromium's
// SwiftShader on a GPU-less machine) each is a round trip through a software GPU and the whole
// takes minutes (WebGL: 112 s with decoding against 22 s without, on a loaded 2-core machine), so
// those two run the forward pass, the loss and every gradient, and leave decoding to wasm here
// and to the Node parity test. wasm runs every check the fixture has (3 s).
// On a loaded 2-core machine the WebGPU case (SwiftShader compiling every shader on first use)
// took 124 s without decoding; the suite's default 180 s is too tight for it.
const PARITY_TIMEOUT_MS = 480_000;

const BACKENDS: { name: string; decoding: boolean }[] = [
  { name: "webgpu", decoding: false },
  { name: "webgl", decoding: false },
  { name: "wasm", decoding: true },
];

describe.skipIf(!served)(served ? "glm-tiny-a parity in Chromium" : "glm-tiny-a parity in Chromium (SKIPPED: ../shared absent)", () => {
  let full: ModelFixture;
  beforeAll(async () => {
    full = await fetchFixture(served!.url, served!.files);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  for (const { name, decoding } of BACKENDS) {
    it(
      `matches the original GLM's logits, loss and gradients on ${name}${decoding ? ", and its cached decoding and generation" : ""}`,
      async () => {
        const fixture: ModelFixture = decoding
          ? full
          : { ...full, decode: undefined, decodeTensors: undefined, generate: undefined, generateTensors: undefined };
        await useBackend(name);
        const checks = await runModelParity(fixture);
        expect(tf.getBackend()).toBe(name);
        const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: max |err| ${c.maxAbsError} > ${c.tolerance}${c.detail ? ` (${c.detail})` : ""}`);
        expect(failed).toEqual([]);
        const names = checks.map((c) => c.name);
        expect(names).toContain("logits");
        expect(names).toContain("loss");
        if (fixture.grads) expect(names.some((n) => n.startsWith("grad "))).toBe(true);
        if (decoding && fixture.decode) expect(names.some((n) => n.startsWith("decode step_logits"))).toBe(true);
        if (decoding && fixture.generate)
          expect(names.filter((n) => n.startsWith("generate ")).length).toBe(fixture.generate.prompts.reduce((s, p) => s + p.spans.length, 0));
      },
      PARITY_TIMEOUT_MS,
    );
  }
});
