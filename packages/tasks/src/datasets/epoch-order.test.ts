import { describe, expect, it } from "vitest";
import { EpochOrder } from "./epoch-order.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

const take = (o: EpochOrder, size: number, n: number) => Array.from({ length: n }, () => o.next(size));

describe("EpochOrder", () => {
  it("visits every example once per epoch in a seeded order, a fresh order each epoch", () => {
    const o = new EpochOrder(10, { seed: 3 });
    const epoch0 = take(o, 4, 3);
    expect(epoch0.map((b) => b!.length)).toEqual([4, 4, 2]);
    expect(epoch0.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const epoch1 = take(o, 4, 3).flat();
    expect(epoch1.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(take(new EpochOrder(10, { seed: 3 }), 4, 3)).toEqual(epoch0);
    expect(take(new EpochOrder(10, { seed: 4 }), 4, 3)).not.toEqual(epoch0);
    expect(take(new EpochOrder(5, { seed: 3, shuffle: false }), 5, 2)).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4],
    ]);
  });

  it("stops after the configured epochs and can drop the short last batch", () => {
    const o = new EpochOrder(5, { seed: 1, epochs: 2, dropLast: true });
    expect(take(o, 2, 5).map((b) => b?.length)).toEqual([2, 2, 2, 2, undefined]);
    expect(o.epochsDone).toBe(2);
  });

  it("restores a saved position exactly and refuses another dataset's state", () => {
    const a = new EpochOrder(7, { seed: 9 });
    take(a, 3, 4);
    const saved = JSON.parse(JSON.stringify(a.state()));
    const expected = take(a, 3, 5);
    const b = new EpochOrder(7, { seed: 9 });
    b.restore(saved);
    expect(take(b, 3, 5)).toEqual(expected);
    expect(() => new EpochOrder(8, { seed: 9 }).restore(saved)).toThrow(/saved for 7 examples with seed 9; this run has 8 with seed 9/);
    expect(() => b.restore({})).toThrow(/not a saved order state/);
    expect(thrownCode(() => new EpochOrder(8, { seed: 9 }).restore(saved))).toBe("STATE_INVALID");
    expect(thrownCode(() => b.restore({}))).toBe("STATE_INVALID");
    expect(thrownCode(() => new EpochOrder(8, { seed: 1.5 }))).toBe("OPTION_INVALID");
  });
});
