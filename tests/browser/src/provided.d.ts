// Values vitest.config.ts provides to the browser tests (test.provide / inject).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL (vite /@fs/) of the folder holding tfjs-backend-wasm's .wasm files. */
    wasmDir: string;
    /** The model fixture folder as a URL and its file names, or null when ../shared is absent. */
    modelFixture: { url: string; files: string[] } | null;
  }
}
