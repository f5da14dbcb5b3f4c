// `glm tokenize`: encode text (arguments, or stdin line by line) with a GLM tokenizer and print
// one JSON array of ids per input; `--offsets` prints {ids, offsets}; `--decode` reads JSON id
// arrays and prints the decoded text as a JSON string; `--jsonl` reads each line as a JSON string.
import { GlmjsError } from "@glmjs/common";
import type { Command } from "commander";
import { loadTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import { onStdoutClosed, stdoutClosed, writeOut } from "../terminal/stdout.js";
import { textLines } from "../text-lines.js";

interface TokenizeOptions {
  tokenizer: string;
  offsets?: boolean;
  decode?: boolean;
  jsonl?: boolean;
}

export function registerTokenize(program: Command): void {
  program
    .command("tokenize")
    .description("encode text to GLM token ids (one JSON array per input), or decode ids")
    .requiredOption("-t, --tokenizer <file|folder>", "tokenizer.json, vocab.txt, vocab.json (+ merges.txt), a .model, or a model folder")
    .option("--offsets", "print {ids, offsets} with the character span of every token")
    .option("--decode", "inputs are JSON arrays of ids; print the decoded text as a JSON string")
    .option("--jsonl", "each stdin line is a JSON string (so texts may contain newlines)")
    .argument("[text...]", "texts to encode (default: stdin, one per line)")
    .action(async (texts: string[], opts: TokenizeOptions) => {
      const tok = await loadTokenizer(opts.tokenizer);
      if (texts.length > 0) {
        for (const [i, t] of texts.entries()) if (!writeOut(handle(tok, t, opts, `argument ${i + 1}`) + "\n")) return;
        return;
      }
      // "\n" and "\r\n" end lines; a lone "\r" is text (text-lines.ts). A closed stdout
      // (`… | head -1`) ends the command quietly: stop reading.
      const lines = textLines(process.stdin);
      const stopReading = onStdoutClosed(() => process.stdin.destroy());
      let n = 0;
      try {
        for await (const line of lines) {
          n++;
          let input = line;
          if (opts.jsonl) {
            try {
              input = JSON.parse(line) as string;
            } catch (e) {
              throw new GlmjsError("INPUT_INVALID", `stdin line ${n}: not a JSON string (${(e as Error).message})`);
            }
            if (typeof input !== "string") throw new GlmjsError("INPUT_INVALID", `stdin line ${n}: expected a JSON string, got ${typeof input}`);
          }
          if (!writeOut(handle(tok, input, opts, `stdin line ${n}`) + "\n")) break;
        }
      } catch (e) {
        // Destroying stdin after stdout closed may end the iteration with an error: not a failure.
        if (!stdoutClosed()) throw e;
      }
      stopReading();
    });
}

function handle(tok: Tokenizer, input: string, opts: TokenizeOptions, where: string): string {
  if (opts.decode) {
    let ids: unknown;
    try {
      ids = JSON.parse(input);
    } catch (e) {
      throw new GlmjsError("INPUT_INVALID", `${where}: --decode expects a JSON array of ids (${(e as Error).message})`);
    }
    if (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x)))
      throw new GlmjsError("INPUT_INVALID", `${where}: --decode expects a JSON array of integer ids`);
    return JSON.stringify(tok.decode(ids as number[]));
  }
  if (opts.offsets) return JSON.stringify(tok.encodeWithOffsets(input));
  return JSON.stringify(tok.encode(input));
}
