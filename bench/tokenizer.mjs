// Benchmark (not a test): @glmjs/tokenizer encoding speed against js-tiktoken (GPT-2 ranks) and
// @huggingface/tokenizers (BERT WordPiece from the same vocab.txt) on the same ~5 MB of
// Project Gutenberg text, in the same run; also checks that the ids agree.
//   node bench/tokenizer.mjs [textFolder] [megabytes]
// Build first: pnpm --filter @glmjs/tokenizer build
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTokenizer } from "@glmjs/tokenizer";
import { Tiktoken } from "js-tiktoken/lite";
import gpt2Ranks from "js-tiktoken/ranks/gpt2";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = resolve(root, "..", "shared");
const textDir = process.argv[2] ?? join(shared, "data", "gutenberg");
const targetMB = Number(process.argv[3] ?? 5);
const vocabDir = join(shared, "vocab");

// ~targetMB of text: the books in name order, repeated if the folder holds less. The byte-order
// mark is dropped (JS `\s`, which js-tiktoken's regex uses, counts U+FEFF as whitespace; GPT-2's does not).
const books = readdirSync(textDir).filter((f) => f.endsWith(".txt")).sort().map((f) => readFileSync(join(textDir, f), "utf8").replace(/^\uFEFF/, ""));
let text = "";
while (Buffer.byteLength(text) < targetMB * 1e6) for (const b of books) text += b + "\n";
text = text.slice(0, Math.floor((targetMB * 1e6 * text.length) / Buffer.byteLength(text)));
const lines = text.split("\n");
const mb = Buffer.byteLength(text) / 1e6;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One pass over every line: { seconds, ids }. */
function pass(encode) {
  const t0 = performance.now();
  const ids = [];
  for (const line of lines) {
    const out = encode(line);
    for (const id of out) ids.push(id);
  }
  return { seconds: (performance.now() - t0) / 1000, ids };
}

/**
 * 3 passes of every tokenizer, interleaved (pass 1 of each, then pass 2, …) so that a change in
 * machine load hits all of them alike; the median pass of each.
 */
function measureAll(encoders) {
  const runs = encoders.map(() => []);
  for (let p = 0; p < 3; p++) encoders.forEach((enc, i) => runs[i].push(pass(enc)));
  return runs.map((r) => {
    const seconds = median(r.map((x) => x.seconds));
    return { seconds, tokens: r[0].ids.length, ids: r[0].ids };
  });
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const gpt2 = await loadTokenizer(join(vocabDir, "gpt2-vocab.json"));
const bert = await loadTokenizer(join(vocabDir, "bert-base-uncased-vocab.txt"));
const tiktoken = new Tiktoken(gpt2Ranks);
const hfBert = new HFTokenizer(bert.toJSON(), { do_lower_case: true });

const rows = [];
const [glmGpt2, tik, glmBert, hf] = measureAll([
  (l) => gpt2.encode(l),
  (l) => tiktoken.encode(l),
  (l) => bert.encode(l),
  (l) => hfBert.encode(l, { add_special_tokens: false }).ids,
]);
const row = (name, r, base, agree) => rows.push({
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

console.log(`text: ${mb.toFixed(2)} MB (${lines.length} lines) from ${textDir}; 3 passes each, median; node ${process.version}`);
console.table(rows);
