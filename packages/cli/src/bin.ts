#!/usr/bin/env node
// The `glm` executable: parse argv with the program built in program.ts.
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    console.error(`glm: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  })
  // A command's work is done here: end the process even if a backend still holds a handle (the
  // threaded wasm build's workers no longer keep Node alive, but a GPU device may).
  .finally(() => process.exit());
