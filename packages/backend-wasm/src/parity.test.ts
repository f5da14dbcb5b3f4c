// The model helper's parity check (glm-tiny-a against the original GLM's golden outputs: every
// layer, logits, loss, every gradient, cached decoding) on the wasm backend.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tf, useBackend } from "@glmjs/core";
import { type ModelFixture, modelFixtureFromFiles, runModelParity } from "@glmjs/core/testing";
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import "./index.js";

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

function readFixture(folder: string): ModelFixture {
  return modelFixtureFromFiles((name) => (existsSync(join(folder, name)) ? readFileSync(join(folder, name)) : undefined));
}

describe.skipIf(!dir)("model parity on wasm", () => {
  it("matches every reference tensor of the fixture, gradients included", async () => {
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const checks = await runModelParity(readFixture(dir!));
    expect(tf.getBackend()).toBe("wasm");
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: max |err| ${c.maxAbsError} > ${c.tolerance}${c.detail ? ` (${c.detail})` : ""}`);
    expect(failed).toEqual([]);
    const names = checks.map((c) => c.name);
    expect(names).toContain("logits");
    expect(names).toContain("grad word_embeddings.weight");
    expect(tf.memory().numTensors).toBe(before);
  });
});
