// Benchmark (not a test) of @glmjs/tokenizer, two parts, each against a reference in the same run:
//
// 1. Lines: GPT-2 BPE against js-tiktoken (GPT-2 ranks) and BERT WordPiece against
//    @huggingface/tokenizers (built from the same vocab.txt) on ~5 MB of Project Gutenberg text,
//    line by line; also checks that the ids agree.
// 2. SentencePiece on long single lines (cog-pretrain.model) against the `sentencepiece` library
//    (Debian's python3-sentencepiece): English (the Gutenberg books joined into one line) and
//    Chinese (random Chinese pieces of the model's own vocabulary, seeded) at 1, 2, 4, 8 and
//    20 MB. Each encoding runs in a fresh process, so its time and peak RSS are its own (with
//    --reps n, n runs of each, interleaved, median); the ids are compared by count and checksum.
//    The speed ratio is taken on CPU seconds, which a busy shared machine distorts less than
//    wall-clock seconds (both are printed).
//
//   node bench/tokenizer.mjs [--text-dir folder] [--mb 5] [--sp-sizes 1,2,4,8,20] [--reps 1] [--only lines|sentencepiece]
// Build first: pnpm --filter @glmjs/tokenizer build
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTokenizer } from "@glmjs/tokenizer";
import { Tiktoken } from "js-tiktoken/lite";
import gpt2Ranks from "js-tiktoken/ranks/gpt2";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { option } from "./lib/args.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, "..", "..", "shared");
const textDir = option("text-dir", join(shared, "data", "gutenberg"));
const targetMB = Number(option("mb", 5));
const spSizes = option("sp-sizes", "1,2,4,8,20").split(",").map(Number);
const only = option("only", undefined);
const reps = Number(option("reps", 1));
const vocabDir = join(shared, "vocab");
const PYTHON = "/usr/bin/python3";

// The books in name order. The byte-order mark is dropped (JS `\s`, which js-tiktoken's regex
// uses, counts U+FEFF as whitespace; GPT-2's does not).
const books = readdirSync(textDir)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .map((f) => readFileSync(join(textDir, f), "utf8").replace(/^\uFEFF/, ""));

/** About `mb` megabytes (UTF-8) of `pieces` repeated in order, cut at a UTF-16 unit. */
function textOf(pieces, mb, separator) {
  const parts = [];
  let bytes = 0;
  while (bytes < mb * 1e6) {
    for (const p of pieces) {
      parts.push(p);
      bytes += Buffer.byteLength(p) + Buffer.byteLength(separator);
      if (bytes >= mb * 1e6) break;
    }
  }
  const text = parts.join(separator);
  return text.slice(0, Math.floor((mb * 1e6 * text.length) / Buffer.byteLength(text)));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function benchLines() {
  const text = textOf(books, targetMB, "\n");
  const lines = text.split("\n");
  const mb = Buffer.byteLength(text) / 1e6;

  /** One pass over every line: { seconds, ids }. */
  const pass = (encode) => {
    const t0 = performance.now();
    const ids = [];
    for (const line of lines) {
      const out = encode(line);
      for (const id of out) ids.push(id);
    }
    return { seconds: (performance.now() - t0) / 1000, ids };
  };
  // 3 passes of every tokenizer, interleaved (pass 1 of each, then pass 2, …) so that a change
  // in machine load hits all of them alike; the median pass of each.
  const measureAll = (encoders) => {
    const runs = encoders.map(() => []);
    for (let p = 0; p < 3; p++) encoders.forEach((enc, i) => runs[i].push(pass(enc)));
    return runs.map((r) => ({ seconds: median(r.map((x) => x.seconds)), tokens: r[0].ids.length, ids: r[0].ids }));
  };

  const gpt2 = await loadTokenizer(join(vocabDir, "gpt2-vocab.json"));
  const bert = await loadTokenizer(join(vocabDir, "bert-base-uncased-vocab.txt"));
  const tiktoken = new Tiktoken(gpt2Ranks);
  const hfBert = new HFTokenizer(bert.toJSON(), { do_lower_case: true });
  const [glmGpt2, tik, glmBert, hf] = measureAll([
    (l) => gpt2.encode(l),
    (l) => tiktoken.encode(l),
    (l) => bert.encode(l),
    (l) => hfBert.encode(l, { add_special_tokens: false }).ids,
  ]);
  const rows = [];
  const row = (name, r, base, agree) =>
    rows.push({
      tokenizer: name,
      "MB/s": (mb / r.seconds).toFixed(2),
      "Mtokens/s": (r.tokens / r.seconds / 1e6).toFixed(2),
      "vs baseline": base ? `${(base.seconds / r.seconds).toFixed(2)}x` : "1.00x (baseline)",
      "ids agree": agree,
    });
  row("js-tiktoken gpt2", tik, null, "-");
  row("@glmjs/tokenizer gpt2", glmGpt2, tik, same(glmGpt2.ids, tik.ids) ? "yes" : "NO");
  row("@huggingface/tokenizers bert-base-uncased", hf, null, "-");
  row("@glmjs/tokenizer bert-base-uncased", glmBert, hf, same(glmBert.ids, hf.ids) ? "yes" : "NO");
  console.log(`Lines: ${mb.toFixed(2)} MB (${lines.length} lines) from ${textDir}; 3 passes each, median; node ${process.version}`);
  console.table(rows);
}

/** Random Chinese pieces of the model's vocabulary (seeded LCG), as one line. */
function chinesePieces() {
  const pieces = readFileSync(join(vocabDir, "cog-pretrain.vocab"), "utf8")
    .split("\n")
    .map((l) => l.split("\t")[0])
    .filter((p) => /^[\u4e00-\u9fff，。、；：？！“”]+$/u.test(p));
  let x = 12345;
  return Array.from({ length: 200_000 }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return pieces[x % pieces.length];
  });
}

