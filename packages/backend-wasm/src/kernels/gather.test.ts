import { tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("GatherV2 on wasm", () => {
  it("copies whole rows for axis 0 (float32 and int32, any index shape) like the cpu backend", async () => {
    const table = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i * 0.5),
      [4, 3, 2],
    );
    const ids = tf.tensor2d(
      [
        [3, 0],
        [3, 1],
      ],
      [2, 2],
      "int32",
    );
    const out = tf.gather(table, ids);
    expect(out.shape).toEqual([2, 2, 3, 2]);
    const wasmValues = Array.from(await out.data());
    const ints = tf.gather(
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [3, 2],
        "int32",
      ),
      tf.tensor1d([2, 2, 0], "int32"),
    );
    expect(ints.dtype).toBe("int32");
    expect(Array.from(await ints.data())).toEqual([5, 6, 5, 6, 1, 2]);
    await tf.setBackend("cpu");
    const ref = tf.gather(
      tf.tensor3d(
        Array.from({ length: 24 }, (_, i) => i * 0.5),
        [4, 3, 2],
      ),
      tf.tensor2d(
        [
          [3, 0],
          [3, 1],
        ],
        [2, 2],
        "int32",
      ),
    );
    expect(wasmValues).toEqual(Array.from(await ref.data()));
    ref.dispose();
    await useBackend("wasm");
    tf.dispose([table, ids, out, ints]);
  });

  it("hands other axes to tfjs's kernel, and refuses an index outside the table without leaking", async () => {
    const m = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const cols = tf.gather(m, tf.tensor1d([2, 0], "int32"), 1);
    expect(Array.from(await cols.data())).toEqual([3, 1, 6, 4]);
    const before = tf.memory().numTensors;
    const bad = tf.tensor1d([0, 2], "int32");
    expect(() => tf.gather(m, bad)).toThrow(/index value 2 is not in \[0, 1\]/);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([m, cols, bad]);
  });
});
