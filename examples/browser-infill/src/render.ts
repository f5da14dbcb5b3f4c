// Drawing the filled text (each blank highlighted, growing token by token) and the candidates.
import type { BlankCandidates } from "@glmjs/tasks";

/**
 * The text with each blank replaced by its fill so far, as @glmjs/tasks' spliceFills joins them
 * (a fill that starts with a space takes the place of the whitespace before its blank).
 */
export function renderFilled(
  output: HTMLElement,
  text: string,
  blanks: readonly { start: number; end: number }[],
  fills: readonly (string | undefined)[],
): void {
  const nodes: Node[] = [];
  let at = 0;
  blanks.forEach((b, i) => {
    let before = text.slice(at, b.start);
    const fill = fills[i];
    if (fill !== undefined && /^\s/u.test(fill)) before = before.replace(/\s+$/u, "");
    nodes.push(document.createTextNode(before));
    const mark = document.createElement("mark");
    mark.className = fill === undefined ? "blank pending" : "blank";
    mark.dataset.blank = String(i);
    mark.textContent = fill ?? "";
    nodes.push(mark);
    at = b.end;
  });
  nodes.push(document.createTextNode(text.slice(at)));
  output.replaceChildren(...nodes);
}

/** One small table per blank: its k best single tokens with their probabilities (`endId`: the blank ends here). */
export function renderCandidates(container: HTMLElement, blanks: readonly BlankCandidates[], endId: number): void {
  container.replaceChildren(
    ...blanks.map((b, i) => {
      const table = document.createElement("table");
      table.dataset.blank = String(i);
      table.createCaption().textContent = `blank ${i + 1}`;
      const top = b.candidates[0]?.probability ?? 1;
      for (const c of b.candidates) {
        const row = table.insertRow();
        const token = row.insertCell();
        token.className = c.id === endId ? "token end" : "token";
        token.textContent = c.id === endId ? "(end of blank)" : JSON.stringify(c.text);
        const p = row.insertCell();
        p.className = "p";
        const bar = document.createElement("span");
        bar.className = "bar";
        bar.style.width = `${Math.max(2, Math.round((80 * c.probability) / top))}px`;
        p.append(bar, `${(100 * c.probability).toFixed(1)}%`);
      }
      return table;
    }),
  );
}
