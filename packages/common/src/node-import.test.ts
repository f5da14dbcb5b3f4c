import { describe, expect, it } from "vitest";
import { GlmjsError } from "./errors.js";
import { importNode, type NodeBuiltins } from "./node-import.js";

describe("importNode", () => {
  it("loads the Node built-in", async () => {
    const path = await importNode("node:path");
    expect(path.join("a", "b")).toBe("a/b");
    expect(typeof (await importNode("node:fs/promises")).readFile).toBe("function");
  });

  it("a module the runtime lacks is a NODE_ONLY error naming the feature and the module", async () => {
    const missing = "node:no-such-module" as keyof NodeBuiltins;
    const err = await importNode(missing, "loadModel(path)").catch((e: unknown) => e);
    expect(GlmjsError.is(err, "NODE_ONLY")).toBe(true);
    expect((err as Error).message).toMatch(/^loadModel\(path\) needs Node\.js \(node:no-such-module cannot be loaded/);
    expect((err as Error).message).toMatch(/pass bytes instead of a path/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});
