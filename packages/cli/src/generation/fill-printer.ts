// Prints filled texts as their tokens arrive, in input order: the text up to a blank, then the
// blank's fill delta by delta, then the rest. Rows of a batch advance together, so a later row's
// events are held until every earlier row is printed. What it prints for a row equals
// @glmjs/tasks' spliceFills of the final fills (a fill that starts with whitespace takes the
// place of the whitespace before its blank).
import type { FillEvent } from "@glmjs/tasks";

interface Blank {
  start: number;
  end: number;
}

interface RowState {
  text: string;
  blanks: readonly Blank[];
  /** Index in `text` printed up to (the prefix of the current blank is printed lazily). */
  at: number;
  /** Whether the text before the current blank has been printed. */
  prefixDone: boolean;
  /** What has been printed of the current blank's fill. */
  emitted: string;
  blanksDone: number;
  pending: FillEvent[];
}

export class FillPrinter {
  private readonly rows: RowState[];
  private current = 0;

  /**
   * `texts[i]` with its blanks' `[start, end)` (what wrapForGeneration returns); `write` gets
   * the output in order; `suffix(row)` is printed after each row (default a newline).
   */
  constructor(
    texts: readonly { text: string; blanks: readonly Blank[] }[],
    private readonly write: (s: string) => void,
    private readonly suffix: (row: number) => string = () => "\n",
  ) {
    this.rows = texts.map((t) => ({ text: t.text, blanks: t.blanks, at: 0, prefixDone: false, emitted: "", blanksDone: 0, pending: [] }));
    this.flushDone();
  }

  /** An event of the row-batched fill (row = index into `texts`). */
  onEvent(e: FillEvent): void {
    const row = this.rows[e.row];
    if (!row) return;
    if (e.row !== this.current) {
      row.pending.push(e);
      return;
    }
    this.apply(row, e);
    this.flushDone();
  }

  /** Whether every row has been printed. */
  get done(): boolean {
    return this.current >= this.rows.length;
  }

  private apply(row: RowState, e: FillEvent): void {
    if (e.blank !== row.blanksDone) return; // not expected: blanks are filled in order
    if (e.type === "token") {
      if (e.delta === "") return;
      this.startFill(row, e.delta);
      this.write(e.delta);
      row.emitted += e.delta;
      return;
    }
    // The span: whatever of its text was held back (a partial character) or never streamed.
    const full = e.text;
    if (!row.prefixDone) this.startFill(row, full);
    const rest = full.startsWith(row.emitted) ? full.slice(row.emitted.length) : "";
    if (rest) this.write(rest);
    row.at = row.blanks[row.blanksDone]!.end;
    row.blanksDone += 1;
    row.prefixDone = false;
    row.emitted = "";
  }

  /** Prints the text between the previous blank and this one, as spliceFills joins them. */
  private startFill(row: RowState, fillStart: string): void {
    if (row.prefixDone) return;
    let before = row.text.slice(row.at, row.blanks[row.blanksDone]!.start);
    if (/^\s/u.test(fillStart)) before = before.replace(/\s+$/u, "");
    this.write(before);
    row.prefixDone = true;
  }

  /** Finishes every leading row whose blanks are all done, replaying the next row's held events. */
  private flushDone(): void {
    for (;;) {
      const row = this.rows[this.current];
      if (!row || row.blanksDone < row.blanks.length) return;
      this.write(row.text.slice(row.at) + this.suffix(this.current));
      this.current += 1;
      const next = this.rows[this.current];
      if (!next) return;
      const held = next.pending.splice(0);
      for (const e of held) this.apply(next, e);
    }
  }
}
