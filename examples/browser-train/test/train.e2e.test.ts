// The built page in headless Chromium (Debian's, through playwright-core): pretraining on the
// built-in Brown sample in a Web Worker, the loss chart and held-out losses, pause and resume, a
// blank filled while paused, and the downloaded model folder loaded in Node with loadGLM, where it
// fills the blank exactly as the page did.
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fill } from "@glmjs/tasks";
import { loadGLM } from "@glmjs/tasks/node";
import { launchChromium, serveStatic, type StaticServer } from "@glmjs/test-utils/browser-app";
import { unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const artifacts = join(root, "artifacts");
let work: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glmjs-browser-train-"));
  await mkdir(artifacts, { recursive: true });
  await build({ root, logLevel: "warn", build: { outDir: join(work, "dist"), emptyOutDir: true } });
  server = await serveStatic({ "/": join(work, "dist") });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function openPage(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && console.error(`page console: ${m.text()}`));
  await page.goto(`${server.url}/?${query}`);
  return page;
}

const step = async (page: Page) => Number(await page.getByTestId("train-status").getAttribute("data-step"));
const heldOutLosses = async (page: Page) =>
  (await page.getByTestId("eval-table").locator("tbody tr").all()).map(async (tr) => {
    const cells = await tr.locator("td").allTextContents();
    return { step: Number(cells[0]), loss: Number(cells[1]) };
  });

describe("examples/browser-train in headless Chromium", () => {
  it("trains on the Brown sample (WASM), charts the loss as it falls, pauses, fills a blank, resumes; the downloaded folder loads in Node", async () => {
    const page = await openPage("model=micro&vocab=1000&batch=4&seq=64&steps=500&eval=10&lr=0.004");
    const status = page.getByTestId("train-status");
    await page.getByTestId("train-start").click();
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 120_000 }).toBe("training");
    // SwiftShader's WebGPU is a software device here: WASM trains, and the page says why.
    expect(await page.getByTestId("backend").getAttribute("data-backend")).toBe("wasm");
    expect(await page.getByTestId("backend-skipped").textContent()).toMatch(/^webgpu: .*software device.*WASM is faster/);
    expect(await page.getByTestId("data-info").textContent()).toMatch(/^54 training documents \([\d,]+ tokens\), 6 held out/);

    // The chart grows step by step, and the held-out loss falls well below its start.
    const chart = page.getByTestId("loss-chart");
    await expect.poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
    const early = Number(await chart.getAttribute("data-points"));
    await expect.poll(async () => (await Promise.all(await heldOutLosses(page))).length, { timeout: 240_000 }).toBeGreaterThanOrEqual(4);
    expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(early);
    expect(await chart.locator("svg path").count()).toBeGreaterThan(0);
    const evals = await Promise.all(await heldOutLosses(page));
    expect(evals.slice(0, 4).map((e) => e.step)).toEqual([0, 10, 20, 30]);
    console.info(`held-out loss by step: ${evals.map((e) => `${e.step}: ${e.loss}`).join(", ")}`);
    expect(evals[0]!.loss).toBeGreaterThan(6); // about ln(1000) at the start
    expect(evals[3]!.loss).toBeLessThan(evals[0]!.loss - 0.5);

    // Pause: the step count stops.
    await page.getByTestId("train-pause").click();
    await expect.poll(() => status.getAttribute("data-state")).toBe("paused");
    await page.waitForTimeout(1500); // a step that was running when the pause came ends
    const pausedAt = await step(page);
    await page.waitForTimeout(2500);
    expect(await step(page)).toBe(pausedAt);
    expect(await page.getByTestId("train-pause").textContent()).toBe("Resume");

    // Fill a blank with the paused model.
    const text = "The [MASK] said that the [MASK] of the city was not ready.";
    await page.getByTestId("infill-input").fill(text);
    await page.getByTestId("infill-run").click();
    const output = page.getByTestId("infill-output");
    await expect.poll(() => output.getAttribute("data-state"), { timeout: 60_000 }).toBe("done");
    const filled = (await output.textContent()) ?? "";
    expect(filled).not.toContain("[MASK]");
    expect(Number(await output.getAttribute("data-step"))).toBe(pausedAt);
    expect(await page.getByTestId("infill-candidates").locator("table").count()).toBe(2);
    await page.screenshot({ path: join(artifacts, "browser-train-paused.png"), fullPage: true });

    // Download the model folder (a zip of config.json, model.safetensors, tokenizer.json) and load it in Node.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("train-download").click()]);
    const zipPath = join(work, download.suggestedFilename());
    await download.saveAs(zipPath);
    expect(download.suggestedFilename()).toBe(`glmjs-browser-step-${pausedAt}.zip`);
    const entries = unzipSync(new Uint8Array(await readFile(zipPath)));
    const folder = `glmjs-browser-step-${pausedAt}`;
    expect(Object.keys(entries).sort()).toEqual([`${folder}/config.json`, `${folder}/model.safetensors`, `${folder}/tokenizer.json`]);
    await mkdir(join(work, folder));
    for (const [name, bytes] of Object.entries(entries)) await writeFile(join(work, name), bytes);
    const loaded = await loadGLM(join(work, folder));
    try {
      expect([loaded.model.config.num_layers, loaded.model.config.hidden_size]).toEqual([2, 64]);
      expect(loaded.tokenizer.vocabSize).toBe(1000);
      expect((await fill(loaded.model, loaded.tokenizer, text, { maxNewTokens: 12 })).text).toBe(filled);
    } finally {
      loaded.dispose();
    }

    // Resume: steps go on; Stop ends the run.
    await page.getByTestId("train-pause").click();
    await expect.poll(() => status.getAttribute("data-state")).toBe("training");
    await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(pausedAt + 2);
    await page.getByTestId("train-stop").click();
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 60_000 }).toBe("done");
    expect(await status.textContent()).toMatch(/stopped at step \d+/);
    await page.screenshot({ path: join(artifacts, "browser-train-done.png"), fullPage: true });
    await page.close();
  });

  it("runs the model on WebGPU when asked (SwiftShader here, far too slow to train: the label and one held-out evaluation)", async () => {
    const page = await openPage("backend=webgpu&model=micro&vocab=300&batch=2&seq=64&steps=100&eval=50");
    await page.getByTestId("train-start").click();
    const status = page.getByTestId("train-status");
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 120_000 }).toBe("training");
    expect(await page.getByTestId("backend").getAttribute("data-backend")).toBe("webgpu");
    expect(await page.getByTestId("backend").textContent()).toMatch(/^webgpu — .*swiftshader/i);
    expect(await page.getByTestId("backend-skipped").locator("li").count()).toBe(0);
    // The initial weights' held-out loss, computed on WebGPU: about ln(300).
    await expect.poll(async () => (await Promise.all(await heldOutLosses(page))).length, { timeout: 240_000 }).toBe(1);
    const [first] = await Promise.all(await heldOutLosses(page));
    expect(first!.step).toBe(0);
    expect(first!.loss).toBeGreaterThan(4.5);
    expect(first!.loss).toBeLessThan(7);
    await page.screenshot({ path: join(artifacts, "browser-train-webgpu.png"), fullPage: true });
    await page.close();
  });
});
