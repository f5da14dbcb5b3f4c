import { describe, expect, it } from "vitest";
import { isNativeNoise, wantsNativeFilter } from "./native-stderr.js";

describe("isNativeNoise", () => {
  it("drops what Dawn and Mesa print when nothing is wrong", () => {
    for (const line of [
      "Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.",
      " - While initializing adapter (backend=BackendType::Vulkan)",
      "    at InitializeImpl (../../src/dawn/native/vulkan/BackendVk.cpp:512)",
      "error: XDG_RUNTIME_DIR is invalid or not set in the environment.",
      "MESA-LOADER: failed to open swrast",
      "",
    ])
      expect(isNativeNoise(line), line).toBe(true);
  });

  it("keeps everything else, glmjs's own messages included", () => {
    for (const line of [
      "glm: --seq-len 5000 exceeds the model's max_sequence_length 512",
      "Error: ENOSPC: no space left on device",
      "- While this is a list item in a user's message",
      "Segmentation fault (core dumped)",
    ])
      expect(isNativeNoise(line), line).toBe(false);
  });
});

describe("wantsNativeFilter", () => {
  it("filters commands that load native backends, not --verbose or --help", () => {
    const env = {};
    expect(wantsNativeFilter(["node", "glm", "pretrain", "--corpus", "x"], env)).toBe(process.platform !== "win32");
    expect(wantsNativeFilter(["node", "glm", "pretrain", "--verbose"], env)).toBe(false);
    expect(wantsNativeFilter(["node", "glm", "fill", "--help"], env)).toBe(false);
    expect(wantsNativeFilter(["node", "glm", "tokenize", "x"], env)).toBe(false);
    expect(wantsNativeFilter(["node", "glm", "pretrain"], { GLMJS_JS_STDERR_FD: "3" })).toBe(false);
  });
});
