// The filled sentence (blanks highlighted) and each blank's best single tokens.
import type { BlankCandidates } from "@glmjs/tasks";

const BLANK = /\[[sg]?MASK\]/g;

/** `text` with its blanks replaced by `fills`, as @glmjs/tasks' spliceFills joins them, each fill highlighted. */
export function renderFilled(output: HTMLElement, text: string, fills: readonly string[]): void {
  const parts = text.split(BLANK);
  const nodes: Node[] = [];
  parts.forEach((part, i) => {
    const fill = fills[i];
    nodes.push(document.createTextNode(fill !== undefined && /^\s/u.test(fill) ? part.replace(/\s+$/u, "") : part));
    if (i < parts.length - 1) {
      const mark = document.createElement("mark");
      mark.className = "blank";
      mark.textContent = fill ?? "";
      nodes.push(mark);
    }
  });
  output.replaceChildren(...nodes);
}

export function renderCandidates(container: HTMLElement, blanks: readonly BlankCandidates[], endId: number): void {
  container.replaceChildren(
    ...blanks.map((b, i) => {
      const table = document.createElement("table");
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
