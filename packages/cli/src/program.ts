// Builds the `glm` command tree. Each subcommand lives in its own file under commands/ and
// exports a register function; add new ones to COMMANDS.
import { Command } from "commander";
import { registerBackends } from "./commands/backends.js";
import { registerExport } from "./commands/export.js";
import { registerPretrain } from "./commands/pretrain.js";
import { registerQuickstart } from "./commands/quickstart.js";
import { registerTokenize } from "./commands/tokenize.js";
import { registerTokenizerTrain } from "./commands/tokenizer-train.js";
import { registerDataInspect } from "./commands/data-inspect.js";
import { registerFill } from "./commands/fill.js";
import { registerGenerate } from "./commands/generate.js";
import { registerFinetune } from "./commands/finetune.js";
import { registerEval } from "./commands/eval.js";
import { cliVersion } from "./version.js";

type Register = (program: Command) => void;
const COMMANDS: Register[] = [
  registerQuickstart,
  registerBackends,
  registerTokenize,
  registerTokenizerTrain,
  registerPretrain,
  registerDataInspect,
  registerExport,
];
// Tasks on a trained model (@glmjs/tasks).
COMMANDS.push(registerFill, registerGenerate, registerFinetune, registerEval);

export function buildProgram(): Command {
  const program = new Command("glm")
    .description("glmjs: GLM (General Language Model, Du et al. 2022) in TypeScript")
    .version(cliVersion(), "-v, --version")
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  return program;
}
