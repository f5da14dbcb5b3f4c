// Verbalizers: each label's answer text (PET's v(y)), e.g. 0 → " terrible", 1 → " great".
import { GlmjsError } from "@glmjs/common";

export interface Verbalizer {
  /** Label values as they appear in the data, in the order of the scores. */
  labels: readonly string[];
  /** The answer text of each label. */
  words: readonly string[];
}

/**
 * A verbalizer from `"0=terrible,1=great"` (pairs as the command line gives them; words are
 * trimmed), a JSON object string, a `{ label: word }` object (insertion order), or a Verbalizer.
 */
export function parseVerbalizer(spec: string | Readonly<Record<string, string>> | Verbalizer): Verbalizer {
  if (spec && typeof spec === "object" && Array.isArray((spec as Verbalizer).labels)) return checkVerbalizer(spec as Verbalizer);
  if (typeof spec === "string") {
    const text = spec.trim();
    if (text.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new GlmjsError("LABEL_WORDS_INVALID", `label words: ${JSON.stringify(text)} is not valid JSON (${(e as Error).message})`);
      }
      return parseVerbalizer(parsed as Record<string, string>);
    }
    const labels: string[] = [];
    const words: string[] = [];
    for (const pair of text.split(",")) {
      const eq = pair.indexOf("=");
      if (eq < 0) throw new GlmjsError("LABEL_WORDS_INVALID", `label words: "${pair.trim()}" is not label=word; write e.g. "0=terrible,1=great"`);
      labels.push(pair.slice(0, eq).trim());
      words.push(pair.slice(eq + 1).trim());
    }
    return checkVerbalizer({ labels, words });
  }
  if (spec && typeof spec === "object") {
    const entries = Object.entries(spec);
    if (entries.some(([, w]) => typeof w !== "string"))
      throw new GlmjsError("LABEL_WORDS_INVALID", "label words: every value of the { label: word } object must be a string");
    return checkVerbalizer({ labels: entries.map(([l]) => l), words: entries.map(([, w]) => w) });
  }
  throw new GlmjsError("LABEL_WORDS_INVALID", 'label words: give "label=word,…", a JSON object or { labels, words }');
}

function checkVerbalizer(v: Verbalizer): Verbalizer {
  if (!Array.isArray(v.labels) || !Array.isArray(v.words) || v.labels.length !== v.words.length) {
    throw new GlmjsError("LABEL_WORDS_INVALID", "label words: labels and words must be arrays of the same length");
  }
  if (v.labels.length < 2) throw new GlmjsError("LABEL_WORDS_INVALID", `label words: need at least two labels (got ${v.labels.length})`);
  const seen = new Set<string>();
  v.labels.forEach((label, i) => {
    if (typeof label !== "string" || label === "") throw new GlmjsError("LABEL_WORDS_INVALID", `label words: label ${i} is empty`);
    if (seen.has(label)) throw new GlmjsError("LABEL_WORDS_INVALID", `label words: label "${label}" appears twice`);
    seen.add(label);
    if (typeof v.words[i] !== "string" || v.words[i]!.trim() === "")
      throw new GlmjsError("LABEL_WORDS_INVALID", `label words: the word of label "${label}" is empty`);
  });
  return { labels: [...v.labels], words: [...v.words] };
}
