import { GlmjsError } from "@glmjs/common";
import { probeBackends, tf } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import { webglBackend } from "./index.js";

/** The code of the GlmjsError `p` rejects with ("no error" / the message otherwise). */
async function rejectedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

describe("webgl provider in Node", () => {
  it("probe() explains that there is no canvas API", async () => {
    const probe = await webglBackend.probe();
    expect(probe).toMatchObject({ available: false, reason: "no canvas API here (neither OffscreenCanvas nor document)" });
  });

  it("is registered and reported as browser-only by the registry", async () => {
    const status = (await probeBackends()).find((s) => s.name === "webgl");
    expect(status?.rank).toBe(50);
    expect(status?.probe).toEqual({ available: false, reason: "runs only in browser/worker, not in node" });
  });

  it("activate() throws instead of leaving a failed webgl backend active", async () => {
    await tf.setBackend("cpu");
    await expect(webglBackend.activate()).rejects.toThrow(/did not register/);
    expect(await rejectedCode(webglBackend.activate())).toBe("BACKEND_UNAVAILABLE");
    expect(tf.getBackend()).toBe("cpu");
  });
});
