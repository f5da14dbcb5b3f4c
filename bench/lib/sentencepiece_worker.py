# The sentencepiece library's side of bench/tokenizer.mjs: one timed encoding in a fresh process.
#   python3 sentencepiece_worker.py <text file> <model file>
# Prints one JSON line: seconds (wall), cpuSeconds, ids, checksum, rssBefore and peakRss (bytes).
import json
import resource
import sys
import time

import sentencepiece as spm

text_file, model_file = sys.argv[1:3]
sp = spm.SentencePieceProcessor(model_file=model_file)
with open(text_file, encoding="utf-8", newline="") as f:
    text = f.read()
sp.encode("warm up the code paths once 你好，世界。")
with open("/proc/self/statm") as f:
    rss_before = int(f.read().split()[1]) * resource.getpagesize()
t0 = time.perf_counter()
c0 = time.process_time()
ids = sp.encode(text)
seconds = time.perf_counter() - t0
cpu_seconds = time.process_time() - c0
checksum = 0
for i in ids:
    checksum = (checksum * 31 + i) & 0xFFFFFFFF
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "ids": len(ids), "checksum": checksum, "rssBefore": rss_before, "peakRss": peak}))
