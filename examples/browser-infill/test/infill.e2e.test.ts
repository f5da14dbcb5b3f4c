// The built page in headless Chromium (Debian's, through playwright-core): it loads a model folder
// from a URL, picks its backend with reasons, and fills blanks as the user types; every fill must
// equal @glmjs/tasks' fill() in Node on the same model (greedy, seeded sampling, beam search).
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GLMModel } from "@glmjs/core";
import { fill, topCandidates, type DecodingOptions } from "@glmjs/tasks";
import { launchChromium, serveStatic, type StaticServer } from "@glmjs/test-utils/browser-app";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeModelFolder } from "./model-folder.js";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const artifacts = join(root, "artifacts");
let work: string;
let server: StaticServer;
let browser: Browser;
let model: GLMModel;
let tokenizer: GLMTokenizer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "glmjs-browser-infill-"));
  await mkdir(artifacts, { recursive: true });
  const dist = join(work, "dist");
  await build({ root, logLevel: "warn", build: { outDir: dist, emptyOutDir: true } });
  const t0 = performance.now();
  ({ model, tokenizer } = await writeModelFolder(join(work, "model")));
  console.info(`test model trained and saved in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  server = await serveStatic({ "/": dist, "/model/": join(work, "model") });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  model?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

async function openPage(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}/?${query}`);
  await page.locator('[data-testid="model-status"][data-loaded="true"]').waitFor({ timeout: 120_000 });
  return page;
}

/** Waits until the fill of `text` and its candidates are shown; returns the filled text. */
async function filled(page: Page, text: string): Promise<string> {
  const output = page.getByTestId("infill-output");
  await expect
    .poll(async () => [await output.getAttribute("data-input"), await output.getAttribute("data-state")], { timeout: 120_000 })
    .toEqual([text, "done"]);
  return (await output.textContent()) ?? "";
}

/** Clicks Fill and waits for the result of a fill started after the click. */
async function runFill(page: Page): Promise<string> {
  const output = page.getByTestId("infill-output");
  const before = Number(await output.getAttribute("data-run"));
  await page.getByTestId("infill-run").click();
  await expect
    .poll(async () => Number(await output.getAttribute("data-run")) > before && (await output.getAttribute("data-state")) === "done", { timeout: 120_000 })
    .toBe(true);
  return filled(page, await page.getByTestId("infill-input").inputValue());
}

const nodeFill = async (text: string, options: DecodingOptions) => (await fill(model, tokenizer, text, { maxNewTokens: 16, ...options })).text;

describe("examples/browser-infill in headless Chromium", () => {
  it("picks WASM over the software GPUs and says why; fills as the user types, as fill() does in Node", async () => {
    const page = await openPage("model=/model/");
    // SwiftShader's WebGPU and WebGL are software devices here: WASM runs, and the page says why.
    await expect.poll(() => page.getByTestId("backend").getAttribute("data-backend")).toBe("wasm");
    expect(await page.getByTestId("backend").textContent()).toMatch(/^wasm — .*SIMD/);
    const skipped = page.getByTestId("backend-skipped");
    expect(await skipped.locator('li[data-backend="webgpu"]').textContent()).toMatch(/software device.*WASM is faster/);
    expect(await skipped.locator('li[data-backend="webgl"]').textContent()).toMatch(/^webgl: .+/);
    expect(server.requests).toEqual(expect.arrayContaining(["/model/config.json", "/model/tokenizer.json", "/model/model.safetensors"]));

    // Typing: each keystroke restarts the pause; the page fills once the typing stops.
    const input = page.getByTestId("infill-input");
    await input.fill("");
    const typed = "The old man walked to the [MASK] in the morning.";
    await input.pressSequentially(typed, { delay: 15 });
    expect(await filled(page, typed)).toBe(await nodeFill(typed, {}));

    // A keystroke during a fill aborts it, and the output is the fill of the final text. (Sixty
    // blanks, filled one after another, keep the first fill running when the key comes.)
    const first = `A young girl read ${Array.from({ length: 60 }, () => "[MASK]").join(" ")} from her brother`;
    await input.fill(first);
    await page.getByTestId("infill-run").click();
    await page.locator('[data-testid="infill-output"][data-state="running"]').waitFor();
    await input.press("End");
    await input.pressSequentially(" at sea.", { delay: 10 });
    expect(await filled(page, `${first} at sea.`)).toBe(await nodeFill(`${first} at sea.`, {}));
    expect(Number(await page.getByTestId("infill-output").getAttribute("data-aborted"))).toBeGreaterThanOrEqual(1);

    // Each blank's five best single tokens with probabilities, as topCandidates() gives them.
    const two = "The [MASK] sat on the mat and looked at the [MASK].";
    await input.fill(two);
    expect(await runFill(page)).toBe(await nodeFill(two, {}));
    const expected = await topCandidates(model, tokenizer, two, 5);
    const tables = page.getByTestId("infill-candidates").locator("table");
    await expect.poll(() => tables.count()).toBe(2);
    for (let b = 0; b < 2; b++) {
      const rows = await tables.nth(b).locator("tr").allTextContents();
      const name = (c: { id: number; text?: string }) => (c.id === tokenizer.special.eop ? "(end of blank)" : JSON.stringify(c.text));
      expect(rows).toEqual(expected[b]!.candidates.map((c) => `${name(c)}${(100 * c.probability).toFixed(1)}%`));
    }
    await page.screenshot({ path: join(artifacts, "browser-infill-wasm.png"), fullPage: true });

    // Seeded sampling and beam search give what fill() gives in Node.
    await page.locator('input[name="strategy"][value="sample"]').check();
    await page.locator("#temperature").fill("0.8");
    await page.locator("#top-k").fill("40");
    await page.locator("#top-p").fill("0.9");
    await page.locator("#seed").fill("7");
    expect(await runFill(page)).toBe(await nodeFill(two, { strategy: "sample", temperature: 0.8, topK: 40, topP: 0.9, seed: 7 }));
    await page.locator('input[name="strategy"][value="beam"]').check();
    await page.locator("#num-beams").fill("3");
    expect(await runFill(page)).toBe(await nodeFill(two, { strategy: "beam", numBeams: 3, lengthPenalty: 1 }));
    await page.close();
  });

  it("runs on WebGPU when asked (SwiftShader here) and fills as in Node", async () => {
    const page = await openPage("backend=webgpu&model=/model/");
    await expect.poll(() => page.getByTestId("backend").getAttribute("data-backend")).toBe("webgpu");
    expect(await page.getByTestId("backend").textContent()).toMatch(/^webgpu — /);
    expect(await page.getByTestId("backend-skipped").locator("li").count()).toBe(0);
    const text = "The captain watched the [MASK] from the ship.";
    await page.getByTestId("infill-input").fill(text);
    await page.locator("#max-new-tokens").fill("8");
    expect(await runFill(page)).toBe(await nodeFill(text, { maxNewTokens: 8 }));
    await page.screenshot({ path: join(artifacts, "browser-infill-webgpu.png"), fullPage: true });
    await page.close();
  });
});
