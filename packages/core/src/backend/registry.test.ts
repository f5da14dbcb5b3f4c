import { GlmjsError } from "@glmjs/common";
import { afterEach, describe, expect, it } from "vitest";
import { tf } from "../tfjs.js";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, type BackendProvider, type ProbeResult } from "./contract.js";
import { activeBackend, autoBackend, autoBackendChoice, listBackends, probeBackends, registerBackend, useBackend } from "./registry.js";

function fakeProvider(name: string, rank: number, probe: ProbeResult, activate: () => Promise<void>): BackendProvider {
  return { contractVersion: BACKEND_CONTRACT_VERSION, name, tfjsBackend: name, environments: ["node"], rank, probe: async () => probe, activate };
}

afterEach(async () => {
  await useBackend("cpu");
});

describe("backend registry", () => {
  it("always has cpu, available, and activates it", async () => {
    expect(listBackends().map((p) => p.name)).toContain("cpu");
    const statuses = await probeBackends();
    expect(statuses.find((s) => s.name === "cpu")?.probe.available).toBe(true);
    await useBackend("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(activeBackend()).toBe("cpu");
  });

  it("refuses a provider built against another contract version", () => {
    const p = { ...fakeProvider("future", 1, { available: true }, async () => {}), contractVersion: 99 } as unknown as BackendProvider;
    expect(() => registerBackend(p)).toThrow(/contract v99.*speaks v1/);
  });

  it("names the registered backends when asked for an unknown one", async () => {
    await expect(useBackend("nope")).rejects.toThrow(
      expect.objectContaining({ code: "BACKEND_UNKNOWN", message: expect.stringMatching(/unknown backend "nope" \(registered: .*cpu/) }),
    );
  });

  it("reports an unavailable backend with its reason and fix", async () => {
    registerBackend(fakeProvider("missing-gpu", 1, { available: false, reason: "no adapter", fix: "install drivers" }, async () => {}));
    await expect(useBackend("missing-gpu")).rejects.toThrow(/not available: no adapter\. Fix: install drivers/);
  });

  it("never reports a backend active after its initialisation failed, and restores the previous one", async () => {
    // Mirrors tfjs: setBackend resolves false yet getBackend() names the failed backend.
    tf.registerBackend("broken-init", () => {
      throw new Error("init exploded");
    });
    registerBackend(
      fakeProvider("broken-init", 2, { available: true }, async () => {
        const ok = await tf.setBackend("broken-init");
        if (!ok) throw new Error("tf.setBackend returned false");
      }),
    );
    await useBackend("cpu");
    await expect(useBackend("broken-init")).rejects.toThrow(/failed to initialise: tf.setBackend returned false/);
    const failed = await useBackend("broken-init").catch((e: unknown) => e);
    // The backend's own error stays reachable as the cause.
    expect(GlmjsError.is(failed, "BACKEND_FAILED")).toBe(true);
    expect((failed as Error).cause).toBeInstanceOf(Error);
    expect(((failed as Error).cause as Error).message).toBe("tf.setBackend returned false");
    expect(tf.getBackend()).toBe("cpu");
    expect(activeBackend()).toBe("cpu");
    tf.removeBackend("broken-init");
  });

  it("autoBackend picks the best available, logging why each better one was skipped", async () => {
    const lines: string[] = [];
    registerBackend(fakeProvider("zz-unavailable", 0, { available: false, reason: "not installed", fix: "npm i zz" }, async () => {}));
    registerBackend(
      fakeProvider("zz-fails", 0.5, { available: true }, async () => {
        throw new Error("boom");
      }),
    );
    const chosen = await autoBackend({ log: (l) => lines.push(l) });
    expect(chosen.name).toBe("cpu");
    expect(lines.some((l) => l.includes("skipping zz-unavailable: not installed (fix: npm i zz)"))).toBe(true);
    expect(lines.some((l) => l.includes("skipping zz-fails") && l.includes("boom"))).toBe(true);
    expect(lines.at(-1)).toMatch(/using backend cpu/);
  });

  it("ranks a software (fallback) device below wasm", async () => {
    registerBackend(fakeProvider("soft-gpu", AUTO_ORDER.webgpu, { available: true, fallback: true }, async () => {}));
    const s = (await probeBackends()).find((x) => x.name === "soft-gpu");
    expect(s?.rank).toBeGreaterThan(AUTO_ORDER.wasm);
    expect(await autoBackendChoice()).not.toBe("soft-gpu");
  });
});
