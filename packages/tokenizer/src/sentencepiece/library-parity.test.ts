// SentencePiece against the `sentencepiece` library without Python: fuzz/cog-pretrain.expected.json
// holds what the library returned (ids, UTF-16 offsets, decoded text) for the first seeded strings
// of fuzz/strings.mjs; fuzz/sentencepiece-vs-library.mjs wrote it and compares many more when
// python3-sentencepiece is installed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { randomStrings } from "../../fuzz/strings.mjs";
import { parseModelProto } from "./model-proto.js";
import { SentencePieceModel } from "./sentencepiece-model.js";

interface Expected {
  sha256: string;
  model: string;
  seed: number;
  count: number;
  cases: { text: string; ids: number[]; offsets: [number, number][]; decoded: string }[];
}

const expected = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "fuzz", "cog-pretrain.expected.json"), "utf8")) as Expected;
const modelPath = sharedPath("vocab", expected.model);
const bytes = modelPath ? new Uint8Array(readFileSync(modelPath)) : undefined;
const sameModel = bytes !== undefined && createHash("sha256").update(bytes).digest("hex") === expected.sha256;
if (bytes && !sameModel) console.warn(`[glmjs tests] SKIPPING library parity: ${modelPath} is not the model fuzz/cog-pretrain.expected.json was made with`);

describe.skipIf(!sameModel)("SentencePiece equals the sentencepiece library (committed expectations)", () => {
  const model = new SentencePieceModel(parseModelProto(bytes!), bytes!);

  it("the seeded generator still produces the strings the expectations were made from", () => {
    expect(randomStrings(expected.seed, expected.count)).toEqual(expected.cases.map((c) => c.text));
  });

  it("ids and offsets of every case", () => {
    for (const c of expected.cases) {
      const ids: number[] = [];
      const offsets: [number, number][] = [];
      model.encodeRange(c.text, 0, c.text.length, ids, offsets);
      expect({ text: c.text, ids, offsets }).toEqual({ text: c.text, ids: c.ids, offsets: c.offsets });
    }
  });

  it("decoded text of every case", () => {
    for (const c of expected.cases) expect({ text: c.text, decoded: model.decodeText(c.ids) }).toEqual({ text: c.text, decoded: c.decoded });
  });
});
