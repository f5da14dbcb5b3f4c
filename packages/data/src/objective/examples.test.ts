// The fixture's worked examples (examples.json) rebuilt exactly from the same span choices.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { buildBlankSample, buildSuffixSample } from "./explicit.js";
import { deriveSpans } from "../test-helpers/derive-spans.js";
import { loadStats, specialIdsOf } from "../test-helpers/masking-fixture.js";

const dir = fixtureDir("GLMJS_MASKING_FIXTURE", "fixtures", "masking");

interface Example {
  title: string;
  tokenizer: string;
  mode: string;
  original_ids: number[];
  tokens: number[];
  position_ids: number[];
  block_position_ids: number[];
  targets: number[];
  loss_mask: number[];
  sep: number;
}

describe.skipIf(!dir)("worked examples (examples.json)", () => {
  const examples: Example[] = dir ? JSON.parse(readFileSync(join(dir, "examples.json"), "utf8")).examples : [];
  const settings = dir ? Object.values(loadStats(dir).settings).map((s) => s.settings) : [];

  it("has examples of every layout", () => {
    expect(examples.length).toBeGreaterThanOrEqual(1);
  });

  for (const ex of examples) {
    it(ex.title, () => {
      const setting = settings.find((s) => s.tokenizer.class === ex.tokenizer);
      expect(setting, `no setting in masking_stats.json uses ${ex.tokenizer}`).toBeDefined();
      const special = specialIdsOf(setting!);
      const n = ex.tokens.length;
      const infill = ex.mode === "gpt" && !ex.targets.slice(ex.sep).includes(special.eop);
      const built = infill
        ? buildSuffixSample(ex.original_ids, n - ex.sep, { gMaskId: ex.tokens[ex.sep - 1]!, sop: special.sop, cls: special.cls })
        : (() => {
            const { spans, maskId } = deriveSpans(ex.tokens, ex.position_ids, ex.block_position_ids, ex.sep, n);
            expect(spans.length).toBeGreaterThan(0);
            return buildBlankSample(ex.original_ids, spans, { maskId, sop: special.sop, eop: special.eop, eos: special.eos });
          })();
      expect(built.sep).toBe(ex.sep);
      expect(Array.from(built.inputIds)).toEqual(ex.tokens);
      expect(Array.from(built.positionIds)).toEqual(ex.position_ids);
      expect(Array.from(built.blockPositionIds)).toEqual(ex.block_position_ids);
      expect(Array.from(built.targets)).toEqual(ex.targets);
      expect(Array.from(built.lossMask)).toEqual(ex.loss_mask);
    });
  }
});
