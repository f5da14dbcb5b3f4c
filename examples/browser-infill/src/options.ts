// The decoding form → @glmjs/tasks options. Only the settings of the chosen strategy are passed:
// the library refuses settings that would do nothing (a temperature with greedy decoding).
import type { DecodingOptions } from "@glmjs/tasks";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const numberOf = (id: string) => $<HTMLInputElement>(id).valueAsNumber;

export function strategy(): "greedy" | "sample" | "beam" {
  return (document.querySelector<HTMLInputElement>('input[name="strategy"]:checked')?.value ?? "greedy") as "greedy" | "sample" | "beam";
}

/** Shows the fields of the chosen strategy only. */
export function showStrategyFields(): void {
  for (const el of document.querySelectorAll<HTMLElement>(".strategy-options")) el.hidden = el.dataset.for !== strategy();
}

export function decodingOptions(): DecodingOptions {
  const s = strategy();
  const maxNewTokens = numberOf("max-new-tokens");
  const options: DecodingOptions = { strategy: s, maxNewTokens: Number.isFinite(maxNewTokens) ? maxNewTokens : 16 };
  if (s === "sample") {
    options.temperature = numberOf("temperature");
    const topK = numberOf("top-k");
    const topP = numberOf("top-p");
    const seed = numberOf("seed");
    if (topK > 0) options.topK = topK;
    if (topP > 0) options.topP = topP;
    if (Number.isFinite(seed)) options.seed = seed;
  } else if (s === "beam") {
    options.numBeams = numberOf("num-beams");
    options.lengthPenalty = numberOf("length-penalty");
  }
  return options;
}
