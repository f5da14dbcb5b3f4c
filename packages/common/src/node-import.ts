// The one way glmjs code reaches Node's built-in modules from a browser-safe entry point. The
// specifier is passed through a variable with the bundler-ignore hints, so vite, webpack and
// rollup leave the import to run time instead of bundling (or stubbing) node:fs into browser
// builds; in a browser the call fails with an error that says what needs Node and what to do.

import { GlmjsError } from "./errors.js";

/** The Node built-ins glmjs loads lazily, by specifier. */
export interface NodeBuiltins {
  "node:fs": typeof import("node:fs");
  "node:fs/promises": typeof import("node:fs/promises");
  "node:path": typeof import("node:path");
  "node:os": typeof import("node:os");
  "node:crypto": typeof import("node:crypto");
  "node:module": typeof import("node:module");
  "node:url": typeof import("node:url");
  "node:worker_threads": typeof import("node:worker_threads");
}

/**
 * Imports a Node built-in at run time. `neededBy` names the feature for the error message
 * (e.g. "loadModel(path)"). Throws a GlmjsError with code "NODE_ONLY" where the runtime has no
 * such module (browsers).
 */
export async function importNode<S extends keyof NodeBuiltins>(specifier: S, neededBy?: string): Promise<NodeBuiltins[S]> {
  const name: string = specifier;
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as NodeBuiltins[S];
  } catch (cause) {
    const what = neededBy ?? "this function";
    throw new GlmjsError(
      "NODE_ONLY",
      `${what} needs Node.js (${specifier} cannot be loaded in this runtime). In a browser, fetch the data yourself and pass bytes instead of a path`,
      { cause },
    );
  }
}
