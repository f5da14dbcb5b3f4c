// WikiText files are pre-tokenized (" @-@ ", spaces around punctuation, " = Title = " headings).
// These helpers undo that, in the spirit of the original's wikitext detokenizer (GLM.md §5.5),
// and cut the file into articles at the top-level headings.

export function wikitextDetokenize(text: string): string {
  return (
    text
      .replace(/ @(.)@ /g, "$1")
      // Quotes come in pairs: ` " text " ` → ` "text" `.
      .replace(/" ([^"]*?) "/g, '"$1"')
      .replace(/ ([.,;:!?%)\]}']|n't|'s|'re|'ve|'m|'ll|'d)(?=\s|$)/g, "$1")
      .replace(/([([{$]) /g, "$1")
      .replace(/ {2,}/g, " ")
  );
}

/** Articles (detokenized), split at lines of the form " = Title = " (one level of '='). */
export function wikitextArticles(text: string): string[] {
  const articles: string[] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    if (/^ = [^=].*[^=] = $/.test(line) && current.some((l) => l.trim() !== "")) {
      articles.push(current.join("\n"));
      current = [];
    }
    current.push(line);
  }
  if (current.some((l) => l.trim() !== "")) articles.push(current.join("\n"));
  return articles
    .map((a) =>
      a
        .split("\n")
        .filter((l) => l.trim() !== "" && !/^ =+ .* =+ $/.test(l))
        .map((l) => wikitextDetokenize(l.trim()))
        .join("\n"),
    )
    .filter((a) => a.length > 0);
}
