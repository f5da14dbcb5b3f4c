// The corpus: the built-in Brown sample (read from node_modules at build time, loaded on demand)
// or the user's text, split into documents at blank lines.

/** Every 10th document is held out, so fewer than this leaves no held-out text. */
export const MIN_DOCUMENTS = 10;

export async function brownSample(): Promise<string[]> {
  const { default: docs } = await import("virtual:brown-sample");
  return docs.map((d) => d.text);
}

/** Paragraphs (blocks separated by blank lines) of every text, in order. */
export function splitDocuments(texts: readonly string[]): string[] {
  return texts.flatMap((t) =>
    t
      .split(/\r?\n\s*\r?\n/)
      .map((d) => d.trim())
      .filter((d) => d.length > 0),
  );
}
