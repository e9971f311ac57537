// A preview of the example Grafana dashboard (docs/grafana/vmscope.json) drawn from a recorded
// series, for the README: there is no Grafana here. Not a Grafana screenshot: each moment of the
// series goes through `vmscope metrics` (metricsText, as the command writes it), the text is read
// back with a Prometheus text parser, and each panel's own query (from the JSON) is evaluated on
// the samples of every moment by the small evaluator below (the three forms the dashboard uses:
// a selector, `sum by (l) (…)`, `topk(n, …)`), then drawn as an SVG per panel in the dashboard's
// grid and photographed with headless Chromium (Debian's, through playwright-core).
//
//   npx tsx scripts/dashboard-preview.ts [SERIES] [OUT.png]
//   default: public/samples/series/host-6.18-hashed-date-Is.txt.gz → docs/grafana/vmscope-preview.png

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { chromium } from 'playwright-core';
import { metricsText } from '../src/lib/analysis/metrics.ts';
import { layoutHintsFrom } from '../src/lib/analysis/meminfo.ts';
import { formatBytes } from '../src/lib/format.ts';
import { buildModel } from '../src/lib/model/model.ts';
import { readSeries } from '../src/lib/series/read.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const seriesPath = process.argv[2] ?? join(root, 'public/samples/series/host-6.18-hashed-date-Is.txt.gz');
const outPath = process.argv[3] ?? join(root, 'docs/grafana/vmscope-preview.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Panel {
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: { custom: { stacking: { mode: string }; fillOpacity: number } } };
  targets: Array<{ expr: string; legendFormat: string }>;
}

interface Dashboard {
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; current?: { value?: string } }> };
}

// ---------------------------------------------------------------------------------------------
// The series, moment by moment, as vmscope metrics writes it and a scraper reads it

let bytes: Uint8Array = readFileSync(seriesPath);
if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
const read = readSeries([{ name: basename(seriesPath), bytes, mtime: null }]);
if (read.kind !== 'series') throw new Error(`${seriesPath}: not a series of moments (${read.kind})`);
const { series } = read;

const moments: Array<{ time: number; samples: Sample[] }> = [];
for (let k = 0; k < series.count; k++) {
  const m = series.moments[k];
  const model = buildModel(series.snapshot(k), layoutHintsFrom(m.capture.meminfo));
  const text = metricsText(model, { top: 20, modules: m.capture.modules, meminfo: m.capture.meminfo });
  const samples = parsePrometheusTextFormat(text).flatMap((f) => f.metrics.map((s) => ({ name: f.name, labels: s.labels ?? {}, value: Number(s.value) })));
  moments.push({ time: m.time ?? k * 60_000, samples });
}

// ---------------------------------------------------------------------------------------------
// The dashboard's queries, evaluated per moment

const dashboard = JSON.parse(readFileSync(join(root, 'docs/grafana/vmscope.json'), 'utf8')) as Dashboard;
const variables: Record<string, string> = { instance: '.*' };
for (const v of dashboard.templating.list) if (v.current?.value) variables[v.name] = v.current.value;

function substitute(expr: string): string {
  return expr.replace(/\$(\w+)/g, (_, name: string) => {
    if (!(name in variables)) throw new Error(`no value for $${name}`);
    return variables[name];
  });
}

/** `name{a="x", b!="y", c=~"re"}` → a filter over samples. */
function selector(text: string): (s: Sample) => boolean {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!m) throw new Error(`not a selector: ${text}`);
  const matchers = [...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map(([, label, op, raw]) => {
    const value = JSON.parse(`"${raw}"`) as string;
    const re = new RegExp(`^(?:${value})$`);
    return (s: Sample) => {
      const v = s.labels[label] ?? '';
      return op === '=' ? v === value : op === '!=' ? v !== value : op === '=~' ? re.test(v) : !re.test(v);
    };
  });
  return (s) => s.name === m[1] && matchers.every((f) => f(s));
}

