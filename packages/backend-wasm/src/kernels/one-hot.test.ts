import { tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("OneHot on wasm", () => {
  it("returns real float32 ones and zeros (tfjs 4.22 returned int32 bit patterns)", async () => {
    const ids = tf.tensor1d([1, 0, 2], "int32");
    const out = tf.oneHot(ids, 3, 1, 0, "float32");
    expect(out.dtype).toBe("float32");
    expect(Array.from(await out.data())).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    tf.dispose([ids, out]);
  });

  it("honours on/off values, int32, multi-dimensional and out-of-range indices", async () => {
    const ids = tf.tensor2d(
      [
        [0, 5],
        [-1, 2],
      ],
      [2, 2],
      "int32",
    );
    const f = tf.oneHot(ids, 3, 0.9, 0.05, "float32");
    expect(f.shape).toEqual([2, 2, 3]);
    expect(Array.from(await f.data())).toEqual([0.9, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.9].map((v) => Math.fround(v)));
    const i = tf.oneHot(ids, 3);
    expect(i.dtype).toBe("int32");
    expect(Array.from(await i.data())).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    tf.dispose([ids, f, i]);
  });
});
