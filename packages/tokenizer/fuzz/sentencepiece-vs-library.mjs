// Compares @glmjs/tokenizer's SentencePiece with the `sentencepiece` library (Debian's
// python3-sentencepiece, run through sentencepiece_reference.py) on seeded random strings: ids,
// offsets, and decoding (of each encoding and of random id sequences). Not a test: a tool.
//
//   node packages/tokenizer/fuzz/sentencepiece-vs-library.mjs [--count 400] [--long 40] [--seed 1]
//        [--model path/to/x.model] [--trained] [--write-expectations file.json --keep 150]
//
// --count short strings (up to 24 fragments) and --long long ones (up to 600 fragments: long
// merges, buffer growth). --trained also trains small models of other kinds with the library
// (unigram, byte fallback, user-defined pieces, whitespace as suffix, no dummy prefix, identity
// and nfkc_cf normalisers, UNUSED pieces) and compares on those. --write-expectations writes the first --keep cases of the default model (text, ids,
// offsets, decoded) for the seeded test that runs without Python. Build the package first.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomStrings, rng } from "./strings.mjs";
import { parseModelProto } from "../dist/sentencepiece/model-proto.js";
import { SentencePieceModel } from "../dist/sentencepiece/sentencepiece-model.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");
const shared = resolve(repo, "..", "shared");
const PYTHON = "/usr/bin/python3";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const count = Number(option("count", 400));
const long = Number(option("long", 40));
const seed = Number(option("seed", 1));
const modelPath = resolve(option("model", join(shared, "vocab", "cog-pretrain.model")));
const expectationsFile = option("write-expectations", undefined);
const keep = Number(option("keep", 150));

