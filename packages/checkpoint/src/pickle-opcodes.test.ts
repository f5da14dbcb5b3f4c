import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OP } from "./pickle-opcodes.js";

const python = spawnSync("/usr/bin/python3", ["-c", "import pickle"]).status === 0;

describe("pickle opcode table", () => {
  it("names each byte once", () => {
    const values = Object.values(OP);
    expect(new Set(values).size).toBe(values.length);
  });

  it.skipIf(!python)("agrees with Python's pickle module, name for name", () => {
    const script = "import json,pickle,sys\nprint(json.dumps({n: getattr(pickle, n)[0] for n in json.loads(sys.argv[1])}))";
    const r = spawnSync("/usr/bin/python3", ["-c", script, JSON.stringify(Object.keys(OP))], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ ...OP });
  });
});
