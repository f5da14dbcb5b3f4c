// The model's parity with the original GLM (the glm-tiny-a golden fixture) computed on WebGPU in
// Chromium. The fixture files are served by vite from ../shared (see vitest.config.ts).
import "@glmjs/backend-webgpu";
import { tf, useBackend } from "@glmjs/core";
import { MODEL_FIXTURE_FILES, type ModelFixture, modelFixtureFromFiles, runModelParity } from "@glmjs/core/testing";
import { afterAll, describe, expect, inject, it } from "vitest";

const served = inject("modelFixture");
if (!served) console.warn("SKIPPING WebGPU model parity: ../shared/fixtures/glm-tiny-a is absent (set GLMJS_MODEL_FIXTURE)");

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

describe.skipIf(!served)(served ? "glm-tiny-a parity on WebGPU in Chromium" : "glm-tiny-a parity on WebGPU (SKIPPED: ../shared absent)", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  // Decoding and generation (many tiny steps, each a round trip through SwiftShader) are left to
  // the Node parity test: here they would take minutes. The forward pass and every gradient run.
  it("matches the original GLM's logits, loss and gradients", async () => {
    const full = await fetchFixture(served!.url, served!.files);
    const fixture: ModelFixture = { ...full, decode: undefined, decodeTensors: undefined, generate: undefined, generateTensors: undefined };
    await useBackend("webgpu");
    const checks = await runModelParity(fixture);
    expect(tf.getBackend()).toBe("webgpu");
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: max |err| ${c.maxAbsError} > ${c.tolerance}${c.detail ? ` (${c.detail})` : ""}`);
    expect(failed).toEqual([]);
    const names = checks.map((c) => c.name);
    expect(names).toContain("logits");
    expect(names).toContain("loss");
    if (fixture.grads) expect(names.some((n) => n.startsWith("grad "))).toBe(true);
  });
});
