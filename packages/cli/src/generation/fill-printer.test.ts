// FillPrinter: streamed output equals spliceFills of the final fills, rows print in input order
// however their events interleave.
import type { FillEvent } from "@glmjs/tasks";
import { spliceFills } from "@glmjs/tasks";
import { describe, expect, it } from "vitest";
import { FillPrinter } from "./fill-printer.js";

type Blank = { start: number; end: number };
const blanksOf = (text: string, mask = "[MASK]"): Blank[] => {
  const out: Blank[] = [];
  for (let i = text.indexOf(mask); i >= 0; i = text.indexOf(mask, i + 1)) out.push({ start: i, end: i + mask.length });
  return out;
};
const token = (row: number, blank: number, delta: string, text: string): FillEvent =>
  ({ type: "token", row, blank, tokenId: 1, index: 0, delta, text }) as FillEvent;
const span = (row: number, blank: number, text: string): FillEvent =>
  ({ type: "span", row, blank, span: { ids: [], score: 0, stoppedOn: null, position: 0 }, text }) as FillEvent;

/** Events of a row's fills: each fill as its deltas (held-back pieces show as ""), then its span. */
function eventsOf(row: number, fills: string[][]): FillEvent[] {
  return fills.flatMap((deltas, blank) => {
    let text = "";
    const tokens = deltas.map((d) => token(row, blank, d, (text += d)));
    return [...tokens, span(row, blank, deltas.join(""))];
  });
}

describe("FillPrinter", () => {
  it("prints each row as spliceFills joins it, in input order, while later rows' events arrive first", () => {
    const texts = ["Paris is the [MASK] of [MASK].", "A [MASK] sat on the [MASK] mat.", "[MASK]"];
    const fills = [
      [[" cap", "ital"], [" France"]],
      [["cat"], []], // a fill without a leading space keeps the text's space; an empty fill leaves the blank empty
      [[" once", "", " upon"]], // "" is a held-back partial character
    ];
    const out: string[] = [];
    const printer = new FillPrinter(
      texts.map((text) => ({ text, blanks: blanksOf(text) })),
      (s) => out.push(s),
    );
    const events = fills.map((f, row) => eventsOf(row, f));
    // Interleave: row 2 and row 1 run ahead of row 0.
    for (const e of [...events[2]!, ...events[1]!.slice(0, 1), ...events[0]!.slice(0, 2), ...events[1]!.slice(1), ...events[0]!.slice(2)]) printer.onEvent(e);
    expect(printer.done).toBe(true);
    const expected = texts
      .map(
        (t, row) =>
          spliceFills(
            t,
            blanksOf(t),
            fills[row]!.map((d) => d.join("")),
          ) + "\n",
      )
      .join("");
    expect(out.join("")).toBe(expected);
    expect(expected).toBe("Paris is the capital of France.\nA cat sat on the  mat.\n once upon\n");
  });

  it("prints the rest of a span that no delta carried, and the row suffix after each row", () => {
    const out: string[] = [];
    const printer = new FillPrinter(
      [{ text: "x [MASK] y", blanks: blanksOf("x [MASK] y") }],
      (s) => out.push(s),
      (row) => `#${row}\n`,
    );
    printer.onEvent(token(0, 0, " ab", " ab"));
    printer.onEvent(span(0, 0, " abc"));
    expect(out.join("")).toBe("x abc y#0\n");
  });
});
