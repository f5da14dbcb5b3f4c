// Test helpers: the model fixture folder ($GLMJS_MODEL_FIXTURE or ../shared/fixtures/glm-tiny-a),
// its model and special ids, and the backends every generation test runs on.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import "@glmjs/backend-wasm";
import { type GLMModel, loadModel, tf, useBackend } from "@glmjs/core";
import { fixtureDir } from "@glmjs/test-utils";
import { expect } from "vitest";
import type { TaskSpecialIds } from "../special-ids.js";
import type { InfillResult } from "./types.js";

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
export function fixtureSpecialIds(): TaskSpecialIds {
  const m = readFixtureJson<{ special_tokens: Record<string, number> }>("manifest.json");
  if (!m) throw new Error("model fixture: manifest.json is missing");
  const t = m.special_tokens;
  const need = (name: string): number => {
    const v = t[name];
    if (v === undefined) throw new Error(`model fixture: manifest.json special_tokens has no ${name}`);
    return v;
  };
  return {
    sop: need("sop"),
    eop: need("eop"),
    eos: need("eos"),
    pad: need("pad"),
    cls: need("ENC"),
    mask: need("MASK"),
    sMask: need("sMASK"),
    gMask: need("gMASK"),
  };
}

/** Activates `backend` and loads the fixture's model on it. */
export async function fixtureModel(backend: string): Promise<GLMModel> {
  await useBackend(backend);
  return loadModel(FIXTURE!);
}

export interface GenerateFixture {
  settings: { out_seq_length: number; end_tokens: number[]; max_memory_length?: number };
  prompts: {
    context: number[];
    final_tokens: number[];
    spans: { mask_position: number; generated: number[]; stopped_on: number | null; steps: { mem_length: number }[] }[];
  }[];
}

export interface BeamCase {
  context: number[];
  settings: { num_beams: number; length_penalty: number; min_length: number; no_repeat_ngram_size: number; max_new_tokens: number };
  best: number[];
  best_score: number;
  generated: number[];
  steps: { beam_tokens: number[][]; beam_scores: number[] }[];
}

/** Same ids, spans and stop reasons; scores within `tolerance` (batch shapes change float rounding on some backends). */
export function expectSameInfill(actual: InfillResult[] | InfillResult, expected: InfillResult[] | InfillResult, tolerance = 1e-4): void {
  const a = Array.isArray(actual) ? actual : [actual];
  const e = Array.isArray(expected) ? expected : [expected];
  const strip = (rs: InfillResult[]) =>
    rs.map((r) => ({ ids: r.ids, spans: r.spans.map((s) => ({ ids: s.ids, stoppedOn: s.stoppedOn, position: s.position })) }));
  expect(strip(a)).toEqual(strip(e));
  a.forEach((r, i) => r.spans.forEach((s, k) => expect(Math.abs(s.score - e[i]!.spans[k]!.score), `row ${i} span ${k} score`).toBeLessThan(tolerance)));
}

/**
 * A plain greedy loop over core's decoder, written independently of the engine: the reference
 * for the engine's bookkeeping. `process` may edit each step's logits (given the span so far).
 */
export function referenceGreedy(
  model: GLMModel,
  context: number[],
  sop: number,
  blanks: number[],
  stop: number[],
  max: number,
  options: { feedTruncated?: boolean; process?: (logits: Float32Array, span: number[]) => void } = {},
): number[] {
  const decoder = model.createDecoder({ maxMemoryLength: 0 });
  const out = [...context];
  const choose = (t: tf.Tensor, span: number[]) => {
    const logits = Float32Array.from(t.dataSync());
    t.dispose();
    options.process?.(logits, span);
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  };
  decoder.step(
    { inputIds: [context], positionIds: [context.map((_, i) => i)], blockPositionIds: [context.map(() => 0)], sep: context.length },
    { logits: "none" },
  );
  for (const [b, pos] of blanks.entries()) {
    out.push(sop);
    let feed = sop;
    const span: number[] = [];
    for (let k = 1; ; k++) {
      const id = choose(decoder.step({ inputIds: [[feed]], positionIds: [[pos]], blockPositionIds: [[k]] }).logits!, span);
      if (stop.includes(id)) break;
      out.push(id);
      span.push(id);
      if (k === max) {
        if (options.feedTruncated && b + 1 < blanks.length)
          decoder.step({ inputIds: [[id]], positionIds: [[pos]], blockPositionIds: [[k + 1]] }, { logits: "none" });
        break;
      }
      feed = id;
    }
  }
  decoder.dispose();
  return out;
}

/** Logits `[vocab]` of the first step of the blank at `position` (context encoded, then [sop]). */
export function firstStepLogits(model: GLMModel, context: number[], position: number, sop: number): Float32Array {
  const decoder = model.createDecoder({ maxMemoryLength: 0 });
  decoder.step(
    { inputIds: [context], positionIds: [context.map((_, i) => i)], blockPositionIds: [context.map(() => 0)], sep: context.length },
    { logits: "none" },
  );
  const t = decoder.step({ inputIds: [[sop]], positionIds: [[position]], blockPositionIds: [[1]] }).logits!;
  const out = Float32Array.from(t.dataSync());
  t.dispose();
  decoder.dispose();
  return out;
}
