// The stemmer against NLTK's PorterStemmer() (default NLTK_EXTENSIONS mode, NLTK 3.8, the
// stemmer rouge_score uses): a table covering every rule and each NLTK extension, and every
// all-letters word of the BERT vocabulary. Expected values: scripts/metrics-reference.py.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { sharedPath } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { porterStem } from "./porter-stemmer.js";

// NLTK 3.8 `PorterStemmer().stem(word)` for each word (metrics-reference.py, "stems").
const NLTK_STEMS: Record<string, string> = {
  caresses: "caress",
  ponies: "poni",
  ties: "tie",
  caress: "caress",
  cats: "cat",
  dies: "die",
  lies: "lie",
  flies: "fli",
  skies: "sky",
  sky: "sky",
  dying: "die",
  lying: "lie",
  tying: "tie",
  news: "news",
  innings: "inning",
  outings: "outing",
  cannings: "canning",
  howe: "howe",
  proceed: "proceed",
  exceed: "exceed",
  succeed: "succeed",
  feed: "feed",
  agreed: "agre",
  plastered: "plaster",
  bled: "bled",
  motoring: "motor",
  sing: "sing",
  died: "die",
  spied: "spi",
  tied: "tie",
  conflated: "conflat",
  troubled: "troubl",
  sized: "size",
  hopping: "hop",
  tanned: "tan",
  falling: "fall",
  hissing: "hiss",
  fizzed: "fizz",
  failing: "fail",
  filing: "file",
  happy: "happi",
  enjoy: "enjoy",
  by: "by",
  spy: "spi",
  fly: "fli",
  try: "tri",
  relational: "relat",
  conditional: "condit",
  rational: "ration",
  valenci: "valenc",
  hesitanci: "hesit",
  digitizer: "digit",
  conformabli: "conform",
  radicalli: "radic",
  differentli: "differ",
  vileli: "vile",
  analogousli: "analog",
  vietnamization: "vietnam",
  predication: "predic",
  operator: "oper",
  feudalism: "feudal",
  decisiveness: "decis",
  hopefulness: "hope",
  callousness: "callous",
  formaliti: "formal",
  sensitiviti: "sensit",
  sensibiliti: "sensibl",
  hopefulli: "hope",
  geologi: "geolog",
  theologi: "theolog",
  triplicate: "triplic",
  formative: "form",
  formalize: "formal",
  electriciti: "electr",
  electrical: "electr",
  hopeful: "hope",
  goodness: "good",
  revival: "reviv",
  allowance: "allow",
  inference: "infer",
  airliner: "airlin",
  gyroscopic: "gyroscop",
  adjustable: "adjust",
  defensible: "defens",
  irritant: "irrit",
  replacement: "replac",
  adjustment: "adjust",
  dependent: "depend",
  adoption: "adopt",
  homologou: "homolog",
  communism: "commun",
  activate: "activ",
  angulariti: "angular",
  homologous: "homolog",
  effective: "effect",
  bowdlerize: "bowdler",
  probate: "probat",
  rate: "rate",
  cease: "ceas",
  controll: "control",
  roll: "roll",
  generously: "gener",
  generalization: "gener",
  oscillators: "oscil",
  abilities: "abil",
  ability: "abil",
  additionally: "addit",
  finally: "final",
  really: "realli",
  studies: "studi",
  studying: "studi",
  running: "run",
  ran: "ran",
  was: "wa",
  is: "is",
  as: "as",
  a: "a",
  ab: "ab",
  abc: "abc",
  y: "y",
  yy: "yy",
  syzygy: "syzygi",
  toy: "toy",
  crying: "cri",
  eyes: "eye",
  "1990s": "1990",
  abc123: "abc123",
  mr: "mr",
  Running: "run",
  SKIES: "ski",
  Sky: "ski",
};

describe("porterStem (NLTK's PorterStemmer, NLTK_EXTENSIONS mode)", () => {
  it("gives NLTK's stem for every rule of Porter's steps and each NLTK extension", () => {
    const got = Object.fromEntries(Object.keys(NLTK_STEMS).map((w) => [w, porterStem(w)]));
    expect(got).toEqual(NLTK_STEMS);
  });

  it("differs from the original algorithm where NLTK does (irregular forms, -ies/-ied on 4 letters, y after a consonant)", () => {
    // Porter (1980) gives "ski", "dy", "ti", "di" and "enjoi" for the first five.
    expect(["skies", "dying", "ties", "died", "enjoy", "flies", "spied"].map(porterStem)).toEqual(["sky", "die", "tie", "die", "enjoy", "fli", "spi"]);
  });

  // The stems of all 21,745 words of bert-base-uncased-vocab.txt made of a–z only, in file order,
  // joined by "\n", hash to this (NLTK 3.8; metrics-reference.py, "vocab"). To see which word
  // differs, print NLTK's stems with the script's code and diff.
  const NLTK_VOCAB = { words: 21745, sha256: "e107451ccf7ebead095ba1f8284bcfba7de38be014bfd19aadbb4d633526c395" };
  const vocab = sharedPath("vocab", "bert-base-uncased-vocab.txt");
  it.skipIf(!vocab)("matches NLTK on every all-letters word of the BERT vocabulary", () => {
    const words = readFileSync(vocab as string, "utf8")
      .split("\n")
      .filter((w) => /^[a-z]+$/.test(w));
    expect(words.length).toBe(NLTK_VOCAB.words);
    const digest = createHash("sha256").update(words.map(porterStem).join("\n"), "utf8").digest("hex");
    expect(digest).toBe(NLTK_VOCAB.sha256);
  });
});
