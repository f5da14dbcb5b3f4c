import { describe, expect, it } from "vitest";
import { adapterIdentity, describeAdapter } from "./adapter-info.js";

describe("adapterIdentity", () => {
  it("Chromium's SwiftShader (isFallbackAdapter on info)", () => {
    const id = adapterIdentity({ info: { vendor: "google", architecture: "swiftshader", device: "", description: "", isFallbackAdapter: true } });
    expect(id.fallback).toBe(true);
    expect(describeAdapter(id)).toBe("google swiftshader (software adapter: ranked below wasm)");
  });
  it("Dawn on Mesa llvmpipe (no flag, recognised by name)", () => {
    const id = adapterIdentity({
      info: { vendor: "", architecture: "", device: "llvmpipe-llvm-15-0-6-256-bits-", description: "OpenGL version 4.5 (Core Profile) Mesa 22.3.6" },
    });
    expect(id.fallback).toBe(true);
  });
  it("older browsers flag the adapter itself", () => {
    expect(adapterIdentity({ isFallbackAdapter: true }).fallback).toBe(true);
  });
  it("a hardware GPU is not a fallback", () => {
    const id = adapterIdentity({ info: { vendor: "nvidia", architecture: "ampere", device: "", description: "NVIDIA GeForce RTX 3080" } });
    expect(id.fallback).toBe(false);
    expect(describeAdapter(id)).toBe("nvidia ampere NVIDIA GeForce RTX 3080");
  });
  it("no info at all", () => {
    expect(describeAdapter(adapterIdentity({}))).toBe("unnamed adapter");
  });
});