function runWorker(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: here, maxBuffer: 1 << 20 });
  const line = (r.stdout ?? "").trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: (r.stderr || `exit ${r.status}`).trim().split("\n").slice(-3).join(" ") };
  }
}

function benchSentencePiece() {
  const model = join(vocabDir, "cog-pretrain.model");
  const hasLibrary = spawnSync(PYTHON, ["-c", "import sentencepiece"]).status === 0;
  if (!hasLibrary) console.log("(python3-sentencepiece is not installed: the library column stays empty; apt-get install python3-sentencepiece)");
  const dir = mkdtempSync(join(tmpdir(), "glmjs-sp-bench-"));
  const kinds = [
    ["English", books.map((b) => b.replace(/\s+/g, " "))],
    ["Chinese", chinesePieces()],
  ];
  const rows = [];
  const MB = 1e6;
  for (const [kind, pieces] of kinds) {
    for (const mb of spSizes) {
      const file = join(dir, `${kind}-${mb}.txt`);
      const text = textOf(pieces, mb, kind === "English" ? " " : "");
      writeFileSync(file, text);
      const size = Buffer.byteLength(text) / MB;
      const oursRuns = [];
      const libRuns = [];
      for (let r = 0; r < reps; r++) {
        oursRuns.push(runWorker(process.execPath, ["--expose-gc", "--max-old-space-size=8192", join(here, "lib", "sentencepiece-worker.mjs"), file, model]));
        libRuns.push(hasLibrary ? runWorker(PYTHON, [join(here, "lib", "sentencepiece_worker.py"), file, model]) : { error: "not installed" });
      }
      const ok = (r) => r && !r.error;
      /** The run with the median CPU time (or the first failure). */
      const pick = (runs) => runs.find((r) => !ok(r)) ?? [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[Math.floor(runs.length / 2)];
      const ours = pick(oursRuns);
      const lib = pick(libRuns);
      const mem = (r) => (r.peakRss - r.rssBefore) / MB;
      const secs = (r) => `${r.seconds.toFixed(2)} (${r.cpuSeconds.toFixed(2)})`;
      rows.push({
        text: `${kind} ${size.toFixed(0)} MB line`,
        "glmjs s (cpu)": ok(ours) ? secs(ours) : ours.error.slice(0, 40),
        "glmjs cpu s/MB": ok(ours) ? (ours.cpuSeconds / size).toFixed(2) : "-",
        "library s (cpu)": ok(lib) ? secs(lib) : lib.error.slice(0, 40),
        "speed vs library": ok(ours) && ok(lib) ? `${(lib.cpuSeconds / ours.cpuSeconds).toFixed(2)}x` : "-",
        "glmjs peak MB (+/MB)": ok(ours) ? `${(ours.peakRss / MB).toFixed(0)} (+${(mem(ours) / size).toFixed(0)})` : "-",
        "library peak MB (+/MB)": ok(lib) ? `${(lib.peakRss / MB).toFixed(0)} (+${(mem(lib) / size).toFixed(0)})` : "-",
        "ids agree": ok(ours) && ok(lib) ? (ours.ids === lib.ids && ours.checksum === lib.checksum ? "yes" : "NO") : "-",
      });
      rmSync(file);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const load = (() => {
    try {
      return readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    } catch {
      return "?";
    }
  })();
  console.log(
    `SentencePiece (cog-pretrain.model): one line per run, each in a fresh process, ${reps} run(s) each, median by CPU time; ` +
      `seconds are wall-clock (CPU); speed ratio = library CPU s / glmjs CPU s; "peak" is the process's peak RSS, ` +
      `"+/MB" its growth during the encode call per MB of text; node ${process.version}; 1-minute load average at the end ${load}`,
  );
  console.table(rows);
}

if (only !== "sentencepiece") await benchLines();
if (only !== "lines") benchSentencePiece();
