// The glmjs BackendProvider for tfjs's WebGL backend (browsers and workers with OffscreenCanvas).
import { GlmjsError } from "@glmjs/common";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, tf, type BackendProvider, type ProbeResult } from "@glmjs/core";
import { findGLRenderer } from "./gl-context.js";

export const webglBackend: BackendProvider = {
  contractVersion: BACKEND_CONTRACT_VERSION,
  name: "webgl",
  tfjsBackend: "webgl",
  environments: ["browser", "worker"],
  rank: AUTO_ORDER.webgl,

  async probe(): Promise<ProbeResult> {
    try {
      const gl = findGLRenderer();
      if (gl === undefined) {
        return {
          available: false,
          reason: "no canvas API here (neither OffscreenCanvas nor document)",
          fix: "run in a browser page, or in a worker of a browser with OffscreenCanvas",
        };
      }
      if (gl === null) {
        return {
          available: false,
          reason: "the browser refused to create a WebGL 2 or WebGL 1 context (GPU blocklisted, WebGL disabled, or too many live contexts)",
          fix: "enable WebGL / hardware acceleration in the browser settings, or use the wasm backend",
        };
      }
      return {
        available: true,
        detail: `WebGL ${gl.version}${gl.renderer ? `, ${gl.renderer}` : ""}${gl.software ? " (software renderer)" : ""}`,
        fallback: gl.software,
      };
    } catch (e) {
      return { available: false, reason: `probing WebGL failed: ${(e as Error).message}` };
    }
  },

  async activate(): Promise<void> {
    // Imported on demand: the package registers "webgl" only in a browser environment.
    await import("@tensorflow/tfjs-backend-webgl");
    if (!tf.findBackendFactory("webgl"))
      throw new GlmjsError("BACKEND_UNAVAILABLE", "@tensorflow/tfjs-backend-webgl did not register (not a browser environment)");
    // By default tfjs runs small ops on the CPU; glmjs wants every op on the GPU path (and tested there).
    tf.env().set("WEBGL_CPU_FORWARD", false);
    const ok = await tf.setBackend("webgl");
    if (!ok) throw new GlmjsError("BACKEND_FAILED", "tfjs could not initialise its webgl backend (context creation failed; see tfjs's warning above)");
  },
};
