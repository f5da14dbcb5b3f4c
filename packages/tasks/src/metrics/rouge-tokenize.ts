// rouge_score's default tokenizer: lower-case, every run of characters other than a–z / 0–9
// becomes a space, split on whitespace, Porter-stem (NLTK's stemmer) tokens longer than three
// characters when asked, drop empty tokens.
import { porterStem } from "./porter-stemmer.js";

export interface RougeTokenizeOptions {
  /** Porter-stem tokens of more than 3 characters (rouge_score's `use_stemmer`). Default true. */
  useStemmer?: boolean;
}

// Stems repeat a lot across a corpus; the cache is bounded so a long-running process stays small.
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

function cachedStem(token: string): string {
  let stem = stemCache.get(token);
  if (stem === undefined) {
    stem = porterStem(token);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, stem);
  }
  return stem;
}

/** The tokens rouge_score's `DefaultTokenizer` produces for `text`. */
export function rougeTokenize(text: string, options: RougeTokenizeOptions = {}): string[] {
  const useStemmer = options.useStemmer ?? true;
  const tokens: string[] = [];
  for (const raw of text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(/\s+/)) {
    const token = useStemmer && raw.length > 3 ? cachedStem(raw) : raw;
    if (token !== "") tokens.push(token);
  }
  return tokens;
}
