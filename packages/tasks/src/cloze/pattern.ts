// PET-style patterns (GLM.md §5.2): a template with the example's text fields and one blank, e.g.
// "{sentence} It was [MASK]." → parts [sentence] [" It was"] [MASK] ["."]. As in the original
// (tasks/superglue/pvp.py), every part is tokenized on its own — BPE merges never cross a part
// boundary and a literal's leading space is its own business — and only the field parts are
// shortened when the input is too long (one token at a time from the end of the last field).
import { GlmjsError } from "@glmjs/common";

export type PatternPart = { kind: "text"; text: string } | { kind: "field"; name: string } | { kind: "mask" };

export interface ClozePattern {
  /** The template it was parsed from. */
  template: string;
  parts: readonly PatternPart[];
  /** The field names the template reads, in order of first use. */
  fields: readonly string[];
}

/** The literal written for the blank in a template. */
export const MASK_IN_PATTERN = "[MASK]";
const FIELD = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses a template: `{name}` is the example's field `name`, `[MASK]` the blank (exactly once),
 * `{{` and `}}` literal braces; everything else is literal text, spaces included — except the
 * whitespace right before `[MASK]`, which is dropped (the answer carries its own leading space,
 * and GLM's tokenizers strip whitespace before a mask token too).
 */
export function parsePattern(template: string): ClozePattern {
  if (typeof template !== "string" || template.length === 0)
    throw new GlmjsError("PATTERN_INVALID", 'pattern: give a template such as "{sentence} It was [MASK]."');
  const parts: PatternPart[] = [];
  let text = "";
  const flush = () => {
    if (text) parts.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < template.length;) {
    if (template.startsWith("{{", i) || template.startsWith("}}", i)) {
      text += template[i];
      i += 2;
    } else if (template[i] === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) throw new GlmjsError("PATTERN_INVALID", `pattern "${template}": "{" at character ${i} is not closed (write "{{" for a literal brace)`);
      const name = template.slice(i + 1, end).trim();
      if (!FIELD.test(name)) throw new GlmjsError("PATTERN_INVALID", `pattern "${template}": {${name}} is not a field name (letters, digits, _ . -)`);
      flush();
      parts.push({ kind: "field", name });
      i = end + 1;
    } else if (template[i] === "}") {
      throw new GlmjsError("PATTERN_INVALID", `pattern "${template}": "}" at character ${i} has no "{" (write "}}" for a literal brace)`);
    } else if (template.startsWith(MASK_IN_PATTERN, i)) {
      // Whitespace before the blank belongs to the answer (" great"), as GLM's tokenizers strip it before [MASK].
      text = text.replace(/\s+$/, "");
      flush();
      parts.push({ kind: "mask" });
      i += MASK_IN_PATTERN.length;
    } else {
      text += template[i];
      i += 1;
    }
  }
  flush();
  const masks = parts.filter((p) => p.kind === "mask").length;
  if (masks !== 1) throw new GlmjsError("PATTERN_INVALID", `pattern "${template}": needs exactly one ${MASK_IN_PATTERN} (found ${masks})`);
  const fields = [...new Set(parts.flatMap((p) => (p.kind === "field" ? [p.name] : [])))];
  if (fields.length === 0) throw new GlmjsError("PATTERN_INVALID", `pattern "${template}": reads no field of the example; put one in, e.g. {sentence}`);
  return { template, parts, fields };
}

/** One tokenized part. */
export interface EncodedPart {
  ids: number[];
  /** Field parts may be shortened to fit the length limit; literals and the mask never are. */
  shortenable: boolean;
}

/**
 * Tokenizes each part separately: fields through `prepare` (e.g. punctuation standardisation)
 * then `encode`, literals through `encode`, the blank as `maskId`.
 */
export function encodePattern(
  pattern: ClozePattern,
  example: Readonly<Record<string, unknown>>,
  encode: (text: string) => number[],
  maskId: number,
  prepare: (text: string) => string = (t) => t,
): EncodedPart[] {
  return pattern.parts.map((p) => {
    if (p.kind === "mask") return { ids: [maskId], shortenable: false };
    if (p.kind === "text") return { ids: encode(p.text), shortenable: false };
    const value = example[p.name];
    if (typeof value !== "string") {
      throw new GlmjsError(
        "EXAMPLE_INVALID",
        `pattern "${pattern.template}": the example has no text field "${p.name}" (fields: ${Object.keys(example).join(", ") || "none"})`,
      );
    }
    return { ids: encode(prepare(value)), shortenable: true };
  });
}

/**
 * Shortens the parts in place so that parts + `extra` tokens fit in `maxLength`, the original's
 * PVP.truncate: one token at a time from the end of the last non-empty shortenable part.
 * Returns how many tokens were removed; throws when even empty fields do not fit.
 */
export function truncateParts(parts: EncodedPart[], extra: number, maxLength: number): number {
  let total = extra;
  for (const p of parts) total += p.ids.length;
  const remove = total - maxLength;
  if (remove <= 0) return 0;
  for (let k = 0; k < remove; k++) {
    let last = -1;
    for (let i = parts.length - 1; i >= 0 && last < 0; i--) if (parts[i]!.shortenable && parts[i]!.ids.length > 0) last = i;
    if (last < 0) {
      const fixed = extra + parts.reduce((n, p) => n + (p.shortenable ? 0 : p.ids.length), 0);
      throw new GlmjsError(
        "SEQUENCE_TOO_LONG",
        `the pattern's fixed text, blank, answer and special tokens take ${fixed} tokens, more than the maximum length ${maxLength} even with empty fields; raise the maximum length or shorten the pattern`,
      );
    }
    parts[last]!.ids.pop();
  }
  return remove;
}
