#!/usr/bin/env node
// The `glm` executable: parse argv with the program built in program.ts.
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    console.error(`glm: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  })
  // The threaded wasm build's pthread workers keep Node's event loop alive after a command is done.
  .finally(() => process.exit());
