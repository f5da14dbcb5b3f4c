// The loss-curve plot as a self-contained SVG string. Hand-written rather than a charting library:
// it is ~100 lines, has no DOM or canvas dependency (so it works in Node and in a worker), and the
// run folder stays viewable in any browser.
import { isEvalRow, type MetricsRow } from "./metrics-log.js";

export interface PlotOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Horizontal reference lines, e.g. the unigram baseline. */
  baselines?: { label: string; value: number }[];
}

const COLORS = ["#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

export function lossCurveSvg(rows: readonly MetricsRow[], options: PlotOptions = {}): string {
  const width = options.width ?? 800;
  const height = options.height ?? 450;
  const pad = { left: 60, right: 170, top: 36, bottom: 44 };
  const train = rows.filter((r) => !isEvalRow(r) && Number.isFinite(r.loss)).map((r) => [r.step, r.loss] as const);
  const evalSplits = new Map<string, [number, number][]>();
  for (const r of rows) {
    if (!isEvalRow(r) || !Number.isFinite(r.loss)) continue;
    const list = evalSplits.get(r.split) ?? [];
    list.push([r.step, r.loss]);
    evalSplits.set(r.split, list);
  }
  const baselines = (options.baselines ?? []).filter((b) => Number.isFinite(b.value));
  const all = [...train, ...[...evalSplits.values()].flat()];
  const ys = [...all.map((p) => p[1]), ...baselines.map((b) => b.value)];
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMin = ys.length ? Math.min(...ys) : 0;
  const yMaxRaw = ys.length ? Math.max(...ys) : 1;
  // Early steps sit far above the rest; cap the axis so the interesting part stays readable.
  const yMax = Math.min(yMaxRaw, yMin + 1.5 * (Math.max(...baselines.map((b) => b.value), percentile(ys, 0.98)) - yMin) + 1e-9);
  const lo = Math.max(0, yMin - 0.05 * (yMax - yMin));
  const x = (v: number) => pad.left + (v / xMax) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (Math.min(v, yMax) - lo) / (yMax - lo || 1)) * (height - pad.top - pad.bottom);
  const path = (pts: readonly (readonly [number, number])[]) => pts.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${pad.left}" y="22" font-size="14">${escapeXml(options.title ?? "loss")}</text>`);
  for (const t of ticks(lo, yMax, 6)) {
    out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${pad.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of ticks(0, xMax, 6)) {
    out.push(`<text x="${x(t).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<text x="${(pad.left + width - pad.right) / 2}" y="${height - 8}" text-anchor="middle">step</text>`);
  out.push(
    `<rect x="${pad.left}" y="${pad.top}" width="${width - pad.left - pad.right}" height="${height - pad.top - pad.bottom}" fill="none" stroke="#888"/>`,
  );

  const legend: [string, string, boolean][] = [];
  if (train.length) {
    out.push(`<path d="${path(train)}" fill="none" stroke="#1f77b4" stroke-opacity="0.25" stroke-width="1"/>`);
    out.push(`<path d="${path(ema(train, 0.95))}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
    legend.push(["train (EMA)", "#1f77b4", false]);
  }
  [...evalSplits].forEach(([name, pts], i) => {
    const c = COLORS[i % COLORS.length]!;
    out.push(`<path d="${path(pts)}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of pts) out.push(`<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
    legend.push([name, c, false]);
  });
  baselines.forEach((b, i) => {
    const c = i === 0 ? "#555" : "#aaa";
    out.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(b.value).toFixed(1)}" y2="${y(b.value).toFixed(1)}" stroke="${c}" stroke-dasharray="6 4"/>`,
    );
    legend.push([`${b.label} (${fmt(b.value)})`, c, true]);
  });
  legend.forEach(([label, c, dashed], i) => {
    const ly = pad.top + 12 + i * 18;
    const lx = width - pad.right + 10;
    out.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${lx + 26}" y="${ly + 4}">${escapeXml(label)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

function ema(pts: readonly (readonly [number, number])[], decay: number): [number, number][] {
  let s = pts[0]?.[1] ?? 0;
  return pts.map(([step, v], i) => {
    s = i === 0 ? v : decay * s + (1 - decay) * v;
    return [step, s];
  });
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

function ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