/** The series of one moment: legend → value. */
function evaluate(expr: string, legend: string, samples: Sample[]): Map<string, number> {
  const name = (labels: Record<string, string>) => legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, l: string) => labels[l] ?? '');
  const out = new Map<string, number>();
  const e = substitute(expr).trim();
  const sumBy = /^sum by \(([\w, ]+)\) \((.*)\)$/.exec(e);
  const topk = /^topk\((\d+),\s*(.*)\)$/.exec(e);
  if (sumBy) {
    const by = sumBy[1].split(',').map((l) => l.trim());
    for (const s of samples.filter(selector(sumBy[2]))) {
      const key = name(Object.fromEntries(by.map((l) => [l, s.labels[l] ?? ''])));
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
  } else if (topk) {
    const chosen = samples.filter(selector(topk[2])).sort((a, b) => b.value - a.value).slice(0, Number(topk[1]));
    for (const s of chosen) out.set(name(s.labels), s.value);
  } else for (const s of samples.filter(selector(e))) out.set(name(s.labels), s.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Drawing: one SVG per panel, in the dashboard's 24-column grid

const PALETTE = ['#7EB26D', '#EAB839', '#6ED0E0', '#EF843C', '#E24D42', '#1F78C1', '#BA43A6', '#705DA0', '#508642', '#CCA300', '#447EBC', '#C15C17', '#890F02', '#0A437C', '#6D1F62', '#584477'];
const COLUMN = 1200 / 24;
const ROW = 30;
const escapeXml = (t: string) => t.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function niceStep(max: number): number {
  const raw = max / 4;
  const p = 2 ** Math.ceil(Math.log2(raw || 1));
  return p;
}

function panelSvg(panel: Panel, width: number, height: number): string {
  const target = panel.targets[0];
  const perMoment = moments.map((m) => evaluate(target.expr, target.legendFormat, m.samples));
  const keys = [...new Set(perMoment.flatMap((m) => [...m.keys()]))];
  const stacked = panel.fieldConfig.defaults.custom.stacking.mode === 'normal';
  const fill = panel.fieldConfig.defaults.custom.fillOpacity / 100;
  // Order series by their last value, largest first (Grafana's legend sort is similar).
  const last = (k: string) => perMoment[perMoment.length - 1].get(k) ?? 0;
  keys.sort((a, b) => last(b) - last(a));
  const legendWidth = stacked ? 0 : 230;
  const left = 70;
  const top = 30;
  const bottom = stacked ? 60 : 24;
  const plotW = width - left - 12 - legendWidth;
  const plotH = height - top - bottom;
  const t0 = moments[0].time;
  const t1 = moments[moments.length - 1].time;
  const x = (t: number) => left + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * plotW);
  const parts: string[] = [`<text x="10" y="19" class="title">${escapeXml(panel.title)}</text>`];
  if (keys.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" class="nodata" text-anchor="middle">No data</text>`);
    return `<svg width="${width}" height="${height}">${parts.join('')}</svg>`;
  }
  const base = new Float64Array(moments.length);
  const layers = keys.map((key) => {
    const lower = Float64Array.from(base);
    const values = perMoment.map((m) => m.get(key));
    values.forEach((v, i) => {
      if (stacked && v !== undefined) base[i] += v;
    });
    const upper = stacked ? Float64Array.from(base) : Float64Array.from(values, (v) => v ?? NaN);
    return { key, lower, upper, values };
  });
  const max = Math.max(...layers.flatMap((l) => [...l.upper].filter((v) => !Number.isNaN(v))), 1);
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  for (let v = 0; v <= yMax + 1; v += step) {
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" class="axis" text-anchor="end">${formatBytes(v)}</text>`);
  }
  const ticks = Math.max(2, Math.floor(plotW / 110));
  for (let k = 0; k <= ticks; k++) {
    const t = t0 + ((t1 - t0) * k) / ticks;
    parts.push(`<text x="${x(t)}" y="${top + plotH + 15}" class="axis" text-anchor="${k === ticks ? 'end' : 'middle'}">${clock(t)}</text>`);
  }
  layers.forEach((l, n) => {
    const colour = PALETTE[n % PALETTE.length];
    // A line breaks where a series has no sample (topk left it out at that moment).
    const runs: number[][] = [];
    let run: number[] = [];
    moments.forEach((m, i) => {
      if (l.values[i] === undefined) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push(i);
    });
    if (run.length) runs.push(run);
    for (const r of runs) {
      const line = r.map((i) => `${x(moments[i].time).toFixed(1)},${y(l.upper[i]).toFixed(1)}`).join(' ');
      if (fill > 0) {
        const floor = [...r].reverse().map((i) => `${x(moments[i].time).toFixed(1)},${y(stacked ? l.lower[i] : 0).toFixed(1)}`).join(' ');
        parts.push(`<polygon points="${line} ${floor}" fill="${colour}" fill-opacity="${fill}"/>`);
      }
      parts.push(`<polyline points="${line}" fill="none" stroke="${colour}" stroke-width="1.2"/>`);
    }
  });
  if (stacked) {
    let lx = left;
    let ly = height - 30;
    layers.forEach((l, n) => {
      const w = 28 + l.key.length * 7.2;
      if (lx + w > width - 8) {
        lx = left;
        ly += 15;
      }
      parts.push(`<rect x="${lx}" y="${ly - 6}" width="12" height="4" fill="${PALETTE[n % PALETTE.length]}"/><text x="${lx + 16}" y="${ly}" class="legend">${escapeXml(l.key)}</text>`);
      lx += w;
    });
  } else {
    const lx = left + plotW + 16;
    parts.push(`<text x="${lx + 214}" y="${top + 2}" class="legendhead" text-anchor="end">Last</text>`);
    layers.slice(0, Math.floor((plotH - 10) / 15)).forEach((l, n) => {
      const ly = top + 16 + n * 15;
      const name = l.key.length > 24 ? `${l.key.slice(0, 23)}…` : l.key;
      parts.push(`<rect x="${lx}" y="${ly - 6}" width="12" height="4" fill="${PALETTE[n % PALETTE.length]}"/><text x="${lx + 16}" y="${ly}" class="legend">${escapeXml(name)}</text><text x="${lx + 214}" y="${ly}" class="legend" text-anchor="end">${l.values[l.values.length - 1] === undefined ? '–' : formatBytes(l.values[l.values.length - 1]!)}</text>`);
    });
  }
  return `<svg width="${width}" height="${height}">${parts.join('')}</svg>`;
}

const rows = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h));
const panelsHtml = dashboard.panels
  .map((p) => {
    const w = p.gridPos.w * COLUMN - 8;
    const h = p.gridPos.h * ROW - 8;
    return `<div class="panel" style="left:${p.gridPos.x * COLUMN + 4}px;top:${p.gridPos.y * ROW + 4}px;width:${w}px;height:${h}px">${panelSvg(p, w, h)}</div>`;
  })
  .join('');
