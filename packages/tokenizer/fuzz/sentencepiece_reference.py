# The reference side of sentencepiece-vs-library.mjs: the `sentencepiece` Python library (Debian's
# python3-sentencepiece) encodes and decodes what it is sent, one JSON request per stdin line:
#   {"model": path, "text": s}      -> {"ids": [...], "offsets": [[start, end], ...]}  (UTF-16 offsets)
#   {"model": path, "decode": ids}  -> {"text": s}
#   {"train": {trainer arguments}}  -> {"ok": true}
#   {"mark_unused": {"model": path, "out": path, "every": n}} -> {"ok": true, "marked": k}
#       (a copy of the model with every n-th multi-character NORMAL piece made UNUSED)
# Not a test: a tool for comparing glmjs with the library.
import json
import os
import sys

import sentencepiece as spm

models = {}


def utf16_offsets(text):
    """UTF-16 offset of every code point index (and of the end)."""
    out = [0]
    for ch in text:
        out.append(out[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return out


def handle(req):
    if "train" in req:
        with open(os.devnull, "w") as quiet:
            spm.SentencePieceTrainer.train(logstream=quiet, **req["train"])
        return {"ok": True}
    if "mark_unused" in req:
        from sentencepiece import sentencepiece_model_pb2 as pb

        spec = req["mark_unused"]
        proto = pb.ModelProto()
        with open(spec["model"], "rb") as f:
            proto.ParseFromString(f.read())
        marked = 0
        for i, p in enumerate(proto.pieces):
            if p.type == pb.ModelProto.SentencePiece.NORMAL and len(p.piece) > 1 and i % spec["every"] == 0:
                p.type = pb.ModelProto.SentencePiece.UNUSED
                marked += 1
        with open(spec["out"], "wb") as f:
            f.write(proto.SerializeToString())
        return {"ok": True, "marked": marked}
    path = req["model"]
    if path not in models:
        models[path] = spm.SentencePieceProcessor(model_file=path)
    sp = models[path]
    if "decode" in req:
        return {"text": sp.decode(req["decode"])}
    text = req["text"]
    proto = sp.encode(text, out_type="immutable_proto")
    units = utf16_offsets(text)
    return {
        "ids": sp.encode(text),
        "offsets": [[units[p.begin], units[p.end]] for p in proto.pieces],
        "proto_ids": [p.id for p in proto.pieces],
    }


for line in sys.stdin:
    try:
        result = handle(json.loads(line))
    except Exception as e:  # reported, so one bad input does not end the run
        result = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
