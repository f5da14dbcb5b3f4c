import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { unpickle, type PickleGlobal } from "./pickle.js";
import { PickleWriter } from "./pickle-writer.js";

const INTS: (number | bigint)[] = [
  0,
  1,
  255,
  256,
  65535,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  -1,
  -128,
  -129,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 64n,
  127n,
  128n,
  -256n,
];

const globals = new Map<string, PickleGlobal>([
  ["collections.OrderedDict", { kind: "callable", qualifiedName: "collections.OrderedDict", call: () => new Map() }],
  ["builtins.list", { kind: "callable", qualifiedName: "builtins.list", call: (args) => ["list", ...args] }],
]);
const read = (bytes: Uint8Array) => unpickle(bytes, { fileName: "test.pkl", globals, persistentLoad: (pid) => ({ pid }) });

describe("PickleWriter", () => {
  it("round-trips ints of every encoding through the unpickler", () => {
    for (const v of INTS) {
      const back = read(new PickleWriter().int(v).finish());
      expect(BigInt(back as number | bigint), String(v)).toBe(BigInt(v));
    }
  });

  it("writes strings, bools, None, tuples of every length and dict items", () => {
    const p = new PickleWriter();
    p.global("collections", "OrderedDict").emptyTuple().reduce();
    p.mark();
    p.str("ünï – code").intTuple([]);
    p.str("one").intTuple([7]);
    p.str("three").intTuple([1, 2, 3]);
    p.str("five").intTuple([1, 2, 3, 4, 70000]);
    p.str("flags").mark().bool(true).bool(false).none().tupleFromMark();
    p.setItems();
    p.str("last").emptyDict().setItem();
    const back = read(p.finish()) as Map<string, unknown>;
    expect([...back.entries()]).toEqual([
      ["ünï – code", []],
      ["one", [7]],
      ["three", [1, 2, 3]],
      ["five", [1, 2, 3, 4, 70000]],
      ["flags", [true, false, null]],
      ["last", new Map()],
    ]);
  });

  it("memoizes globals and shared strings: written once, fetched afterwards", () => {
    const p = new PickleWriter();
    p.mark();
    for (let i = 0; i < 300; i++) p.global("builtins", "list").mark().sharedStr("cpu").int(i).tupleFromMark().reduce();
    p.tupleFromMark();
    const bytes = p.finish();
    const text = new TextDecoder("latin1").decode(bytes);
    expect(text.split("builtins\nlist\n").length - 1).toBe(1);
    expect(text.split("cpu").length - 1).toBe(1);
    const back = read(bytes) as unknown[][];
    expect(back).toHaveLength(300);
    expect(back[299]).toEqual(["list", "cpu", 299]);
  });

  it("passes persistent ids to the loader", () => {
    const p = new PickleWriter();
    p.mark().sharedStr("storage").str("0").int(5).tupleFromMark().persistentId();
    expect(read(p.finish())).toEqual({ pid: ["storage", "0", 5] });
  });

  it("refuses ints it cannot represent exactly", () => {
    expect(() => new PickleWriter().int(1.5)).toThrow(/not a safe integer/);
    expect(() => new PickleWriter().int(2 ** 60)).toThrow(/not a safe integer/);
  });
});

const python = spawnSync("python3", ["-c", "import pickle"], { encoding: "utf8" }).status === 0;
if (!python) console.warn("[glmjs tests] SKIPPING: python3 is not available; pickled ints are not compared with Python's pickler.");

describe.skipIf(!python)("PickleWriter against Python's pickler", () => {
  it("encodes every int byte for byte as pickle.dumps(n, protocol=2) does", () => {
    const script = "import pickle,sys\nfor n in sys.argv[1:]: print(pickle.dumps(int(n), protocol=2).hex())";
    const run = spawnSync("python3", ["-c", script, ...INTS.map(String)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const expected = run.stdout.trim().split("\n");
    INTS.forEach((v, i) => expect(Buffer.from(new PickleWriter().int(v).finish()).toString("hex"), String(v)).toBe(expected[i]));
  });
});
