// A model folder loaded by URL in real Chromium goes through @glmjs/hub's fetch path, which keeps
// every response in the Cache API ("glmjs-hub"), files the folder lacks included: a second load,
// offline, must make no request and give the same weights. (The Node tests cover this path with a
// stand-in cache; here it is the browser's own CacheStorage.)
import { loadModel, tf, useBackend } from "@glmjs/core";
import { afterAll, describe, expect, inject, it } from "vitest";

const CACHE = "glmjs-hub";
const served = inject("modelFixture");
const present = served ? ["config.json", "model.safetensors"].every((f) => served.files.includes(f)) : false;
if (!present) console.warn("SKIPPING the Cache API test: the model fixture (config.json, model.safetensors) is absent (set GLMJS_MODEL_FIXTURE)");

/** A fetch that records the URLs it was asked for. */
function recordingFetch(requested: string[]): typeof fetch {
  return (input, init) => {
    requested.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
}

describe.skipIf(!present)(present ? "a model folder by URL in Chromium" : "a model folder by URL (SKIPPED: fixture absent)", () => {
  afterAll(async () => {
    await caches.delete(CACHE);
  });

  it("is fetched once into the Cache API, then loads offline from it with no request and the same weights", async () => {
    await caches.delete(CACHE);
    await useBackend("cpu");
    const url = new URL(served!.url, location.href).href;

    const requested: string[] = [];
    const first = await loadModel(url, { fetch: recordingFetch(requested) });
    expect(requested.some((u) => u.endsWith("/model.safetensors"))).toBe(true);
    expect(requested.some((u) => u.endsWith("/config.json"))).toBe(true);
    // Every URL asked for is in the cache now, including files the folder does not have (remembered as missing).
    const cached = (await (await caches.open(CACHE)).keys()).map((r) => r.url);
    for (const u of requested) expect(cached).toContain(u);
    expect(requested.some((u) => !served!.files.includes(decodeURIComponent(u.slice(url.length))))).toBe(true);

    const again: string[] = [];
    const second = await loadModel(url, { fetch: recordingFetch(again), offline: true });
    try {
      expect(again).toEqual([]);
      expect(second.config).toEqual(first.config);
      const a = first.namedVariables();
      const b = second.namedVariables();
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [name, v] of a) expect(Array.from(b.get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    } finally {
      first.dispose();
      second.dispose();
    }

    // Offline with nothing cached: a clear error, not a request.
    await caches.delete(CACHE);
    const none: string[] = [];
    await expect(loadModel(url, { fetch: recordingFetch(none), offline: true })).rejects.toMatchObject({ code: "HUB_OFFLINE" });
    expect(none).toEqual([]);
    expect(tf.getBackend()).toBe("cpu");
  });
});
