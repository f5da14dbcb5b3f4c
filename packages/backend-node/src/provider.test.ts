import { GlmjsError } from "@glmjs/common";
import { probeBackends, tf, useBackend } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import { tfjsNodeBackend, tfjsNodeGpuBackend } from "./index.js";

// This workspace never installs the optional peers (pnpm-workspace.yaml overrides them away),
// so the real probe must report them as not installed, with the install command.
describe("tfjs-node providers in a workspace without the native packages", () => {
  it("probe() says not installed and how to install", async () => {
    for (const [provider, pkg] of [
      [tfjsNodeBackend, "@tensorflow/tfjs-node"],
      [tfjsNodeGpuBackend, "@tensorflow/tfjs-node-gpu"],
    ] as const) {
      const probe = await provider.probe();
      expect(probe.available).toBe(false);
      if (probe.available) continue;
      expect(probe.reason).toBe(`${pkg} is not installed (it is an optional peer dependency of @glmjs/backend-node)`);
      expect(probe.fix).toContain(`npm install ${pkg}@4.22.0`);
    }
  });

  it("registers both with core, ranked as AUTO_ORDER says", async () => {
    const statuses = await probeBackends();
    const names = statuses.map((s) => s.name);
    expect(names.indexOf("tfjs-node-gpu")).toBeLessThan(names.indexOf("tfjs-node"));
    expect(statuses.find((s) => s.name === "cpu")?.probe.available).toBe(true);
  });

  it("useBackend fails with the reason and leaves the previous backend active", async () => {
    await tf.setBackend("cpu");
    await expect(useBackend("tfjs-node")).rejects.toThrow(/not installed.*Fix: npm install @tensorflow\/tfjs-node@4\.22\.0/);
    // The probe already says why; activating the provider anyway throws the same reason, coded.
    expect(GlmjsError.is(await useBackend("tfjs-node").catch((e: unknown) => e), "BACKEND_UNAVAILABLE")).toBe(true);
    const activation = await tfjsNodeBackend.activate().catch((e: unknown) => e);
    expect(GlmjsError.is(activation, "BACKEND_UNAVAILABLE")).toBe(true);
    expect((activation as Error).message).toMatch(/Fix: npm install @tensorflow\/tfjs-node@4\.22\.0/);
    expect(tf.getBackend()).toBe("cpu");
  });
});
