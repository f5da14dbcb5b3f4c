// Model-parallel division (GLM.md §2.1b) on the fixture model: every rank's part is the slice the
// rules name, and merging the parts gives the state dict back bit for bit.
import { GlmjsError } from "@glmjs/common";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { mergeModelParallel, mergeTensorParts, partitionOf, splitModelParallel } from "./model-parallel.js";
import { readSafetensors } from "./safetensors.js";
import { CheckpointError, type CheckpointTensor, type TensorMap } from "./types.js";

/** The code of the GlmjsError `f` throws ("no error" / the message otherwise, so a failure shows what happened). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

/** Rows [from, to) and columns [c0, c1) of a 2-D tensor (or elements of a 1-D one), as numbers. */
function slice(t: CheckpointTensor, from: number, to: number, c0 = 0, c1 = t.shape[1] ?? 1): number[] {
  const cols = t.shape[1] ?? 1;
  const out: number[] = [];
  for (let i = from; i < to; i++) for (let j = c0; j < c1; j++) out.push((t.data as Float32Array)[i * cols + j]!);
  return out;
}
const values = (t: CheckpointTensor) => Array.from(t.data as Float32Array);

describe("partitionOf (the rules of change_mp.py)", () => {
  it("divides GLM's parameters as GLM.md §2.1b lists", () => {
    const cases: [string, number, string][] = [
      ["word_embeddings.weight", 2, "rows"],
      ["glm.word_embeddings.weight", 2, "rows"],
      ["transformer.position_embeddings.weight", 2, "replicated"],
      ["transformer.block_position_embeddings.weight", 2, "replicated"],
      ["transformer.layers.3.attention.query_key_value.weight", 2, "qkv"],
      ["transformer.layers.3.attention.query_key_value.bias", 1, "qkv"],
      ["transformer.layers.3.attention.dense.weight", 2, "columns"],
      ["transformer.layers.3.attention.dense.bias", 1, "replicated"],
      ["transformer.layers.3.mlp.dense_h_to_4h.weight", 2, "rows"],
      ["transformer.layers.3.mlp.dense_h_to_4h.bias", 1, "rows"],
      ["transformer.layers.3.mlp.dense_4h_to_h.weight", 2, "columns"],
      ["transformer.layers.3.mlp.dense_4h_to_h.bias", 1, "replicated"],
      ["transformer.layers.3.input_layernorm.weight", 1, "replicated"],
      ["transformer.final_layernorm.bias", 1, "replicated"],
    ];
    for (const [name, rank, kind] of cases) expect(partitionOf(name, rank), name).toBe(kind);
  });
});

