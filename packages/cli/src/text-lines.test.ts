// Line splitting of the tokenizer commands: "\n" and "\r\n" end lines, a lone "\r" is text.
import { Readable } from "node:stream";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { buildProgram } from "./program.js";
import { textLines } from "./text-lines.js";

afterEach(() => vi.restoreAllMocks());

async function collect(chunks: (string | Uint8Array)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of textLines(Readable.from(chunks))) out.push(line);
  return out;
}

describe("textLines", () => {
  it("ends lines at \\n and \\r\\n; a lone \\r stays in the line", async () => {
    expect(await collect(["a\rb\r\nc\n\nd"])).toEqual(["a\rb", "c", "", "d"]);
    expect(await collect(["x\r"])).toEqual(["x"]);
    expect(await collect(["\r\r\n"])).toEqual(["\r"]);
    expect(await collect([""])).toEqual([]);
  });

  it("does not depend on where the chunks break (\\r\\n and UTF-8 characters split across chunks)", async () => {
    const bytes = new TextEncoder().encode("é😀\r\nsecond\rline\nlast");
    const whole = await collect([bytes]);
    expect(whole).toEqual(["é😀", "second\rline", "last"]);
    for (let cut = 1; cut < bytes.length; cut++) expect(await collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
  });
});

const vocab = sharedPath("vocab");

describe.skipIf(!vocab)("glm tokenize reading stdin", () => {
  it("a bare \\r does not split a line: one JSON array per \\n-terminated line", async () => {
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      return true;
    });
    vi.spyOn(process, "stdin", "get").mockReturnValue(Readable.from([Buffer.from("Hello\rworld\r\nagain\n")]) as unknown as typeof process.stdin);
    await buildProgram().parseAsync(["tokenize", "--tokenizer", join(vocab!, "gpt2-vocab.json")], { from: "user" });
    // GPT-2: "Hello" "\r" "world" / "again"
    expect(
      out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([[15496, 201, 6894], [17776]]);
  });
});
