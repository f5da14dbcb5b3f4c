// What `glm fill` and `glm generate` do once their flags are read: load the model, fill the
// texts in batches (streaming the fills as they come when asked), print plain lines or JSON,
// and each blank's best single-token candidates when asked.
import { GlmjsError } from "@glmjs/common";
import type { Tokenizer } from "@glmjs/tokenizer";
import { type BlankCandidates, type DecodingOptions, type FillEvent, type FillResult, fillBatch, topCandidates, wrapForGeneration } from "@glmjs/tasks";
import { activateBackend, type BackendFlags } from "../run/backend.js";
import { loadModelArg, resolveModelArg } from "../run/model-arg.js";
import { inDecodingFlagTerms } from "../commands/decoding-flags.js";
import { onStdoutClosed, writeOut } from "../terminal/stdout.js";
import { FillPrinter } from "./fill-printer.js";

export interface FillRun extends BackendFlags {
  model: string;
  /** Texts with blanks, or a function of the model's tokenizer that gives them. */
  texts: readonly string[] | ((tokenizer: Tokenizer) => readonly string[]);
  /** How each text is named in errors ("argument 2", "stdin line 4"). */
  names: readonly string[];
  decoding: DecodingOptions;
  batchSize: number;
  /** Print each blank's best N single-token candidates. */
  candidates?: number;
  json: boolean;
  stream: boolean;
  log: (line: string) => void;
}

export interface FillOutput {
  input: string;
  text: string;
  blanks: (FillResult["blanks"][number] & { candidates?: { text: string; id: number; probability: number }[] })[];
  ids: number[];
}

/** Runs the fills; resolves to the exit code. */
export async function runFill(o: FillRun): Promise<number> {
  const source = await resolveModelArg(o.model);
  await activateBackend(o, o.log);
  const loaded = await loadModelArg(source);
  o.log(`model: ${loaded.description}`);
  const { model, tokenizer } = loaded;
  const all = typeof o.texts === "function" ? o.texts(tokenizer) : o.texts;
  const abort = new AbortController();
  const stopWatching = onStdoutClosed(() => abort.abort());
  try {
    for (let first = 0; first < all.length && !abort.signal.aborted; first += o.batchSize) {
      const texts = all.slice(first, first + o.batchSize);
      const wrapped = texts.map((text, i) => {
        const w = wrapForGeneration(tokenizer, text);
        if (w.blanks.length === 0) {
          throw new GlmjsError(
            "INPUT_INVALID",
            `${o.names[first + i]} has no blank: put [MASK] (a word or phrase), [sMASK] (a sentence) or [gMASK] (open-ended, at the end) where text should go`,
          );
        }
        return { text, blanks: w.blanks };
      });
      const candidates = o.candidates ? await Promise.all(texts.map((t) => topCandidates(model, tokenizer, t, o.candidates!))) : undefined;
      const printer =
        o.stream && !o.json
          ? new FillPrinter(
              wrapped,
              (s) => void writeOut(s),
              (row) => "\n" + candidateLines(candidates?.[row], wrapped[row]!),
            )
          : undefined;
      const seed = o.decoding.seed;
      const decoding: DecodingOptions = {
        ...o.decoding,
        ...(typeof seed === "number" ? { seed: texts.map((_, i) => seed + first + i) } : {}),
        signal: abort.signal,
      };
      let results: FillResult[];
      try {
        results = await fillBatch(model, tokenizer, texts, { ...decoding, ...(printer ? { onToken: (e: FillEvent) => printer.onEvent(e) } : {}) });
      } catch (e) {
        if (abort.signal.aborted) return 0; // stdout closed: end quietly
        throw inDecodingFlagTerms(e);
      }
      if (printer) continue;
      for (const [i, r] of results.entries()) {
        const line = o.json ? JSON.stringify(fillOutput(texts[i]!, r, candidates?.[i])) + "\n" : `${r.text}\n${candidateLines(candidates?.[i], wrapped[i]!)}`;
        if (!writeOut(line)) return 0;
      }
    }
    return 0;
  } finally {
    stopWatching();
    loaded.dispose();
  }
}

function fillOutput(input: string, r: FillResult, candidates: BlankCandidates[] | undefined): FillOutput {
  return {
    input,
    text: r.text,
    blanks: r.blanks.map((b, i) => ({
      ...b,
      ...(candidates ? { candidates: candidates[i]!.candidates.map((c) => ({ text: c.text ?? "", id: c.id, probability: c.probability })) } : {}),
    })),
    ids: r.ids,
  };
}

/** `  [MASK] 1: "great" 23.1% · "good" 10.2%` per blank (nothing without candidates). */
export function candidateLines(
  candidates: BlankCandidates[] | undefined,
  wrapped: { text: string; blanks: readonly { start: number; end: number }[] },
): string {
  if (!candidates) return "";
  return candidates
    .map((b, i) => {
      const blank = wrapped.blanks[i];
      const name = blank ? wrapped.text.slice(blank.start, blank.end) : "blank";
      const list = b.candidates.map((c) => `${JSON.stringify(c.text ?? String(c.id))} ${formatPercent(c.probability)}`).join(" · ");
      return `  ${name} ${i + 1}: ${list}\n`;
    })
    .join("");
}

function formatPercent(p: number): string {
  const percent = 100 * p;
  return `${percent >= 10 ? percent.toFixed(1) : percent >= 0.1 ? percent.toFixed(2) : percent.toExponential(1)}%`;
}
