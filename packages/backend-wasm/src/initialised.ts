import { tf } from "@glmjs/core";

/**
 * Whether tfjs has already created its wasm backend instance. (tf.findBackend() cannot be
 * used to ask: it starts initialising a registered backend as a side effect.)
 */
export function wasmInitialised(): boolean {
  const registry = (tf.engine() as unknown as { registry?: Record<string, unknown> }).registry;
  return registry?.["wasm"] != null;
}
