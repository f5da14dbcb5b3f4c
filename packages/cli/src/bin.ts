#!/usr/bin/env node
// The `glm` executable: parse argv with the program built in program.ts.
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    console.error(`glm: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
