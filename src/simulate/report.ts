/**
 * Outputs of a simulation: a summary table, the series as CSV or JSON, and a
 * self-contained HTML report with inline SVG charts. All of it is a pure function of the
 * results: the same inputs give byte-identical files (no dates, no random ids).
 */
import { SimulationResult } from './engine';
import { ASSUMPTIONS, TargetModel } from './model';

export interface ReportContext {
  readonly traceName: string;
  readonly model: TargetModel;
  readonly notes: readonly string[];
}

function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Rows of the summary, one column per policy. */
export function summaryRows(results: readonly SimulationResult[]): string[][] {
  const rows: Array<[string, (r: SimulationResult) => string]> = [
    ['policy', (r) => r.policy],
    ['kind', (r) => r.kind],
    ['metric (signal)', (r) => `${r.metric.name} (${r.metric.signal})`],
    ['target', (r) => `${fmt(r.metric.target, 3)} ${r.metric.targetType}`],
    ['replica-hours', (r) => fmt(r.summary.replicaHours)],
    ['mean ready replicas', (r) => fmt(r.summary.meanReadyReplicas)],
    ['min..max replicas', (r) => `${r.summary.minReplicas}..${r.summary.maxReplicas}`],
    ['scale events (up/down)', (r) => `${r.summary.scaleEvents} (${r.summary.scaleUps}/${r.summary.scaleDowns})`],
    ['flaps (reversal <= 10 min)', (r) => String(r.summary.flaps)],
    ['time above target (controller\'s reading)', (r) => pct(r.summary.timeAboveTarget)],
    ['time saturated (requests queued)', (r) => pct(r.summary.timeSaturated)],
    ['peak queue (requests)', (r) => fmt(r.summary.peakQueue, 1)],
    ['peak latency (s)', (r) => fmt(r.summary.peakLatency, 2)],
  ];
  return rows.map(([label, f]) => [label, ...results.map(f)]);
}

/** A plain-text table for the terminal. */
export function summaryTable(results: readonly SimulationResult[]): string {
  const rows = summaryRows(results);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n') + '\n';
}

function csvQuote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The series as CSV; with several policies, one block of columns per policy. */
export function seriesCsv(results: readonly SimulationResult[]): string {
  const cols = ['desired', 'ready', 'pods', 'metric', 'backlog', 'latency', 'reason'];
  const multi = results.length > 1;
  const header = ['t', 'load', ...results.flatMap((r) => cols.map((c) => (multi ? `${r.policy}.${c}` : c)))];
  const lines = [header.join(',')];
  const n = results[0].samples.length;
  for (let i = 0; i < n; i++) {
    const s0 = results[0].samples[i];
    const cells = [String(s0.t), String(s0.load)];
    for (const r of results) {
      const s = r.samples[i];
      cells.push(String(s.desired), String(s.ready), String(s.pods), String(s.metric), String(s.backlog), String(s.latency), csvQuote(s.reason));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function seriesJson(results: readonly SimulationResult[], ctx: ReportContext): string {
  return `${JSON.stringify({ trace: ctx.traceName, model: ctx.model, assumptions: ASSUMPTIONS, notes: ctx.notes, results }, null, 1)}\n`;
}

// ---- SVG ----

const W = 960;
const PANEL_H = 150;
const PAD_L = 56;
const PAD_R = 16;
const GAP = 34;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Buckets of samples per horizontal pixel, keeping each bucket's max (spikes stay visible). */
function bucketMax(values: readonly number[], buckets: number): number[] {
  if (values.length <= buckets) return [...values];
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * values.length) / buckets));
    let m = -Infinity;
    for (let i = from; i < to; i++) if (values[i] > m) m = values[i];
    out.push(m);
  }
  return out;
}

