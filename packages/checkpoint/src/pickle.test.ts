import { describe, expect, it, vi } from "vitest";
import { unpickle, type PickleGlobal } from "./pickle.js";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const ordered: PickleGlobal = { kind: "callable", qualifiedName: "collections.OrderedDict", call: () => new Map() };
const globals = new Map([["collections.OrderedDict", ordered]]);

// Python: pickle.dumps(OrderedDict([('a',1),('b',[1.5,True,None,-300,2**70]),('c',(1,2,3)),('d',{'x':X}),('e','ééé')]), protocol=P)
// with X = b'hi' for protocol 4 (SHORT_BINBYTES, FRAME, MEMOIZE, STACK_GLOBAL) and 'hi' for protocol 2.
const PROTOCOL_4 =
  "80049576000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0161944b018c0162945d9428473ff8000000000000884e4ad4feffff8a09000000000000000040658c0163944b014b024b0387948c0164947d948c0178944302686994738c0165948c06c3a9c3a9c3a994752e";
const PROTOCOL_2 =
  "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271012858010000006171024b0158010000006271035d710428473ff8000000000000884e4ad4feffff8a090000000000000000406558010000006371054b014b024b0387710658010000006471077d7108580100000078710958020000006869710a73580100000065710b5806000000c3a9c3a9c3a9710c752e";

describe("unpickle", () => {
  it.each([
    ["protocol 4", PROTOCOL_4, new Uint8Array([0x68, 0x69])],
    ["protocol 2", PROTOCOL_2, "hi"],
  ])("reads Python's %s output", (_name, bytes, x) => {
    const value = unpickle(hex(bytes), { fileName: "p.pkl", globals }) as Map<string, unknown>;
    expect([...value.keys()]).toEqual(["a", "b", "c", "d", "e"]);
    expect(value.get("a")).toBe(1);
    expect(value.get("b")).toEqual([1.5, true, null, -300, 2n ** 70n]);
    expect(value.get("c")).toEqual([1, 2, 3]);
    expect(value.get("d")).toEqual(new Map([["x", x]]));
    expect(value.get("e")).toBe("ééé");
  });

  it("refuses truncated input and unsupported opcodes with the file name", () => {
    const bytes = hex(PROTOCOL_2);
    expect(() => unpickle(bytes.subarray(0, 40), { fileName: "t.pkl", globals })).toThrow(/^t\.pkl: pickle: truncated at byte/);
    // NEWOBJ (0x81) builds arbitrary objects: not needed for state dicts, so refused
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0x29, 0x29, 0x81, 0x2e]), { fileName: "n.pkl", globals })).toThrow(
      /n\.pkl: pickle: opcode 0x81 at byte 4 is not supported/,
    );
  });
});

// Hand-built attack payloads: each names a dangerous callable and calls it with REDUCE.
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const unicode = (s: string) => [0x8c, s.length, ...ascii(s)]; // SHORT_BINUNICODE
const globalOp = (module: string, name: string) => [0x63, ...ascii(`${module}\n${name}\n`)]; // GLOBAL
const stackGlobal = (module: string, name: string) => [...unicode(module), ...unicode(name), 0x93]; // STACK_GLOBAL
const callWith = (fn: number[], arg: string) => Uint8Array.from([0x80, 0x02, ...fn, ...unicode(arg), 0x85, 0x52, 0x2e]); // (arg,) REDUCE STOP

describe("unpickle never runs code", () => {
  it.each([
    ["os.system", callWith(globalOp("os", "system"), "touch /tmp/pwned")],
    ["builtins.eval", callWith(globalOp("builtins", "eval"), "__import__('os').system('id')")],
    ["__builtin__.getattr", callWith(stackGlobal("__builtin__", "getattr"), "x")],
    ["subprocess.Popen", callWith(stackGlobal("subprocess", "Popen"), "id")],
    ["posix.system", callWith(globalOp("posix", "system"), "id")],
  ])("refuses %s before calling anything", (name, payload) => {
    const call = vi.fn(() => new Map());
    const spyGlobals = new Map<string, PickleGlobal>([["collections.OrderedDict", { kind: "callable", qualifiedName: "collections.OrderedDict", call }]]);
    let message = "";
    try {
      unpickle(payload, { fileName: "evil.pkl", globals: spyGlobals });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`evil.pkl: pickle: refusing global "${name}"`);
    expect(message).toContain("never runs code");
    expect(call).not.toHaveBeenCalled();
  });

  it("refuses REDUCE on something that is not an allowed callable", () => {
    // a string "callable": ('x',) REDUCE
    const payload = Uint8Array.from([0x80, 0x02, ...unicode("os.system"), ...unicode("id"), 0x85, 0x52, 0x2e]);
    expect(() => unpickle(payload, { fileName: "r.pkl", globals })).toThrow(
      /r\.pkl: pickle: REDUCE at byte \d+ calls something that is not an allowed callable/,
    );
  });
});

describe("unpickle resource limits", () => {
  it("refuses implausibly large integers instead of spending quadratic time on them", () => {
    const n = 100_000;
    const payload = new Uint8Array(2 + 5 + n + 1);
    payload.set([0x80, 0x02, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0]);
    payload[payload.length - 1] = 0x2e;
    expect(() => unpickle(payload, { fileName: "big.pkl", globals })).toThrow(/big\.pkl: pickle: integer of 100000 bytes .* implausibly large/);
  });
});