/** Sends JSON requests to the Python reference, one per line; returns its answers. */
function python(requests) {
  const r = spawnSync(PYTHON, [join(here, "sentencepiece_reference.py")], {
    input: requests.map((q) => JSON.stringify(q)).join("\n") + "\n",
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`sentencepiece_reference.py failed (is python3-sentencepiece installed?):\n${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
}

function loadModel(path) {
  const bytes = new Uint8Array(readFileSync(path));
  return new SentencePieceModel(parseModelProto(bytes), bytes);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Compares one model on `texts`; returns the mismatch counts and the cases. */
function compare(path, texts, label) {
  const model = loadModel(path);
  const ref = python(texts.map((text) => ({ model: path, text })));
  const cases = [];
  let idMismatch = 0;
  let offsetMismatch = 0;
  let decodeMismatch = 0;
  let errors = 0;
  const shown = [];
  texts.forEach((text, i) => {
    const ids = [];
    const offsets = [];
    model.encodeRange(text, 0, text.length, ids, offsets);
    const idsOnly = [];
    model.encodeRange(text, 0, text.length, idsOnly, null);
    if (!same(ids, idsOnly)) throw new Error(`glmjs gives different ids with and without offsets for ${JSON.stringify(text)}`);
    const r = ref[i];
    if (r.error) {
      errors++;
      if (shown.length < 5) shown.push(`  reference error on ${JSON.stringify(text)}: ${r.error}`);
      return;
    }
    const idOk = same(ids, r.ids);
    const offOk = same(offsets, r.offsets);
    if (!idOk) idMismatch++;
    else if (!offOk) offsetMismatch++;
    if ((!idOk || !offOk) && shown.length < 8) {
      shown.push(
        `  ${JSON.stringify(text)}\n    glmjs   ${JSON.stringify(ids)} ${JSON.stringify(offsets)}\n    library ${JSON.stringify(r.ids)} ${JSON.stringify(r.offsets)}`,
      );
    }
    cases.push({ text, ids: r.ids, offsets: r.offsets });
  });
  // Decoding: the library's ids of every text, then random id sequences (specials included).
  const r = rng(seed + 7);
  const randomIds = Array.from({ length: Math.max(50, Math.floor(texts.length / 4)) }, () =>
    Array.from({ length: Math.floor(r() * 12) }, () => (r() < 0.3 ? Math.floor(r() * 8) : Math.floor(r() * model.size))),
  );
  const decodeInputs = [...cases.map((c) => c.ids), ...randomIds];
  const refDecoded = python(decodeInputs.map((ids) => ({ model: path, decode: ids })));
  decodeInputs.forEach((ids, i) => {
    const ours = model.decodeText(ids);
    if (i < cases.length) cases[i].decoded = refDecoded[i].text;
    if (ours !== refDecoded[i].text) {
      decodeMismatch++;
      if (shown.length < 12)
        shown.push(`  decode ${JSON.stringify(ids)}\n    glmjs   ${JSON.stringify(ours)}\n    library ${JSON.stringify(refDecoded[i].text)}`);
    }
  });
  console.log(
    `${label}: ${texts.length} strings — id mismatches ${idMismatch}, offset-only mismatches ${offsetMismatch}, ` +
      `decode mismatches ${decodeMismatch} (of ${decodeInputs.length}), reference errors ${errors}`,
  );
  for (const s of shown) console.log(s);
  return { mismatches: idMismatch + offsetMismatch + decodeMismatch, cases };
}

/** Small models of other kinds, trained by the library on real text. */
function trainModels() {
  const dir = mkdtempSync(join(tmpdir(), "glmjs-spm-"));
  const corpus = join(dir, "corpus.txt");
  const english = readFileSync(join(shared, "data", "tiny_shakespeare", "train.txt"), "utf8").slice(0, 300_000);
  const mixed = readFileSync(join(shared, "fixtures", "tokenizer", "inputs.txt"), "utf8");
  writeFileSync(corpus, [english, mixed.repeat(20), ...randomStrings(seed + 99, 300)].join("\n"));
  const base = { input: corpus, vocab_size: 2000, character_coverage: 0.98, hard_vocab_limit: false };
  const specs = {
    unigram: { model_type: "unigram" },
    "bpe-byte-fallback-user-defined": { model_type: "bpe", byte_fallback: true, user_defined_symbols: ["<n>", "[X]", "ab"] },
    "unigram-byte-fallback-no-dummy-prefix": { model_type: "unigram", byte_fallback: true, add_dummy_prefix: false, remove_extra_whitespaces: false },
    "bpe-whitespace-suffix": { model_type: "bpe", treat_whitespace_as_suffix: true },
    "unigram-identity-user-defined": { model_type: "unigram", normalization_rule_name: "identity", user_defined_symbols: ["<n>", "▁x"], split_digits: true },
    "bpe-nfkc-cf": { model_type: "bpe", normalization_rule_name: "nfkc_cf", split_by_whitespace: false },
  };
  const out = [];
  for (const [name, spec] of Object.entries(specs)) {
    const prefix = join(dir, name);
    const [res] = python([{ train: { ...base, ...spec, model_prefix: prefix } }]);
    if (res.error) console.log(`training ${name} failed: ${res.error}`);
    else out.push([name, `${prefix}.model`]);
  }
  for (const name of ["bpe-byte-fallback-user-defined", "unigram"]) {
    const [res] = python([{ mark_unused: { model: join(dir, `${name}.model`), out: join(dir, `${name}-unused.model`), every: 7 } }]);
    if (res.error) console.log(`marking UNUSED pieces in ${name} failed: ${res.error}`);
    else out.push([`${name} with ${res.marked} UNUSED pieces`, join(dir, `${name}-unused.model`)]);
  }
  return out;
}

if (!existsSync(modelPath)) throw new Error(`${modelPath}: no such model (pass --model)`);
const texts = [...randomStrings(seed, count), ...randomStrings(seed + 1, long, 600)];
let total = 0;
const main = compare(modelPath, texts, basename(modelPath));
total += main.mismatches;
if (argv.includes("--trained")) {
  for (const [name, path] of trainModels()) total += compare(path, texts, `trained ${name}`).mismatches;
}
if (expectationsFile) {
  const sha256 = createHash("sha256").update(readFileSync(modelPath)).digest("hex");
  const doc = {
    about: "Produced by packages/tokenizer/fuzz/sentencepiece-vs-library.mjs from the sentencepiece library; do not edit.",
    model: basename(modelPath),
    sha256,
    seed,
    count: keep,
    cases: main.cases.slice(0, keep),
  };
  writeFileSync(expectationsFile, JSON.stringify(doc, null, 0).replace(/\{"text"/g, '\n{"text"') + "\n");
  console.log(`wrote ${keep} cases to ${expectationsFile}`);
}
console.log(`total mismatches: ${total}`);
process.exitCode = total === 0 ? 0 : 1;
