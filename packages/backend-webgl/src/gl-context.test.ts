import { afterEach, describe, expect, it } from "vitest";
import { findGLRenderer, isSoftwareRenderer } from "./gl-context.js";

describe("isSoftwareRenderer", () => {
  it("recognises Chromium's SwiftShader and Mesa's llvmpipe", () => {
    expect(isSoftwareRenderer("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)")).toBe(true);
    expect(isSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)")).toBe(true);
  });
  it("does not flag a hardware GPU", () => {
    expect(isSoftwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)")).toBe(false);
  });
});

// A stand-in for the browser's OffscreenCanvas: which context kinds it grants, what it reports.
function installCanvas(grants: string[], renderer: string): { lost: number } {
  const state = { lost: 0 };
  class FakeCanvas {
    getContext(kind: string) {
      if (!grants.includes(kind)) return null;
      return {
        RENDERER: 0x1f01,
        getExtension: (name: string) =>
          name === "WEBGL_debug_renderer_info"
            ? { UNMASKED_RENDERER_WEBGL: 0x9246 }
            : name === "WEBGL_lose_context"
              ? { loseContext: () => state.lost++ }
              : null,
        getParameter: (p: number) => (p === 0x9246 ? renderer : "masked"),
      };
    }
  }
  (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas = FakeCanvas;
  return state;
}

describe("findGLRenderer", () => {
  afterEach(() => {
    delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas;
  });

  it("is undefined without any canvas API (Node)", () => {
    expect(findGLRenderer()).toBeUndefined();
  });

  it("prefers WebGL 2, reads the unmasked renderer and frees the context", () => {
    const state = installCanvas(["webgl2", "webgl"], "llvmpipe (LLVM 15.0.6, 256 bits)");
    expect(findGLRenderer()).toEqual({ version: 2, renderer: "llvmpipe (LLVM 15.0.6, 256 bits)", software: true });
    expect(state.lost).toBe(1);
  });

  it("falls back to WebGL 1", () => {
    installCanvas(["webgl"], "Mali-G78");
    expect(findGLRenderer()).toMatchObject({ version: 1, software: false });
  });

  it("is null when every context is refused", () => {
    installCanvas([], "");
    expect(findGLRenderer()).toBeNull();
  });
});