function polyline(values: readonly number[], x0: number, y0: number, w: number, h: number, max: number, color: string, step: boolean, dash = ''): string {
  const n = values.length;
  const pts: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = x0 + (n === 1 ? 0 : (i * w) / (n - 1));
    const y = y0 + h - (Math.min(values[i], max) / max) * h;
    if (step && i > 0) pts.push(`${x.toFixed(1)},${(y0 + h - (Math.min(values[i - 1], max) / max) * h).toFixed(1)}`);
    pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return `<polyline fill="none" stroke="${color}" stroke-width="1.2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>`;
}

function axis(title: string, y0: number, max: number, duration: number): string {
  const x1 = W - PAD_R;
  const parts = [`<text x="${PAD_L}" y="${y0 - 6}" font-size="12" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${PAD_L}" y1="${y0 + PANEL_H}" x2="${x1}" y2="${y0 + PANEL_H}" stroke="#999"/>`,
    `<line x1="${PAD_L}" y1="${y0}" x2="${PAD_L}" y2="${y0 + PANEL_H}" stroke="#999"/>`];
  for (const f of [0, 0.5, 1]) {
    const y = y0 + PANEL_H - f * PANEL_H;
    parts.push(`<text x="${PAD_L - 4}" y="${(y + 4).toFixed(1)}" font-size="10" text-anchor="end">${fmt(max * f, 2)}</text>`);
    if (f > 0) parts.push(`<line x1="${PAD_L}" y1="${y.toFixed(1)}" x2="${x1}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
  }
  const hours = duration / 3600;
  const stepH = hours <= 2 ? 0.25 : hours <= 30 ? (hours <= 12 ? 1 : 3) : 24;
  for (let h = 0; h <= hours + 1e-9; h += stepH) {
    const x = PAD_L + (h / hours) * (x1 - PAD_L);
    parts.push(`<text x="${x.toFixed(1)}" y="${y0 + PANEL_H + 12}" font-size="10" text-anchor="middle">${stepH < 1 ? `${Math.round(h * 60)}m` : `${fmt(h, 0)}h`}</text>`);
  }
  return parts.join('');
}

/** One SVG: load, metric vs target, and desired/ready replicas with scale events; overlays several policies. */
export function chartSvg(results: readonly SimulationResult[], title: string): string {
  const buckets = W - PAD_L - PAD_R;
  const pw = W - PAD_L - PAD_R;
  const s0 = results[0].samples;
  const duration = s0.length > 1 ? s0[s0.length - 1].t - s0[0].t : 1;
  const panels = 3;
  const H = 30 + panels * (PANEL_H + GAP) + 24 + 16 * results.length;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">${esc(title)}</text>`);
  // Panel 1: load
  let y0 = 40;
  const load = bucketMax(s0.map((s) => s.load), buckets);
  const lmax = niceMax(Math.max(...load));
  out.push(axis('load (requests/s)', y0, lmax, duration));
  out.push(polyline(load, PAD_L, y0, pw, PANEL_H, lmax, '#555', false));
  // Panel 2: metric vs target
  y0 += PANEL_H + GAP;
  const metrics = results.map((r) => bucketMax(r.samples.map((s) => s.metric), buckets));
  // Clip at 5x the largest target, so the target line stays readable next to saturation spikes.
  const topTarget = Math.max(...results.map((r) => r.metric.target));
  const rawMax = Math.max(...metrics.flat(), topTarget * 1.2);
  const mmax = niceMax(Math.min(rawMax, topTarget * 5));
  const names = results.map((r) => r.metric.name).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  out.push(axis(`metric vs target, dashed (${names})${rawMax > mmax ? `, clipped at ${fmt(mmax, 2)}` : ''}`, y0, mmax, duration));
  results.forEach((r, i) => {
    out.push(polyline(metrics[i], PAD_L, y0, pw, PANEL_H, mmax, COLORS[i % COLORS.length], false));
    const ty = y0 + PANEL_H - (Math.min(r.metric.target, mmax) / mmax) * PANEL_H;
    out.push(`<line x1="${PAD_L}" y1="${ty.toFixed(1)}" x2="${W - PAD_R}" y2="${ty.toFixed(1)}" stroke="${COLORS[i % COLORS.length]}" stroke-dasharray="4 3"/>`);
  });
  // Panel 3: replicas
  y0 += PANEL_H + GAP;
  const desired = results.map((r) => bucketMax(r.samples.map((s) => s.desired), buckets));
  const ready = results.map((r) => bucketMax(r.samples.map((s) => s.ready), buckets));
  const rmax = niceMax(Math.max(...desired.flat(), ...ready.flat(), 1));
  out.push(axis('replicas: desired (solid), ready (dotted), scale events (ticks)', y0, rmax, duration));
  results.forEach((r, i) => {
    const c = COLORS[i % COLORS.length];
    out.push(polyline(desired[i], PAD_L, y0, pw, PANEL_H, rmax, c, true));
    out.push(polyline(ready[i], PAD_L, y0, pw, PANEL_H, rmax, c, true, '2 2'));
    for (const e of r.events) {
      const x = PAD_L + (e.t / duration) * pw;
      out.push(`<line x1="${x.toFixed(1)}" y1="${y0 + PANEL_H}" x2="${x.toFixed(1)}" y2="${y0 + PANEL_H + 5}" stroke="${c}"/>`);
    }
  });
  // Legend
  let ly = y0 + PANEL_H + 30;
  results.forEach((r, i) => {
    out.push(`<rect x="${PAD_L}" y="${ly - 9}" width="12" height="3" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${PAD_L + 18}" y="${ly - 4}" font-size="11">${esc(`${r.policy} (${r.kind}): ${fmt(r.summary.replicaHours)} replica-h, ${r.summary.scaleEvents} scale events, ${pct(r.summary.timeAboveTarget)} above target`)}</text>`);
    ly += 16;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A self-contained HTML report: summary, assumptions, the chart, and scale events. */
export function htmlReport(results: readonly SimulationResult[], ctx: ReportContext): string {
  const rows = summaryRows(results);
  const table = `<table>\n${rows.map((r, i) => `<tr>${r.map((c) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n')}\n</table>`;
  const events = results.map((r) => {
    const list = r.events.slice(0, 200).map((e) => `<tr><td>${fmt(e.t / 3600, 3)}</td><td>${e.from} &rarr; ${e.to}</td><td>${esc(e.by)}</td><td>${esc(e.reason)}</td></tr>`).join('\n');
    const more = r.events.length > 200 ? `<p>${r.events.length - 200} more events in the JSON output.</p>` : '';
    return `<h3>${esc(r.policy)}: scale events</h3>\n<table><tr><th>hour</th><th>replicas</th><th>by</th><th>controller's reason</th></tr>\n${list}\n</table>${more}`;
  }).join('\n');
  const m = ctx.model;
  const model = `capacity ${fmt(m.capacityPerReplica)} req/s per replica, start-up ${fmt(m.startupSeconds)} s, scale-down delay ${fmt(m.scaleDownDelaySeconds)} s, base latency ${fmt(m.baseLatencySeconds)} s, ${m.initialReplicas} initial replica(s)`;
  const notes = [...ctx.notes, ...results.flatMap((r) => r.notes.map((n) => `${r.policy}: ${n}`))];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>What-if: ${esc(results.map((r) => r.policy).join(' vs '))}</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}th{background:#f4f4f4}.note{background:#fff6dd;padding:6px 10px}</style>
</head><body>
<h1>What-if: ${esc(results.map((r) => r.policy).join(' vs '))}</h1>
<p>Trace <code>${esc(ctx.traceName)}</code>; target model: ${esc(model)}.</p>
${table}
${chartSvg(results, `${ctx.traceName}: ${results.map((r) => r.policy).join(' vs ')}`)}
${notes.length > 0 ? `<div class="note"><b>Notes</b><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : ''}
<h2>Model assumptions</h2>
<ul>${ASSUMPTIONS.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
<p>The controllers' decisions (HPA replica calculator, tolerances, stabilization, policies, KEDA activation and cooldown, AIBrix KPA/APA) follow their upstream sources; the load-to-metric model above is the approximation.</p>
${events}
</body></html>
`;
}
