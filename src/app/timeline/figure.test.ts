import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KIND_SWATCH } from '../base/colours.ts';
import { buildFigure, GROWER_LAYERS, isTimed, layersOf, momentXs, nearestMoment, pickColumns, stackAt, stackColumns, TOP_LAYERS } from './figure.ts';
import type { Figure } from './figure.ts';
import { fillStack, pixelOf } from './draw.ts';
import { handStats, rounds, seriesText } from '../../lib/testing/handStats.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import { seriesStats } from '../../lib/series/stats.ts';
import { SeriesBuilder } from '../../lib/series/build.ts';
import { parseDump } from '../../lib/index.ts';

const text = seriesText();
const stats = handStats(text);

/** A day at one-minute intervals with eight groups: a slow rise, noise, and one one-moment spike. */
function day(n = 1440, groups = 8): SeriesStats {
  const t0 = Date.UTC(2026, 10, 30, 0, 0, 0);
  const values = Array.from({ length: groups }, (_, g) => Float64Array.from({ length: n }, (_, i) => (g + 1) * 1e6 + i * 1000 * g + ((i * 7919 + g * 104729) % 97) * 1000));
  values[3][700] += 5e8;
  const bytes = new Float64Array(n);
  for (const v of values) for (let i = 0; i < n; i++) bytes[i] += v[i];
  const group = (prefix: string) => values.map((v, g) => ({ key: `${prefix}${g}`, values: v, peak: Math.max(...v) }));
  return {
    times: Array.from({ length: n }, (_, i) => t0 + i * 60_000),
    count: Float64Array.from({ length: n }, (_, i) => 2000 + (i % 50)),
    bytes,
    backed: bytes,
    groups: { kind: group('vmalloc').map((g, k) => ({ ...g, key: ['vmalloc', 'ioremap', 'vmap', 'vm_map_ram', 'unpurged', 'sparse', 'dma-coherent', 'other'][k] })), caller: group('caller_'), module: group('mod_'), node: group('') },
    unpurged: new Float64Array(n),
    vmallocUsed: null,
    largestHole: Float64Array.from({ length: n }, (_, i) => 1e9 - i * 1e5),
  };
}

describe('the moments to draw per pixel column', () => {
  it('keeps every moment when there are at most two per column', () => {
    const xs = Float64Array.from({ length: 30 }, (_, i) => i * 10);
    expect([...pickColumns(xs, new Float64Array(30), 300)]).toEqual([...Array(30).keys()]);
  });

  it('keeps each column’s lowest and highest value, so a one-moment spike survives', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 50, maxLength: 2000 }), fc.integer({ min: 1, max: 40 }), (values, columns) => {
        const xs = Float64Array.from(values, (_, i) => (i * columns) / values.length);
        const picks = pickColumns(xs, values, columns);
        for (let c = 0; c < columns; c++) {
          const inColumn = values.map((v, i) => [v, i] as const).filter(([, i]) => Math.floor(xs[i]) === c);
          if (inColumn.length === 0) continue;
          const picked = [...picks].filter((i) => Math.floor(xs[i]) === c).map((i) => values[i]);
          expect(Math.max(...picked)).toBe(Math.max(...inColumn.map(([v]) => v)));
          expect(Math.min(...picked)).toBe(Math.min(...inColumn.map(([v]) => v)));
        }
        for (let k = 1; k < picks.length; k++) expect(picks[k]).toBeGreaterThan(picks[k - 1]);
      }),
    );
  });

  it('draws at most four moments per column of a line and keeps the first and last moment and the spike', () => {
    const s = day();
    const f = buildFigure(s, 'count', 600, 110);
    const picks = f.lines[0].picks;
    const columns = Math.round(f.plot.right - f.plot.left);
    expect(picks.length).toBeLessThanOrEqual(4 * (columns + 1));
    expect(picks.length).toBeLessThan(1440);
    expect(picks[0]).toBe(0);
    expect(picks[picks.length - 1]).toBe(1439);
  });

  it('shows in each pixel column of the stack the lowest total of its moments solid and the highest as the peak', () => {
    const s = day();
    const f = buildFigure(s, 'kind', 500, 110);
    const cols = stackColumns(f.xs, f.total, f.plot.left, f.plot.right, 2);
    let spikeSeen = false;
    for (let j = 0; j < cols.solidA.length; j++) {
      const col = cols.firstCol + j;
      const inColumn = [...f.xs.keys()].filter((i) => Math.floor(f.xs[i] * 2) === col);
      if (inColumn.length === 0) continue;
      const totals = inColumn.map((i) => s.bytes[i]);
      expect(s.bytes[cols.solidA[j]]).toBe(Math.min(...totals));
      expect(s.bytes[cols.peakA[j]]).toBe(Math.max(...totals));
      if (inColumn.includes(700)) spikeSeen = cols.peakA[j] === 700;
    }
    expect(spikeSeen).toBe(true);
  });

  it('interpolates the stack between two moments further apart than a column', () => {
    const s = day(2);
    const f = buildFigure(s, 'kind', 400, 110);
    const cols = stackColumns(f.xs, f.total, f.plot.left, f.plot.right, 1);
    const mid = cols.solidA.length >> 1;
    expect([cols.solidA[mid], cols.solidB[mid]]).toEqual([0, 1]);
    const tops = stackAt(f.layers, 0, 1, cols.solidT[mid], new Float64Array(f.layers.length));
    expect(tops[tops.length - 1]).toBeCloseTo(s.bytes[0] + cols.solidT[mid] * (s.bytes[1] - s.bytes[0]), 3);
  });
});

