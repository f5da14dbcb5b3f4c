// `glm fill`: fill every [MASK] / [sMASK] / [gMASK] of texts with a GLM, streamed to a terminal
// as the tokens come; `--top-k-candidates N` adds each blank's best single tokens.
import { GlmjsError } from "@glmjs/common";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { intFlag } from "../flags.js";
import { runFill } from "../generation/run-fill.js";
import { addDecodingOptions, decodingOptions, type DecodingFlags } from "./decoding-flags.js";
import { addModelOptions, stderrLog, type ModelFlags } from "./model-flags.js";

interface FillFlags extends ModelFlags, DecodingFlags {
  topKCandidates?: number;
  json?: boolean;
  stream?: boolean;
  batchSize: number;
}

export function registerFill(program: Command): void {
  const command = program
    .command("fill")
    .description("fill the [MASK], [sMASK] and [gMASK] blanks of texts with a GLM (streamed to a terminal as tokens come)")
    .argument("[text...]", 'texts with blanks, e.g. "Tsinghua University is located in [MASK]." (default: stdin, one per line)');
  addModelOptions(command);
  addDecodingOptions(command, { strategy: "greedy", maxNewTokens: "32" })
    .option("--top-k-candidates <n>", "also print each blank's n most probable single tokens with their probabilities", intFlag(1))
    .option("--json", "one JSON object per text: {input, text, blanks: [{text, ids, score, stoppedOn, candidates?}], ids}")
    .option("--stream", "print tokens as they come (default when stdout is a terminal)")
    .option("--no-stream", "print each text when it is done")
    .option("--batch-size <n>", "texts filled together", intFlag(1), 8)
    .action(async (args: string[], f: FillFlags, cmd: Command) => {
      const decoding = decodingOptions(f); // refuses contradictory flags before any work
      const { texts, names } = args.length > 0 ? { texts: args, names: args.map((_, i) => `argument ${i + 1}`) } : await stdinTexts();
      if (texts.length === 0) return;
      const stream = cmd.getOptionValueSource("stream") === "cli" ? f.stream !== false : process.stdout.isTTY === true;
      process.exitCode = await runFill({
        ...f,
        texts,
        names,
        decoding,
        batchSize: f.batchSize,
        ...(f.topKCandidates !== undefined ? { candidates: f.topKCandidates } : {}),
        json: f.json === true,
        stream,
        log: stderrLog(f.verbose === true),
      });
    });
}

/** Non-empty stdin lines (a terminal without piped input is refused: it would wait forever). */
async function stdinTexts(): Promise<{ texts: string[]; names: string[] }> {
  if (process.stdin.isTTY)
    throw new GlmjsError("INPUT_INVALID", 'give a text with blanks, e.g. glm fill --model runs/small "The [MASK] sat on the mat.", or pipe texts one per line');
  const texts: string[] = [];
  const names: string[] = [];
  let n = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === "") continue;
    texts.push(line);
    names.push(`stdin line ${n}`);
  }
  return { texts, names };
}
