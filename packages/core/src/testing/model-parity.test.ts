import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { type ModelFixture, modelFixtureFromFiles } from "./model-fixture.js";
import { runModelParity } from "./model-parity.js";

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

function readFixture(folder: string): ModelFixture {
  return modelFixtureFromFiles((name) => (existsSync(join(folder, name)) ? readFileSync(join(folder, name)) : undefined));
}

describe.skipIf(!dir)("parity with the original GLM on the model fixture", () => {
  const fixture = dir ? readFixture(dir) : undefined;

  for (const weights of ["safetensors", "pytorch"] as const) {
    it(`matches every reference tensor, loading ${weights === "pytorch" ? "pytorch_model.bin" : "model.safetensors"}`, async () => {
      const f = fixture as ModelFixture;
      const checks = await runModelParity(f, { weights });
      const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: max |err| ${c.maxAbsError} > ${c.tolerance}${c.detail ? ` (${c.detail})` : ""}`);
      expect(failed).toEqual([]);
      const names = checks.map((c) => c.name);
      // The fixture's every part was compared (sizes come from the fixture, not from here).
      expect(names).toContain("logits");
      expect(names).toContain("loss");
      expect(names).toContain("grad word_embeddings.weight");
      expect(names.filter((n) => n.startsWith("grad ")).length).toBe(readFixtureParamCount(f));
      if (f.decode) expect(names.some((n) => n.startsWith("decode step_logits"))).toBe(true);
      if (f.generate) expect(names.filter((n) => n.startsWith("generate ")).length).toBe(f.generate.prompts.reduce((s, p) => s + p.spans.length, 0));
    }, 60_000);
  }

  it("detects a typical mistake (the other GELU form moves the logits beyond 1e-4)", async () => {
    const f = fixture as ModelFixture;
    const act = (f.config as { hidden_act?: string }).hidden_act;
    const otherAct = act === "gelu" || act === "gelu_erf" ? "gelu_new" : "gelu";
    const wrong = { ...f, config: { ...(f.config as object), hidden_act: otherAct }, grads: undefined, decode: undefined, generate: undefined };
    const checks = await runModelParity(wrong);
    const logits = checks.find((c) => c.name === "logits");
    expect(logits?.ok).toBe(false);
    expect(logits?.maxAbsError).toBeGreaterThan(1e-4);
  }, 60_000);
});

function readFixtureParamCount(f: ModelFixture): number {
  const c = f.config as { num_layers: number; block_position_encoding?: boolean };
  return 12 * c.num_layers + 4 + (c.block_position_encoding === false ? 0 : 1);
}

describe("modelFixtureFromFiles", () => {
  it("names the file a fixture lacks, with code FIXTURE_INVALID", () => {
    let err: unknown;
    try {
      modelFixtureFromFiles(() => undefined);
    } catch (e) {
      err = e;
    }
    expect(GlmjsError.is(err, "FIXTURE_INVALID")).toBe(true);
    expect((err as Error).message).toMatch(/^model fixture: config\.json is missing$/);
  });
});
