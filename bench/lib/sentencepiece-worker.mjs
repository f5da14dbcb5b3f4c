// One timed SentencePiece encoding in a fresh process (so its peak RSS is its own), for
// bench/tokenizer.mjs: node sentencepiece-worker.mjs <text file> <model file>
// Prints one JSON line: seconds (wall), cpuSeconds, ids, checksum, rssBefore and peakRss (bytes).
import { readFileSync } from "node:fs";
import { loadTokenizer } from "@glmjs/tokenizer";

const [textFile, modelFile] = process.argv.slice(2);
const tok = await loadTokenizer(modelFile);
const text = readFileSync(textFile, "utf8");
tok.encode("warm up the code paths once 你好，世界。");
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const c0 = process.cpuUsage();
const t0 = performance.now();
const ids = tok.encode(text);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
let checksum = 0;
for (let i = 0; i < ids.length; i++) checksum = (Math.imul(checksum, 31) + ids[i]) >>> 0;
process.stdout.write(
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, ids: ids.length, checksum, rssBefore, peakRss: process.resourceUsage().maxRSS * 1024 }) +
    "\n",
);
