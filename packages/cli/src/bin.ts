#!/usr/bin/env node
// The `glm` executable: parse argv with the program built in program.ts. Commands that load
// native backends run in a child whose native stderr noise is filtered (terminal/native-stderr.ts).
import { fileURLToPath } from "node:url";
import { errorMessage } from "./terminal/error-message.js";
import { adoptJsStderr, runWithNativeFilter, wantsNativeFilter } from "./terminal/native-stderr.js";
import { guardStdout } from "./terminal/stdout.js";

async function main(): Promise<number> {
  if (wantsNativeFilter(process.argv)) return runWithNativeFilter(fileURLToPath(import.meta.url), process.argv.slice(2));
  adoptJsStderr();
  guardStdout();
  const { buildProgram } = await import("./program.js");
  try {
    await buildProgram().parseAsync(process.argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    process.stderr.write(`glm: ${errorMessage(e)}\n`);
    return 1;
  }
}

main().then(
  // The threaded wasm build's pthread workers keep Node's event loop alive after a command is done.
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`glm: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
