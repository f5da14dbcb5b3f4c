// `glm pretrain` on bad input and in bad moments (issue 11): sizes and hyper-parameters refused
// before any work in the terms of the flags, conflicting tokenizer flags, a closed stdout, a kill
// during a checkpoint write, a run that failed before its first checkpoint.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCompleteModelFolder, glm, readJson, trainRows, writeSentenceCorpus } from "../test/glm.test-helper.js";

const root = mkdtempSync(join(tmpdir(), "glm-pretrain-defects-"));
const corpus = join(root, "corpus.txt");
beforeAll(() => writeSentenceCorpus(corpus));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const common = [
  "pretrain",
  "--corpus",
  corpus,
  "--train-tokenizer",
  "100",
  "--preset",
  "tiny",
  "--batch",
  "2",
  "--seq-len",
  "48",
  "--backend",
  "wasm",
  "--eval-batches",
  "1",
  "--seed",
  "5",
  "--eval-every",
  "0",
];
const withFlag = (flag: string, value: string) => {
  const args = [...common];
  const at = args.indexOf(flag);
  if (at >= 0) args[at + 1] = value;
  else args.push(flag, value);
  return args;
};

describe("glm pretrain refuses bad sizes and hyper-parameters before any work", () => {
  it.each([
    ["--seq-len", "5000", /^glm: --seq-len must be at most 512, the tiny model's max_sequence_length \(its position tables end there\), got 5000$/],
    ["--seq-len", "1e9", /^glm: --seq-len must be at most 512, .*got 1000000000$/],
    ["--seq-len", "20", /^glm: --seq-len must be an integer >= 34 \(this objective re-cuts some batches into windows of 32 … S − 2 tokens\), got 20$/],
    [
      "--batch",
      "10000000",
      /^glm: --batch is too large: a training step of 10000000 × 48 tokens needs at least [\d.]+ GiB .* more than the [\d.]+ GiB available; use a smaller batch \(with accumulation to keep the effective batch size\), got 10000000$/,
    ],
    ["--lr", "-1", /^glm: --lr must be a number > 0, got -1$/],
    ["--decay-ratio", "5", /^glm: --decay-ratio must be a number in \[0, 1\], got 5$/],
    ["--warmup", "-1", /^glm: --warmup must be a number in \[0, 1\], got -1$/],
    ["--weight-decay", "-1", /^glm: --weight-decay must be a number >= 0, got -1$/],
    ["--clip", "-1", /^glm: --clip must be a number >= 0, got -1$/],
    ["--dropout", "1", /^glm: --dropout must be a number in \[0, 1\), got 1$/],
    ["--held-out-every", "1", /option '--held-out-every <n>' argument '1' is invalid\. expected an integer >= 2/],
    ["--eval-batches", "-1", /option '--eval-batches <n>' argument '-1' is invalid\. expected an integer >= 0/],
    ["--threads", "1000000", /option '--threads <n>' argument '1000000' is invalid\. expected an integer from 1 to \d+/],
  ])(
    "%s %s",
    async (flag, value, message) => {
      const out = join(root, `refused-${flag.slice(2)}-${value}`);
      const r = await glm([...withFlag(flag, value), "--steps", "2", "--out", out]);
      expect(r.code, r.output).toBe(1);
      expect(r.stderr.trim().split("\n")[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );

  it("a weight decay that would flip the weights at the peak learning rate names both flags", async () => {
    const r = await glm([...withFlag("--lr", "0.5"), "--weight-decay", "3", "--steps", "2", "--out", join(root, "flip")]);
    expect(r.stderr.trim()).toBe("glm: --weight-decay must be < 1 / --lr = 2 (each update multiplies the weights by 1 − lr · weightDecay), got 3");
  }, 60_000);

  it("a --tokenizer or --valid-wikitext that cannot be read is refused before any work", async () => {
    const out = join(root, "missing-files");
    const tok = await glm([
      ...common.filter((x, i, all) => x !== "--train-tokenizer" && all[i - 1] !== "--train-tokenizer"),
      "--tokenizer",
      join(root, "nope.json"),
      "--steps",
      "2",
      "--out",
      out,
    ]);
    expect(tok.stderr.trim()).toBe(`glm: --tokenizer ${join(root, "nope.json")}: no such file or folder`);
    const wiki = await glm([...common, "--valid-wikitext", join(root, "nope.txt"), "--steps", "2", "--out", out]);
    expect(wiki.stderr.trim()).toBe(`glm: --valid-wikitext ${join(root, "nope.txt")}: no such file or folder`);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("--tokenizer together with --train-tokenizer is refused", async () => {
    const out = join(root, "both");
    const r = await glm([...common, "--tokenizer", join(root, "tokenizer.json"), "--steps", "2", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("glm: give --tokenizer or --train-tokenizer, not both (one tokenizer is loaded, the other would be trained)");
    expect(existsSync(join(out, "run.json"))).toBe(false);
    // --tokenizer-type only says what --train-tokenizer learns.
    const typed = await glm([
      ...common.filter((x, i, all) => x !== "--train-tokenizer" && all[i - 1] !== "--train-tokenizer"),
      "--tokenizer",
      corpus,
      "--tokenizer-type",
      "bpe",
      "--steps",
      "2",
      "--out",
      out,
    ]);
    expect(typed.stderr.trim()).toBe("glm: --tokenizer-type goes with --train-tokenizer, not with --tokenizer (a loaded tokenizer has its own type)");
  }, 60_000);
});

describe("glm pretrain in bad moments", () => {
  it("a closed stdout (| head -2) stops with a checkpoint and a complete model folder, quietly, exit 141", async () => {
    const dir = join(root, "closed-stdout");
    let closed = false;
    const r = await glm([...common, "--steps", "400", "--checkpoint-every", "1000", "--out", dir], {
      onLine: (line, child, stream) => {
        if (!closed && stream === "stdout" && line.startsWith("step 2/")) {
          closed = true;
          child.stdout!.destroy(); // what `head` does when it has its lines
        }
      },
    });
    expect(closed).toBe(true);
    expect(r.code, r.output).toBe(141);
    const step = readJson(join(dir, "checkpoints", "latest.json")).step as number;
    expect(step).toBeGreaterThanOrEqual(2);
    expect(step).toBeLessThan(400);
    expect(r.stderr).toBe(`glm: standard output was closed: stopped at step ${step} with a checkpoint; continue with --resume\n`);
    expectCompleteModelFolder(dir);
    const again = await glm([...common, "--steps", String(step + 1), "--out", dir, "--resume"]);
    expect(again.code, again.output).toBe(0);
    expect(trainRows(dir).map((row) => row.step)).toEqual(Array.from({ length: step + 1 }, (_, i) => i + 1));
  }, 180_000);

  it("--resume removes the temporary files a kill during a checkpoint write left, and the checkpoint loads", async () => {
    const dir = join(root, "killed-mid-write");
    const a = await glm([...common, "--steps", "2", "--decay-steps", "3", "--out", dir]);
    expect(a.code, a.output).toBe(0);
    // What SIGKILL between writing and renaming leaves behind (NodeStorage's and core's temporaries).
    writeFileSync(join(dir, "checkpoints", ".4f1c0de2aa91.tmp"), new Uint8Array(200_000));
    writeFileSync(join(dir, ".77aa0e12bc3d.tmp"), "{");
    writeFileSync(join(dir, "model", ".model.safetensors.4242.1767000000000.0.tmp"), new Uint8Array(1000));
    const b = await glm([...common, "--steps", "3", "--out", dir, "--resume"]);
    expect(b.code, b.output).toBe(0);
    expect(b.stdout).toContain("removed 2 temporary files left by an interrupted write: checkpoints/.4f1c0de2aa91.tmp, .77aa0e12bc3d.tmp");
    expect(b.stdout).toContain("resumed from step 2");
    const everything = [...readdirSync(dir), ...readdirSync(join(dir, "checkpoints")), ...readdirSync(join(dir, "model"))];
    expect(everything.filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(trainRows(dir).map((r) => r.step)).toEqual([1, 2, 3]);
  }, 180_000);

  it("a run folder without a checkpoint (the first attempt failed early) is a fresh start, also with --resume", async () => {
    const dir = join(root, "failed-early");
    const empty = join(root, "empty-corpus");
    mkdirSync(empty);
    const failed = await glm([...withFlag("--corpus", empty), "--steps", "2", "--out", dir]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`--corpus ${empty}: no documents found`);
    expect(readJson(join(dir, "run.json")).corpus).toEqual([empty]);
    expect(existsSync(join(dir, "checkpoints", "latest.json"))).toBe(false);
    // With the right corpus, --resume used to be refused ("these differ: --corpus").
    const again = await glm([...common, "--steps", "2", "--out", dir, "--resume"]);
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toContain(`--resume: ${dir} has no checkpoint, so this is a fresh start (replacing run.json of the earlier attempt)`);
    expect(readJson(join(dir, "run.json")).corpus).toEqual([corpus]);
    expect(trainRows(dir).map((r) => r.step)).toEqual([1, 2]);
  }, 180_000);
});
