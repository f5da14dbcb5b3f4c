// Bad input never crashes: any corruption of a valid file either still reads or raises a
// CheckpointError (never a TypeError/RangeError from deep inside a parser).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCheckpointBytes } from "./read-bytes.js";
import { writeSafetensors } from "./safetensors.js";
import { CheckpointError } from "./types.js";
import { unpickle } from "./pickle.js";

const valid = writeSafetensors(
  {
    "a.weight": { dtype: "F32", shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
    "b.bias": { dtype: "F16", shape: [3], data: new Float32Array([0.5, -1, 2]) },
    ids: { dtype: "I64", shape: [1], data: new BigInt64Array([7n]) },
  },
  { format: "pt" },
);

// Python: pickle.dumps(OrderedDict([('a', 1), ('b', [1.5, True, None])]), protocol=2)
const pickle = Uint8Array.from(
  "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271012858010000006171024b0158010000006271035d710428473ff8000000000000884e65752e"
    .match(/../g)!
    .map((b) => parseInt(b, 16)),
);

function onlyCheckpointErrors(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
  }
}

const corruption = (length: number) =>
  fc.record({
    edits: fc.array(fc.tuple(fc.nat({ max: length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
    cut: fc.option(fc.nat({ max: length }), { nil: undefined }),
  });

function corrupt(bytes: Uint8Array, c: { edits: [number, number][]; cut: number | undefined }): Uint8Array {
  const out = bytes.slice(0, c.cut ?? bytes.length);
  for (const [at, value] of c.edits) if (at < out.length) out[at] = value;
  return out;
}

describe("corrupted input raises CheckpointError or reads", () => {
  it("safetensors", () => {
    fc.assert(
      fc.property(corruption(valid.length), (c) => onlyCheckpointErrors(() => readCheckpointBytes(corrupt(valid, c), "fuzz.safetensors"))),
      { numRuns: 400, seed: 42 },
    );
  });
  it("pickle", () => {
    expect(() => unpickle(pickle, { fileName: "p", globals: new Map() })).toThrow(CheckpointError); // OrderedDict not allowed here
    fc.assert(
      fc.property(corruption(pickle.length), (c) =>
        onlyCheckpointErrors(() =>
          unpickle(corrupt(pickle, c), {
            fileName: "fuzz.pkl",
            globals: new Map([["collections.OrderedDict", { kind: "callable", qualifiedName: "collections.OrderedDict", call: () => new Map() }]]),
          }),
        ),
      ),
      { numRuns: 400, seed: 42 },
    );
  });
});

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

describe.skipIf(!dir)("corrupted pytorch_model.bin raises CheckpointError or reads", () => {
  it("edits in the pickle, the zip directory, or a truncation", () => {
    const bin = new Uint8Array(readFileSync(join(dir!, "pytorch_model.bin")));
    // the pickle sits at the start, the central directory at the end: aim the edits there
    const head = 8192;
    const tail = 4096;
    const position = fc.oneof(fc.nat({ max: head - 1 }), fc.integer({ min: bin.length - tail, max: bin.length - 1 }));
    fc.assert(
      fc.property(
        fc.record({
          edits: fc.array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          cut: fc.option(fc.nat({ max: bin.length }), { nil: undefined, freq: 8 }),
        }),
        (c) => onlyCheckpointErrors(() => readCheckpointBytes(corrupt(bin, c), "fuzz.bin")),
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