/** The pixel rows of one device column that hold a layer colour (solid or faded) in a drawn strip. */
function paintedRows(f: Figure, dpr: number, col: number): { solid: number; faded: number } {
  const w = Math.round(f.widthCss * dpr);
  const h = Math.round(f.heightCss * dpr);
  const px = new Uint32Array(w * h);
  fillStack(px, w, h, f, dpr, 'light');
  const solids = new Set(f.layers.map((l) => pixelOf(l.swatch.light)));
  const fadeds = new Set(f.layers.map((l) => pixelOf(l.swatch.light, 0.45)));
  let solid = 0;
  let faded = 0;
  for (let row = 0; row < h; row++) {
    if (solids.has(px[row * w + col])) solid++;
    if (fadeds.has(px[row * w + col])) faded++;
  }
  return { solid, faded };
}

describe('the stack in pixels', () => {
  it('paints a moment’s column as tall as its bytes on the scale, and a one-moment spike as a faded rise', () => {
    const s = day();
    const f = buildFigure(s, 'kind', 500, 110);
    const dpr = 1;
    const cols = stackColumns(f.xs, f.total, f.plot.left, f.plot.right, dpr);
    const j = [...cols.peakA].indexOf(700);
    const lo = cols.solidA[j];
    const rows = paintedRows(f, dpr, cols.firstCol + j);
    const rowOf = (v: number) => Math.round(f.yLeft(v) * dpr);
    expect(rows.solid).toBe(rowOf(0) - rowOf(s.bytes[lo]));
    expect(rows.faded).toBe(rowOf(s.bytes[lo]) - rowOf(s.bytes[700]));
    expect(rows.faded).toBeGreaterThan(10);
  });
});

