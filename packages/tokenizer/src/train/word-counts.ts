// Streaming word counts with bounded memory: when the table outgrows its limit, the rarest
// words are dropped (raising the cut-off until the table is half full), so a corpus of any
// size is counted in fixed space at the cost of forgetting words too rare to matter.
import { GlmjsError } from "@glmjs/common";

export class WordCounts {
  readonly counts = new Map<string, number>();
  private floor = 0;
  constructor(private readonly maxWords = 1_000_000) {}

  add(word: string): void {
    this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    if (this.counts.size > this.maxWords) this.prune();
  }

  private prune(): void {
    while (this.counts.size > this.maxWords / 2) {
      this.floor++;
      for (const [w, c] of this.counts) if (c <= this.floor) this.counts.delete(w);
    }
  }
}

/** Text chunks from a string, an iterable or an async iterable (e.g. a file's lines). */
export type TextSource = string | Iterable<string> | AsyncIterable<string>;

export async function* chunks(source: TextSource): AsyncGenerator<string> {
  if (typeof source === "string") {
    yield source;
    return;
  }
  for await (const s of source as AsyncIterable<string>) {
    if (typeof s !== "string") throw new GlmjsError("INPUT_INVALID", `trainTokenizer: the text source yielded a ${typeof s}, expected strings`);
    yield s;
  }
}
