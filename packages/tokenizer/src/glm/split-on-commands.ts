// Cuts literal command-token strings out of the text before text tokenization, exactly as the
// original `split_on_tokens` does: one pass per command token in list order, Python `split`
// semantics, `lstrip` tokens drop the whitespace before them (Python `rstrip`), `rstrip`
// tokens the whitespace after them.
import type { CommandToken } from "../types.js";
import { pyLstripStart, pyRstripEnd } from "../text/unicode.js";

/** A text range of the input, or a command token found at `start`. */
export interface Segment {
  start: number;
  end: number;
  command: CommandToken | null;
}

export function splitOnCommands(text: string, commands: readonly CommandToken[]): Segment[] {
  let segments: Segment[] = [{ start: 0, end: text.length, command: null }];
  // Most texts hold no command string at all: one native search per token decides that.
  if (!commands.some((c) => c.token.length > 0 && text.includes(c.token))) return segments;
  const byToken = new Map<string, CommandToken>();
  const lengths = new Set<number>();
  for (const c of commands) {
    byToken.set(c.token, c);
    lengths.add(c.token.length);
  }
  const isCommandText = (s: Segment): boolean => lengths.has(s.end - s.start) && byToken.has(text.slice(s.start, s.end));
  for (const cmd of commands) {
    if (cmd.token.length === 0) continue;
    const next: Segment[] = [];
    for (const seg of segments) {
      if (seg.command || isCommandText(seg)) next.push(seg);
      else splitOne(text, seg, cmd, byToken.get(cmd.token)!, next);
    }
    segments = next;
  }
  // A text segment that is itself a command string maps to that command.
  return segments.map((s) => (s.command || !isCommandText(s) ? s : { ...s, command: byToken.get(text.slice(s.start, s.end))! }));
}

function splitOne(text: string, seg: Segment, cmd: CommandToken, mapped: CommandToken, out: Segment[]): void {
  const tok = cmd.token;
  // Python str.split(tok): the pieces between non-overlapping occurrences, left to right.
  const pieces: [number, number][] = [];
  const at: number[] = [];
  let from = seg.start;
  for (;;) {
    const k = text.indexOf(tok, from);
    if (k < 0 || k + tok.length > seg.end) break;
    pieces.push([from, k]);
    at.push(k);
    from = k + tok.length;
  }
  pieces.push([from, seg.end]);
  if (pieces.length === 1) {
    out.push(seg);
    return;
  }
  const last = pieces.length - 1;
  pieces.forEach(([s0, e0], i) => {
    let s = s0;
    let e = e0;
    if (cmd.rstrip && i > 0) s = pyLstripStart(text, s, e);
    if (cmd.lstrip && i < last) e = pyRstripEnd(text, s, e);
    const empty = e <= s;
    const command = (): Segment => ({ start: at[i]!, end: at[i]! + tok.length, command: mapped });
    if (i === 0 && empty) out.push(command());
    else if (i === last) {
      if (!empty) out.push({ start: s, end: e, command: null });
    } else {
      if (!empty) out.push({ start: s, end: e, command: null });
      out.push(command());
    }
  });
}
