#!/usr/bin/env python3
"""Reference values for the tests of @glmjs/tasks' metrics, from the Python tools they follow.

Needs NLTK (Debian: `apt-get install python3-nltk`; pip: `nltk`) and, for ROUGE, Google's
`rouge_score` (pip: `rouge-score`; it needs `absl-py`, `six`, `nltk`). Run from the repository root:

    python3 packages/tasks/scripts/metrics-reference.py [--vocab ../shared/vocab/bert-base-uncased-vocab.txt]

It prints JSON: the NLTK Porter stems of the stemmer test's word list, the sha256 of the stems of
every all-letters word of the vocabulary (in file order, joined by newlines), rouge_score's scores
for the ROUGE test's pairs, and NLTK's BLEU for the BLEU test's corpora. The test files hold these
values; the inputs below must stay identical to theirs.
"""
import argparse
import hashlib
import json
import re

import nltk
from nltk.stem.porter import PorterStemmer
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu

# The stemmer test's words: every rule of Porter's steps and each NLTK extension.
STEM_WORDS = [
    "caresses", "ponies", "ties", "caress", "cats", "dies", "lies", "flies", "skies", "sky", "dying", "lying",
    "tying", "news", "innings", "outings", "cannings", "howe", "proceed", "exceed", "succeed", "feed",
    "agreed", "plastered", "bled", "motoring", "sing", "died", "spied", "tied", "conflated", "troubled",
    "sized", "hopping", "tanned", "falling", "hissing", "fizzed", "failing", "filing", "happy", "sky",
    "enjoy", "by", "spy", "fly", "try", "relational", "conditional", "rational", "valenci", "hesitanci",
    "digitizer", "conformabli", "radicalli", "differentli", "vileli", "analogousli", "vietnamization",
    "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti",
    "sensitiviti", "sensibiliti", "hopefulli", "geologi", "theologi", "triplicate", "formative",
    "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival", "allowance", "inference",
    "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement", "adjustment",
    "dependent", "adoption", "homologou", "communism", "activate", "angulariti", "homologous", "effective",
    "bowdlerize", "probate", "rate", "cease", "controll", "roll", "generously", "generalization",
    "oscillators", "abilities", "ability", "additionally", "finally", "really", "studies", "studying",
    "running", "ran", "was", "is", "as", "a", "ab", "abc", "y", "yy", "syzygy", "toy", "crying", "eyes",
    "1990s", "abc123", "mr", "Running", "SKIES", "Sky",
]

# The ROUGE test's (prediction, reference) pairs.
ROUGE_PAIRS = [
    ("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog"),
    ("police killed the gunman", "the gunman was shot down by police"),
    ("the gunman police killed", "police killed the gunman"),
    ("Running runners ran; they're running!", "The runner runs and is running quickly."),
    ("It cost $1,000.50 in 1990s-era money", "it cost 1000 dollars in the 1990s"),
    ("Café au lait, naïve résumé", "cafe au lait naive resume"),
    ("", "a non-empty reference"),
    ("a a a b", "a b b"),
    ("the cat sat on the mat\nthe dog sat on the log", "the cat was on the mat\na dog sat there on a log"),
    ("first sentence here.\n\nsecond one follows", "second one follows\nfirst sentence there"),
    ("w1 w2 w3 w4 w5\nw2 w6 w3", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5"),
    ("generalizations of abilities were studied", "studies generalize the ability"),
]

# The BLEU test's corpora: predictions, references (lists), already tokenised by whitespace.
BLEU_CORPORA = {
    "nltk-doc": (
        [
            "It is a guide to action which ensures that the military always obeys the commands of the party",
            "he read the book because he was interested in world history",
        ],
        [
            [
                "It is a guide to action that ensures that the military will forever heed Party commands",
                "It is the guiding principle which guarantees the military forces always being under the command of the Party",
                "It is the practical guide for the army always to heed the directions of the party",
            ],
            ["he was interested in world history because he read the book"],
        ],
    ),
    "short-and-long": (
        ["the cat sat on the mat today", "there is a cat here on the mat"],
        [["the cat is on the mat", "there is a cat on the mat"], ["a cat is sitting on the mat over there"]],
    ),
    "no-4gram": (
        ["one two three five four six", "alpha beta delta gamma"],
        [["one two three four five six"], ["alpha beta gamma delta"]],
    ),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocab", default="../shared/vocab/bert-base-uncased-vocab.txt")
    args = parser.parse_args()
    stemmer = PorterStemmer()
    out = {"nltk": nltk.__version__}
    out["stems"] = {w: stemmer.stem(w) for w in STEM_WORDS}
    with open(args.vocab, encoding="utf-8") as f:
        words = [line.rstrip("\n") for line in f if re.fullmatch(r"[a-z]+", line.rstrip("\n"))]
    stems = "\n".join(stemmer.stem(w) for w in words)
    out["vocab"] = {"words": len(words), "sha256": hashlib.sha256(stems.encode("utf-8")).hexdigest()}

    try:
        from rouge_score import rouge_scorer
    except ImportError:
        rouge_scorer = None
    if rouge_scorer is not None:
        types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
        rouge = {}
        for stem in (True, False):
            scorer = rouge_scorer.RougeScorer(types, use_stemmer=stem)
            rows = []
            for pred, ref in ROUGE_PAIRS:
                s = scorer.score(ref, pred)
                rows.append({t: [s[t].precision, s[t].recall, s[t].fmeasure] for t in types})
            rouge["stem" if stem else "nostem"] = rows
        out["rouge"] = rouge

    bleu = {}
    smoothing = {"none": None, "exp": SmoothingFunction().method3, "add-one": SmoothingFunction().method2}
    for name, (preds, refs) in BLEU_CORPORA.items():
        hyps = [p.split() for p in preds]
        ref_tokens = [[r.split() for r in rs] for rs in refs]
        bleu[name] = {k: corpus_bleu(ref_tokens, hyps, smoothing_function=f) for k, f in smoothing.items()}
        bleu[name]["sentences-exp"] = [
            corpus_bleu([r], [h], smoothing_function=SmoothingFunction().method3) for r, h in zip(ref_tokens, hyps)
        ]
    out["bleu"] = bleu
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
