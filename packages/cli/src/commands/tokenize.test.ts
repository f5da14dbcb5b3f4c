// `glm tokenize` against the shared vocabularies (skipped visibly when ../shared is absent).
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { buildProgram } from "../program.js";
import { glm } from "../test/glm.test-helper.js";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

const vocab = sharedPath("vocab");

function captureStdout(): { lines: () => string[] } {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  return { lines: () => out.split("\n").filter(Boolean) };
}

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!vocab)("glm tokenize", () => {
  it("prints one JSON array of ids per text (GPT-2)", async () => {
    const out = captureStdout();
    await buildProgram().parseAsync(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json"), "Hello world", "The [MASK] sat"], { from: "user" });
    expect(out.lines().map((l) => JSON.parse(l))).toEqual([
      [15496, 995],
      [464, 50260, 3332],
    ]);
  });

  it("prints offsets and decodes (BERT)", async () => {
    const out = captureStdout();
    const tok = join(vocab!, "bert-base-uncased-vocab.txt");
    await buildProgram().parseAsync(["tokenize", "--tokenizer", tok, "--offsets", "Hello, world!"], { from: "user" });
    await buildProgram().parseAsync(["tokenize", "--tokenizer", tok, "--decode", "[7592, 1010, 2088, 999]"], { from: "user" });
    const [enc, dec] = out.lines().map((l) => JSON.parse(l));
    expect(enc).toEqual({
      ids: [7592, 1010, 2088, 999],
      offsets: [
        [0, 5],
        [5, 6],
        [7, 12],
        [12, 13],
      ],
    });
    expect(dec).toBe("hello , world !");
  });

  it("rejects a --decode input that is not an id array", async () => {
    captureStdout();
    await expect(
      buildProgram().parseAsync(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json"), "--decode", "not json"], { from: "user" }),
    ).rejects.toThrow(/argument 1: --decode expects a JSON array/);
    for (const bad of ["not json", "[1.5]"]) {
      const run = buildProgram().parseAsync(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json"), "--decode", bad], { from: "user" });
      expect(await rejectedCode(run)).toBe("INPUT_INVALID");
    }
  });
});

describe.skipIf(!vocab)("glm tokenize with a closed stdout (the built CLI)", () => {
  it("`… | head -1` ends quietly: no EPIPE error, exit 0, stdin no longer read", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i}: the cat saw the ship`).join("\n") + "\n";
    let first: string | undefined;
    const r = await glm(["tokenize", "--tokenizer", join(vocab!, "bert-base-uncased-vocab.txt")], {
      stdin: lines,
      onLine: (line, child, stream) => {
        if (stream === "stdout" && first === undefined) {
          first = line;
          child.stdout!.destroy(); // what `head -1` does after its line
        }
      },
    });
    expect(JSON.parse(first!)).toEqual([2240, 1014, 1024, 1996, 4937, 2387, 1996, 2911]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 120_000);

  it("also with texts as arguments", async () => {
    let got = 0;
    const r = await glm(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json"), ...Array.from({ length: 20_000 }, (_, i) => `text ${i}`)], {
      onLine: (_line, child, stream) => {
        if (stream === "stdout" && got++ === 0) child.stdout!.destroy();
      },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 120_000);
});
