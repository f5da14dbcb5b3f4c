// `glm generate`: open-ended generation with a GLM — after each prompt, or unconditionally
// without one — as the original does it: the prompt followed by [gMASK], filled.
import type { Command } from "commander";
import { intFlag } from "../flags.js";
import { runFill } from "../generation/run-fill.js";
import { addDecodingOptions, decodingOptions, type DecodingFlags } from "./decoding-flags.js";
import { addModelOptions, stderrLog, type ModelFlags } from "./model-flags.js";

interface GenerateFlags extends ModelFlags, DecodingFlags {
  json?: boolean;
  stream?: boolean;
  batchSize: number;
}

export const GENERATE_MAX_NEW_TOKENS = 128;

export function registerGenerate(program: Command): void {
  const command = program
    .command("generate")
    .description("generate text after prompts (or unconditionally, without one): each prompt is followed by [gMASK] and filled")
    .argument("[prompt...]", "prompts (none: one unconditional generation)");
  addModelOptions(command);
  addDecodingOptions(command, { strategy: "greedy", maxNewTokens: String(GENERATE_MAX_NEW_TOKENS) })
    .option("--json", "one JSON object per prompt: {input, text, blanks: [{text, ids, score, stoppedOn}], ids}")
    .option("--stream", "print tokens as they come (default when stdout is a terminal)")
    .option("--no-stream", "print each text when it is done")
    .option("--batch-size <n>", "prompts generated together", intFlag(1), 8)
    .action(async (prompts: string[], f: GenerateFlags, cmd: Command) => {
      const decoding = decodingOptions(f);
      decoding.maxNewTokens ??= GENERATE_MAX_NEW_TOKENS;
      const list = prompts.length > 0 ? prompts : [""];
      const stream = cmd.getOptionValueSource("stream") === "cli" ? f.stream !== false : process.stdout.isTTY === true;
      process.exitCode = await runFill({
        ...f,
        texts: (tokenizer) => {
          // [gMASK] is the original's open-ended blank; [MASK] for a vocabulary without it.
          const s = tokenizer.special;
          const blank = tokenizer.idToToken(s.gMask >= 0 ? s.gMask : s.mask) ?? "[MASK]";
          return list.map((p) => (p.trim() === "" ? blank : `${p.replace(/\s+$/u, "")} ${blank}`));
        },
        names: list.map((_, i) => (prompts.length ? `prompt ${i + 1}` : "the unconditional prompt")),
        decoding,
        batchSize: f.batchSize,
        json: f.json === true,
        stream,
        log: stderrLog(f.verbose === true),
      });
    });
}
