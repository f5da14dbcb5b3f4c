// `glm eval lm` (perplexity of a text file, with the original's sliding windows) and
// `glm eval lambada` (last-word accuracy), both teacher-forced through @glmjs/tasks.
import { GlmjsError } from "@glmjs/common";
import { basename, join, resolve } from "node:path";
import { readdir } from "node:fs/promises";
import { evaluateLambada, evaluatePerplexity, type LmEvalMode, type LmMaskToken } from "@glmjs/tasks";
import { readLambada, readTextFile } from "@glmjs/tasks/node";
import { taskProgress } from "../run/task-progress.js";
import { pathKind } from "../task-data/files.js";
import { type EvalFlags, log, modelOf, percent, printResult } from "./common.js";

export interface LmFlags extends EvalFlags {
  data: string;
  mode: LmEvalMode;
  mask?: LmMaskToken;
  seqLen?: number;
}

export interface EvalLmFlags extends LmFlags {
  stride?: number;
  detokenize: "wikitext" | "none";
}

export async function evalLm(f: EvalLmFlags): Promise<number> {
  const { load } = await modelOf(f);
  const dataKind = await pathKind(resolve(f.data));
  if (dataKind !== "file") throw new GlmjsError(dataKind === "missing" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE", `--data ${f.data}: give a text file`);
  let text = await readTextFile(resolve(f.data));
  if (f.limit !== undefined) text = text.split("\n").slice(0, f.limit).join("\n");
  if (text.trim() === "") throw new GlmjsError("DATASET_INVALID", `--data ${f.data}: the text is empty`);
  const loaded = await load();
  const progress = taskProgress("windows", f.progress !== false);
  const r = await evaluatePerplexity(loaded.model, loaded.tokenizer, text, {
    mode: f.mode,
    detokenize: f.detokenize,
    batchSize: f.batchSize ?? 8,
    ...(f.seqLen !== undefined ? { seqLength: f.seqLen } : {}),
    ...(f.stride !== undefined ? { stride: f.stride } : {}),
    ...(f.mask !== undefined ? { maskToken: f.mask } : {}),
    onProgress: ({ done, total }) => progress.update(done, total),
  }).catch((e: unknown) => {
    if (!GlmjsError.is(e)) throw e;
    throw new GlmjsError(e.code, e.message.replace(/\bseqLength\b/g, "--seq-len").replace(/\bstride\b/g, "--stride"), { cause: e });
  });
  progress.stop();
  loaded.dispose();
  printResult(f, { task: "lm", model: loaded.description, data: resolve(f.data), mode: f.mode, detokenize: f.detokenize, ...r }, [
    `perplexity of ${basename(f.data)}${f.limit !== undefined ? ` (first ${f.limit} lines)` : ""}: ${r.perplexity.toFixed(3)} per token over ${r.scoredTokens} tokens`,
    `word-adjusted perplexity: ${r.adjustedPerplexity.toFixed(3)} (${r.originalWords} words; comparable across tokenizers)`,
    `${r.windows} windows of ${r.seqLength - 1} tokens, stride ${r.stride}, ${f.mode}, detokenize ${f.detokenize}; mean NLL ${r.meanNll.toFixed(4)} nats`,
  ]);
  return 0;
}

export async function evalLambada(f: LmFlags): Promise<number> {
  const { load } = await modelOf(f);
  const file = await lambadaFile(f.data);
  const passages = await readLambada(file);
  const loaded = await load();
  const count = f.limit === undefined ? passages.length : Math.min(f.limit, passages.length);
  log(`lambada: ${count} of ${passages.length} passages of ${file}`);
  const progress = taskProgress("lambada", f.progress !== false);
  const r = await evaluateLambada(loaded.model, loaded.tokenizer, passages, {
    mode: f.mode,
    batchSize: f.batchSize ?? 8,
    ...(f.limit !== undefined ? { limit: f.limit } : {}),
    ...(f.seqLen !== undefined ? { seqLength: f.seqLen } : {}),
    ...(f.mask !== undefined ? { maskToken: f.mask } : {}),
    onProgress: ({ done, total }) => progress.update(done, total),
  });
  progress.stop();
  loaded.dispose();
  printResult(f, { task: "lambada", model: loaded.description, data: file, mode: f.mode, ...r }, [
    `LAMBADA last-word accuracy: ${percent(r.accuracy)} (${r.correct} of ${r.count} passages, ${f.mode})`,
    `answer perplexity ${r.answerPerplexity.toFixed(2)} per token, ${r.wordPerplexity.toFixed(2)} per last word; ${r.truncatedPassages} passages cut to fit`,
  ]);
  return 0;
}

/** --data: the LAMBADA text file, or a folder holding it. */
async function lambadaFile(data: string): Promise<string> {
  const path = resolve(data);
  const kind = await pathKind(path);
  if (kind === "file") return path;
  if (kind === "missing") throw new GlmjsError("FILE_NOT_FOUND", `--data ${data}: no such file or folder`);
  const txt = (await readdir(path)).filter((n) => n.endsWith(".txt")).sort();
  const pick = txt.find((n) => /lambada/i.test(n)) ?? txt[0];
  if (!pick) throw new GlmjsError("FILE_NOT_FOUND", `--data ${data}: the folder has no .txt file (LAMBADA passages, one per line)`);
  return join(path, pick);
}
