// Test helpers: the model fixture folder ($GLMJS_MODEL_FIXTURE or ../shared/fixtures/glm-tiny-a),
// its model and special ids, and the backends every generation test runs on.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import "@glmjs/backend-wasm";
import { type GLMModel, loadModel, useBackend } from "@glmjs/core";
import { fixtureDir } from "@glmjs/test-utils";
import type { SpecialIds } from "../decoding/special-ids.js";

export const FIXTURE = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

export const BACKENDS = ["cpu", "wasm"] as const;

export function readFixtureJson<T>(name: string): T | undefined {
  if (!FIXTURE) return undefined;
  const p = join(FIXTURE, name);
  if (!existsSync(p)) {
    console.warn(`[glmjs tests] SKIPPING: ${p} is absent; tests that need it are skipped.`);
    return undefined;
  }
  return JSON.parse(readFileSync(p, "utf8")) as T;
}

/** The fixture's special ids (manifest.json `special_tokens`, names of the original code). */
export function fixtureSpecialIds(): SpecialIds {
  const m = readFixtureJson<{ special_tokens: Record<string, number> }>("manifest.json");
  if (!m) throw new Error("model fixture: manifest.json is missing");
  const t = m.special_tokens;
  const need = (name: string): number => {
    const v = t[name];
    if (v === undefined) throw new Error(`model fixture: manifest.json special_tokens has no ${name}`);
    return v;
  };
  return { sop: need("sop"), eop: need("eop"), eos: need("eos"), pad: need("pad"), cls: need("ENC"), mask: need("MASK"), sMask: need("sMASK"), gMask: need("gMASK") };
}

/** Activates `backend` and loads the fixture's model on it. */
export async function fixtureModel(backend: string): Promise<GLMModel> {
  await useBackend(backend);
  return loadModel(FIXTURE!);
}

export interface GenerateFixture {
  settings: { out_seq_length: number; end_tokens: number[]; max_memory_length?: number };
  prompts: { context: number[]; final_tokens: number[]; spans: { mask_position: number; generated: number[]; stopped_on: number | null; steps: { mem_length: number }[] }[] }[];
}

export interface BeamCase {
  context: number[];
  settings: { num_beams: number; length_penalty: number; min_length: number; no_repeat_ngram_size: number; max_new_tokens: number };
  best: number[];
  best_score: number;
  generated: number[];
  steps: { beam_tokens: number[][]; beam_scores: number[] }[];
}
