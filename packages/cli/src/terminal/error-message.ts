// What `glm` prints for an error that ends a command. Most errors are glmjs's own and say what
// to do; the wasm runtime's are not: when a step needs more memory than a wasm instance can
// address (2 GiB single-threaded, 4 GiB with threads), tfjs's wasm backend fails deep inside an
// allocation with "memory access out of bounds", which names neither the cause nor the fix.

/** Messages of the WebAssembly runtime when an allocation failed or the heap was exhausted. */
const WASM_MEMORY = [/memory access out of bounds/i, /Aborted\(OOM\)/i, /Cannot enlarge memory/i, /Out of memory/i];

/** The line `glm` prints for an error (without the `glm: ` prefix). */
export function errorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const isWasmRuntime = e instanceof Error && e.name === "RuntimeError"; // WebAssembly.RuntimeError
  if (isWasmRuntime && WASM_MEMORY.some((re) => re.test(message))) {
    return (
      `the wasm backend ran out of memory (${message}): a wasm instance addresses at most 2 GiB (4 GiB with --threads 2 or more). ` +
      "Use a smaller --batch and keep the examples per step with --accum (e.g. --batch 2 --accum 4 for a batch of 8), or shorter sequences (--seq-len, --max-length, --source-length, --target-length)"
    );
  }
  return message;
}