describe('the stack', () => {
  it('stacks the kinds of the real series to each moment’s bytes, summed from the text', () => {
    const f = buildFigure(stats, 'kind', 1200, 110);
    const tops = new Float64Array(f.layers.length);
    rounds(text).forEach((r, i) => {
      let bytes = 0;
      for (const line of r.text.split('\n')) if (line.startsWith('0x')) bytes += Number(line.trim().split(/\s+/)[1]);
      expect(stackAt(f.layers, i, i, 0, tops)[tops.length - 1]).toBe(bytes);
    });
  });

  it('stacks the library’s own figures of the real series, in every mode, to each round’s bytes summed from the text', () => {
    const b = new SeriesBuilder();
    const rs = rounds(text);
    rs.forEach((r, i) => b.addParsed({ time: Date.parse(r.stamp), timeFrom: 'stamp', label: r.stamp, zone: '+00:00', source: 'series', line: i + 1 }, parseDump(new TextEncoder().encode(r.text))));
    const lib = seriesStats(b.finish());
    for (const mode of ['kind', 'caller', 'module'] as const) {
      const f = buildFigure(lib, mode, 1200, 110);
      const tops = new Float64Array(f.layers.length);
      rs.forEach((r, i) => {
        let bytes = 0;
        for (const line of r.text.split('\n')) if (line.startsWith('0x')) bytes += Number(line.trim().split(/\s+/)[1]);
        expect(stackAt(f.layers, i, i, 0, tops)[tops.length - 1]).toBe(bytes);
      });
    }
    const nodes = buildFigure(lib, 'node', 1200, 110);
    const tops = new Float64Array(nodes.layers.length);
    rs.forEach((r, i) => {
      let pages = 0;
      for (const m of r.text.matchAll(/ N\d+=(\d+)/g)) pages += Number(m[1]);
      expect(stackAt(nodes.layers, i, i, 0, tops)[tops.length - 1]).toBe(pages * 4096);
    });
  });

  it('colours each kind as the map does', () => {
    for (const layer of layersOf(stats, 'kind')) expect(layer.swatch).toBe(KIND_SWATCH[layer.key as keyof typeof KIND_SWATCH]);
  });

  it(`gives the top ${TOP_LAYERS} callers a layer each and folds the rest into one that keeps the total`, () => {
    const s = handStats(text);
    const layers = layersOf(s, 'caller');
    expect(s.groups.caller.length).toBeGreaterThan(TOP_LAYERS + 1);
    expect(layers).toHaveLength(TOP_LAYERS + 1);
    expect(layers[TOP_LAYERS].other).toBe(true);
    const tops = new Float64Array(layers.length);
    for (let i = 0; i < s.bytes.length; i++) expect(stackAt(layers, i, i, 0, tops)[layers.length - 1]).toBeCloseTo(s.bytes[i], 0);
  });

  it('gives a layer to a slow grower too small to rank among the largest callers', () => {
    const s = day(100, 12);
    // Twelve flat callers of 1–12 MB, and caller_0, the smallest, growing steadily by a little.
    s.groups.caller.forEach((g, k) => g.values.fill((k + 1) * 1e6));
    const small = s.groups.caller[0].values;
    for (let i = 0; i < 100; i++) small[i] = 1000 + i * 10;
    const layers = layersOf(s, 'caller');
    expect(layers.map((l) => l.key)).toContain('caller_0');
    expect(layers.filter((l) => !l.other)).toHaveLength(TOP_LAYERS);
    // The largest groups by peak keep the other slots.
    const byPeak = [...s.groups.caller].sort((a, b) => Math.max(...b.values) - Math.max(...a.values)).map((g) => g.key);
    for (const key of byPeak.slice(0, TOP_LAYERS - GROWER_LAYERS)) expect(layers.map((l) => l.key)).toContain(key);
  });

  it('stacks eight NUMA nodes in node order to their sum, with no "other" layer', () => {
    const s = day();
    const f = buildFigure(s, 'node', 800, 110);
    expect(f.layers.map((l) => l.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => `node ${k}`));
    const tops = new Float64Array(f.layers.length);
    for (let i = 0; i < s.bytes.length; i++) expect(stackAt(f.layers, i, i, 0, tops)[f.layers.length - 1]).toBeCloseTo(s.bytes[i], 0);
  });

  it('draws the area count as a line with no layers', () => {
    const f = buildFigure(stats, 'count', 800, 110);
    expect(f.layers).toEqual([]);
    expect(f.lines.map((l) => l.key)).toEqual(['count']);
    expect(f.yLeft.domain()[1]).toBeGreaterThanOrEqual(Math.max(...stats.count));
    expect(f.leftUnit).toBe('areas');
  });

  it('puts the largest free hole on its own right-hand scale', () => {
    const s = day();
    const f = buildFigure(s, 'kind', 800, 110);
    const hole = f.lines.find((l) => l.key === 'hole');
    expect(hole?.right).toBe(true);
    expect(f.yRight?.domain()[1]).toBeGreaterThanOrEqual(1e9);
    expect(f.yLeft.domain()[1]).toBeGreaterThanOrEqual(Math.max(...s.bytes));
  });
});

describe('the x axis', () => {
  it('spaces the real series’ moments by their stamps, first at the left edge and last at the right', () => {
    const f = buildFigure(stats, 'kind', 1000, 110);
    expect(f.timed).toBe(true);
    expect(f.xs[0]).toBe(f.plot.left);
    expect(f.xs[f.xs.length - 1]).toBeCloseTo(f.plot.right, 6);
    const t = stats.times as number[];
    const k = 10;
    expect((f.xs[k] - f.plot.left) / (f.plot.right - f.plot.left)).toBeCloseTo((t[k] - t[0]) / (t[t.length - 1] - t[0]), 9);
  });

  it('labels the ticks in local 24-hour time', () => {
    const f = buildFigure(stats, 'kind', 1000, 110);
    expect(f.xTicks.length).toBeGreaterThan(2);
    for (const tick of f.xTicks) expect(tick.label).toMatch(/^\d\d:\d\d(:\d\d)?$/);
  });

  it('spaces moments by order when one has no time, and numbers the ticks from 1', () => {
    const times = [1000, null, 3000];
    expect(isTimed(times)).toBe(false);
    const { xs, timed } = momentXs(times, 0, 100);
    expect(timed).toBe(false);
    expect([...xs]).toEqual([0, 50, 100]);
    const s = { ...day(3), times };
    const f = buildFigure(s, 'kind', 400, 110);
    expect(f.xTicks.map((t) => t.label)).toEqual(['#1', '#2', '#3']);
  });

  it('draws a series of two moments at both edges', () => {
    const s = day(2);
    const f = buildFigure(s, 'kind', 400, 110);
    expect([...f.xs]).toEqual([f.plot.left, f.plot.right]);
  });

  it('finds the moment nearest a pointer, ties going to the earlier one', () => {
    const xs = Float64Array.from([0, 10, 20, 40]);
    expect([-5, 0, 4, 5, 6, 29, 31, 100].map((x) => nearestMoment(xs, x))).toEqual([0, 0, 0, 0, 1, 2, 3, 3]);
  });
});
