// `glm tokenize` against the shared vocabularies (skipped visibly when ../shared is absent).
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { buildProgram } from "../program.js";

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
    expect(out.lines().map((l) => JSON.parse(l))).toEqual([[15496, 995], [464, 50260, 3332]]);
  });

  it("prints offsets and decodes (BERT)", async () => {
    const out = captureStdout();
    const tok = join(vocab!, "bert-base-uncased-vocab.txt");
    await buildProgram().parseAsync(["tokenize", "--tokenizer", tok, "--offsets", "Hello, world!"], { from: "user" });
    await buildProgram().parseAsync(["tokenize", "--tokenizer", tok, "--decode", "[7592, 1010, 2088, 999]"], { from: "user" });
    const [enc, dec] = out.lines().map((l) => JSON.parse(l));
    expect(enc).toEqual({ ids: [7592, 1010, 2088, 999], offsets: [[0, 5], [5, 6], [7, 12], [12, 13]] });
    expect(dec).toBe("hello , world !");
  });

  it("rejects a --decode input that is not an id array", async () => {
    captureStdout();
    await expect(
      buildProgram().parseAsync(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json"), "--decode", "not json"], { from: "user" }),
    ).rejects.toThrow(/argument 1: --decode expects a JSON array/);
  });
});
