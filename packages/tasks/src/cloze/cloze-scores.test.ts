import "@glmjs/backend-wasm";
import { type GLMModel, loadModel, tf, useBackend } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureSpecialIds, modelFixture, readTasksFixture, type FixtureClozeInput } from "../test/fixture.test-helper.js";
import { buildClozeRow, type ClozeRow } from "./cloze-row.js";
import { clozeScoresIds, singleTokenLogitsIds } from "./cloze-scores.js";
import { packRows } from "./packed-rows.js";
import { rowScores } from "./score-rows.js";

const fixture = readTasksFixture();
const TOL = 1e-4;

/** The fixture row cut to the built row's length; the rest must be padding (eos id, 0 positions, no target). */
function expectSameRow(row: ClozeRow, ref: FixtureClozeInput, eos: number) {
  const n = row.ids.length;
  expect(row.ids).toEqual(ref.ids.slice(0, n));
  expect(row.positionIds).toEqual(ref.position_ids[0].slice(0, n));
  expect(row.blockPositionIds).toEqual(ref.position_ids[1].slice(0, n));
  expect(row.sep).toBe(ref.sep);
  if (ref.target_ids) expect(row.targetIds).toEqual(ref.target_ids.slice(0, n));
  if (ref.logit_mask) expect(row.logitMask).toEqual(ref.logit_mask.slice(0, n));
  expect(ref.ids.slice(n).every((id) => id === eos)).toBe(true);
  expect(ref.position_ids[0].slice(n).every((p) => p === 0) && ref.position_ids[1].slice(n).every((p) => p === 0)).toBe(true);
  if (ref.logit_mask) expect(ref.logit_mask.slice(n).every((m) => m === 0)).toBe(true);
}

describe.skipIf(!fixture)("cloze rows (tasks.json inputs)", () => {
  it("builds every candidate row exactly as the original's build_input_from_ids", () => {
    const special = fixtureSpecialIds(fixture!);
    for (const ex of fixture!.cloze) {
      ex.candidates.forEach((cand, c) => expectSameRow(buildClozeRow(ex.context, [...cand, special.eop], special), ex.inputs[c]!, special.eos));
      expectSameRow(buildClozeRow(ex.context, undefined, special), ex.single_token, special.eos);
    }
  });

  it("refuses a context without a mask and an empty answer", () => {
    const special = fixtureSpecialIds(fixture!);
    const noMask = fixture!.cloze[0]!.context.filter((id) => id !== special.mask);
    expect(() => buildClozeRow(noMask, [special.eop], special)).toThrow(/no mask token/);
    expect(() => buildClozeRow(fixture!.cloze[0]!.context, [], special)).toThrow(/empty/);
  });
});

describe.skipIf(!fixture).each(["cpu", "wasm"])("cloze scores against the original on %s", (backend) => {
  let model: GLMModel;
  beforeAll(async () => {
    await useBackend(backend);
    model = await loadModel(modelFixture!);
  });
  afterAll(() => model?.dispose());

  it("matches GLMForMultiTokenCloze within 1e-4 (length penalty 0 and 1)", async () => {
    expect(tf.getBackend()).toBe(backend);
    const specialIds = fixtureSpecialIds(fixture!);
    for (const ex of fixture!.cloze) {
      for (const [lp, expected] of Object.entries(ex.scores_length_penalty)) {
        const got = await clozeScoresIds(model, ex.context, ex.candidates, { specialIds, lengthPenalty: Number(lp) });
        expect(got).toHaveLength(expected.length);
        got.forEach((g, i) => expect(Math.abs(g - expected[i]!), `lp ${lp} candidate ${i}: ${g} vs ${expected[i]}`).toBeLessThan(TOL));
      }
    }
  });

  it("matches GLMForSingleTokenCloze within 1e-4 (raw logits and log-softmax)", async () => {
    const specialIds = fixtureSpecialIds(fixture!);
    for (const ex of fixture!.cloze) {
      const ref = ex.single_token;
      const got = await singleTokenLogitsIds(model, ex.context, ref.candidate_ids, { specialIds });
      got.logits.forEach((g, i) => expect(Math.abs(g - ref.logits[i]!)).toBeLessThan(TOL));
      got.logSoftmax.forEach((g, i) => expect(Math.abs(g - ref.log_softmax[i]!)).toBeLessThan(TOL));
    }
  });

  it("scores a row the same alone and inside a padded batch of longer rows", async () => {
    const special = fixtureSpecialIds(fixture!);
    const rows = fixture!.cloze.flatMap((ex) => ex.candidates.map((c) => buildClozeRow(ex.context, [...c, special.eop], special)));
    const together = tf.tidy(() => rowScores(model, packRows(rows, special.eos, 40))).dataSync();
    for (let i = 0; i < rows.length; i++) {
      const alone = tf.tidy(() => rowScores(model, packRows([rows[i]!], special.eos))).dataSync()[0]!;
      expect(Math.abs(together[i]! - alone)).toBeLessThan(1e-5);
    }
  });

  it("keeps the tensor count flat over repeated calls", async () => {
    const specialIds = fixtureSpecialIds(fixture!);
    const ex = fixture!.cloze[0]!;
    await clozeScoresIds(model, ex.context, ex.candidates, { specialIds });
    await singleTokenLogitsIds(model, ex.context, ex.single_token.candidate_ids, { specialIds });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await clozeScoresIds(model, ex.context, ex.candidates, { specialIds, lengthPenalty: 1 });
      await singleTokenLogitsIds(model, ex.context, ex.single_token.candidate_ids, { specialIds });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects bad input with a clear error and leaks nothing", async () => {
    const specialIds = fixtureSpecialIds(fixture!);
    const ex = fixture!.cloze[0]!;
    const before = tf.memory().numTensors;
    await expect(clozeScoresIds(model, ex.context, [], { specialIds })).rejects.toThrow(/at least one candidate/);
    await expect(clozeScoresIds(model, ex.context, [[1.5]], { specialIds })).rejects.toThrow(/not a token id/);
    await expect(clozeScoresIds(model, ex.context, ex.candidates, { specialIds: { ...specialIds, eop: -1 } })).rejects.toThrow(/specialIds.eop/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