const from = new Date(moments[0].time).toISOString().replace('.000Z', 'Z');
const to = new Date(moments[moments.length - 1].time).toISOString().replace('.000Z', 'Z');
const html = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: #111217; color: #ccccdc; font: 12px Inter, 'DejaVu Sans', sans-serif; }
  header { padding: 10px 12px 4px; } header b { font-size: 15px; color: #fff; } header span { color: #8e8ea0; margin-left: 10px; }
  .grid-area { position: relative; width: 1200px; height: ${rows * ROW + 8}px; margin: 0 0 8px 0; }
  .panel { position: absolute; background: #181b1f; border: 1px solid #2c3235; border-radius: 2px; }
  svg text { fill: #ccccdc; } .title { font-size: 13px; font-weight: 600; } .axis { font-size: 10px; fill: #8e8ea0; }
  .legend { font-size: 11px; } .legendhead { font-size: 11px; fill: #6e9fff; } .grid { stroke: #2c3235; stroke-width: 1; }
  .nodata { font-size: 15px; fill: #8e8ea0; }
  footer { padding: 0 12px 10px; color: #8e8ea0; font-size: 11px; }
</style>
<header><b>${escapeXml(dashboard.title)}</b><span>preview drawn by vmscope from its own metrics of ${escapeXml(basename(seriesPath))}: ${series.count} moments, ${from} to ${to} (UTC)</span></header>
<div class="grid-area">${panelsHtml}</div>
<footer>Not a Grafana screenshot: scripts/dashboard-preview.ts evaluates each panel's query from docs/grafana/vmscope.json on vmscope metrics of every moment. ${moments[0].samples.some((s) => s.name === 'vmscope_dump_info' && s.labels.pointer_mode !== 'raw') ? 'This recording has hashed addresses, so vmscope leaves the free-space families out and "Largest free hole" has no data; run as root for real addresses.' : ''}</footer>`;

const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 600 }, deviceScaleFactor: 1 });
  await page.setContent(html);
  writeFileSync(outPath, await page.screenshot({ fullPage: true }));
  process.stdout.write(`${outPath}: ${series.count} moments of ${basename(seriesPath)}\n`);
} finally {
  await browser.close();
}