describe.skipIf(!dir)("splitModelParallel / mergeModelParallel on the fixture model", () => {
  const model = (): { tensors: TensorMap; h: number; v: number } => {
    const { tensors } = readSafetensors(new Uint8Array(readFileSync(join(dir!, "model.safetensors"))), "model.safetensors");
    const config = JSON.parse(readFileSync(join(dir!, "config.json"), "utf8")) as { hidden_size: number; vocab_size: number };
    return { tensors, h: config.hidden_size, v: config.vocab_size };
  };

  for (const n of [1, 2, 4]) {
    it(`mp ${n}: each rank holds exactly its slice, and merging is the identity`, () => {
      const { tensors, h, v } = model();
      const ranks = splitModelParallel(tensors, n);
      expect(ranks).toHaveLength(n);
      for (const [r, part] of ranks.entries()) {
        expect([...part.keys()]).toEqual([...tensors.keys()]);
        for (const [name, t] of tensors) {
          const p = part.get(name)!;
          const kind = n === 1 ? "replicated" : partitionOf(name, t.shape.length);
          if (kind === "replicated") {
            expect(p.shape, name).toEqual(t.shape);
            expect(values(p), name).toEqual(values(t));
          } else if (kind === "qkv") {
            // Q, K and V each contribute rows [r·h/n, (r+1)·h/n) of their h-row block.
            const per = h / n;
            expect(p.shape, name).toEqual([3 * per, ...t.shape.slice(1)]);
            const expected = [0, 1, 2].flatMap((k) => slice(t, k * h + r * per, k * h + (r + 1) * per));
            expect(values(p), name).toEqual(expected);
          } else if (kind === "rows") {
            const rows = name.includes("word") ? v : t.shape[0]!;
            const per = rows / n;
            expect(p.shape, name).toEqual([per, ...t.shape.slice(1)]);
            expect(values(p), name).toEqual(slice(t, r * per, (r + 1) * per));
          } else {
            const per = t.shape[1]! / n;
            expect(p.shape, name).toEqual([t.shape[0], per]);
            expect(values(p), name).toEqual(slice(t, 0, t.shape[0]!, r * per, (r + 1) * per));
          }
        }
      }
      const merged = mergeModelParallel(ranks);
      expect([...merged.keys()]).toEqual([...tensors.keys()]);
      for (const [name, t] of tensors) {
        expect(merged.get(name)!.shape, name).toEqual(t.shape);
        expect(values(merged.get(name)!), name).toEqual(values(t));
      }
    });
  }

  it("a split into 2 then each half into 2 merges like a split into 4 (the layout is hierarchical, as change_mp.py's)", () => {
    const { tensors } = model();
    const four = splitModelParallel(tensors, 4);
    const two = splitModelParallel(tensors, 2);
    // change_mp.py going from 2 to 4 splits each rank into consecutive pairs: ranks 2r, 2r+1 come from rank r.
    const twoThenFour = two.flatMap((rank) => splitModelParallel(rank, 2));
    for (const [r, rank] of twoThenFour.entries()) {
      for (const [name, t] of rank) expect(values(t), `${r} ${name}`).toEqual(values(four[r]!.get(name)!));
    }
  });
});

describe("model-parallel errors", () => {
  const t = (shape: number[]): CheckpointTensor => ({ dtype: "F32", shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  it("refuses sizes that do not divide, naming the tensor", () => {
    expect(() => splitModelParallel(new Map([["word_embeddings.weight", t([10, 4])]]), 4)).toThrow(
      /tensor "word_embeddings\.weight": first dimension 10 is not divisible by the model-parallel size 4/,
    );
    expect(() => splitModelParallel(new Map([["l.attention.query_key_value.weight", t([12, 4])]]), 8)).toThrow(
      /query_key_value\.weight": a third of the first dimension 4 is not divisible/,
    );
    expect(() => splitModelParallel(new Map([["l.attention.dense.weight", t([4, 6])]]), 4)).toThrow(/second dimension 6 is not divisible/);
    expect(() => splitModelParallel(new Map(), 0)).toThrow(/model-parallel size must be a positive integer, got 0/);
    expect(thrownCode(() => splitModelParallel(new Map(), 0))).toBe("OPTION_INVALID");
    expect(thrownCode(() => mergeModelParallel([], []))).toBe("INPUT_INVALID");
  });
  it("refuses ranks that are not one model's", () => {
    const a = new Map([["x.dense_h_to_4h.weight", t([4, 2])]]);
    const b = new Map([["x.dense_h_to_4h.weight", t([3, 2])]]);
    expect(() => mergeModelParallel([a, b], ["mp_rank_00.pt", "mp_rank_01.pt"])).toThrow(CheckpointError);
    expect(() => mergeModelParallel([a, b], ["mp_rank_00.pt", "mp_rank_01.pt"])).toThrow(
      /mp_rank_01\.pt: tensor "x\.dense_h_to_4h\.weight": part has shape \[3, 2\]/,
    );
    expect(() => mergeModelParallel([a, new Map()], ["r0", "r1"])).toThrow(
      /r1: model-parallel ranks hold different tensors than r0: lacks "x\.dense_h_to_4h\.weight"/,
    );
    expect(() => mergeTensorParts("l.attention.query_key_value.bias", [t([4]), t([4])])).toThrow(/not three equal blocks/);
  });
});
