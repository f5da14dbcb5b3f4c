import { tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("Identity on wasm (shares the data instead of copying it)", () => {
  it("clones keep their values after the original is disposed, and free the data with the last one", async () => {
    const dataIds = () => tf.engine().backend.numDataIds();
    const before = dataIds();
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tf.clone(a);
    const c = tf.clone(b);
    expect(dataIds() - before).toBe(1); // one heap buffer for all three
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3, 4]);
    b.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3, 4]);
    expect(dataIds() - before).toBe(1);
    c.dispose();
    expect(dataIds()).toBe(before);
  });

  it("works for int32 and bool, and a gradient that saves its inputs still differentiates", async () => {
    const i = tf.clone(tf.tensor1d([5, -6], "int32"));
    expect(Array.from(await i.data())).toEqual([5, -6]);
    const bool = tf.clone(tf.tensor1d([1, 0], "bool"));
    expect(Array.from(await bool.data())).toEqual([1, 0]);
    const x = tf.tensor1d([1, 2, 3]);
    // tf.square's gradient keeps a clone of x: 2x.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(t)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    tf.dispose([i, bool, x, g]);
  });
});
