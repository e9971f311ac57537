// What the timeline strip draws, without a canvas: the moments' x positions (time, or order when a
// moment has no time), the layers stacked by kind, caller, module or node (top ones + "other"),
// the lines (area count, VmallocUsed, the largest free hole on its own scale), and which moments
// each pixel column shows. Pure: the strip's canvas code (draw.ts) only walks what this returns.
//
// The stack is drawn column by column, not as paths: 1,440 moments × 9 jagged layers filled as
// anti-aliased polygons took 20–35 ms in software Chromium, as columns ~1 ms. A column holding
// several moments shows the stack of its lowest total solid and the rise to its highest faded,
// so neither a one-moment burst nor a one-moment purge is lost; between moments the stack is
// interpolated, as an area chart would be.
//
// Coordinate spaces: a moment index i; CSS pixels across the strip (`xCss`, from its left edge);
// CSS pixels down the plot (`yCss`, from its top); device pixel columns (`col`), used only by
// stackColumns for the canvas (draw.ts applies the device pixel ratio).

import { scaleLinear, scaleTime } from 'd3-scale';
import type { ScaleLinear, ScaleTime } from 'd3-scale';
import { CATEGORICAL, KIND_SWATCH } from '../base/colours.ts';
import type { Swatch } from '../base/colours.ts';
import { LAZILY_FREED, NO_CALLER, VM_MAP_RAM } from '../../lib/index.ts';
import { NOT_A_MODULE, OTHER_GROUP } from '../../lib/series/stats.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';

/** What the strip stacks: bytes by kind, top callers, modules, NUMA nodes, or the area count alone. */
export const STRIP_MODES = ['kind', 'caller', 'module', 'node', 'count'] as const;
export type StripMode = (typeof STRIP_MODES)[number];

export const STRIP_MODE_LABEL: Record<StripMode, string> = {
  kind: 'kinds',
  caller: 'callers',
  module: 'modules',
  node: 'nodes',
  count: 'areas',
};

/** What the legend says the stack shows. */
export const STRIP_MODE_UNIT: Record<StripMode, string> = {
  kind: 'Bytes by kind',
  caller: 'Bytes by caller',
  module: 'Bytes by module',
  node: 'Backed pages by node',
  count: 'Areas',
};

export const STRIP_MODE_TITLE: Record<StripMode, string> = {
  kind: 'Bytes over time, stacked by kind (the map’s colours)',
  caller: 'Bytes over time, stacked by the top callers and the rest',
  module: 'Bytes over time, stacked by the top modules and the rest',
  node: 'Backed pages over time, stacked by NUMA node',
  count: 'How many areas there are over time',
};

/** How many callers, modules or nodes get a layer of their own; the rest are one "other" layer. */
export const TOP_LAYERS = 8;
/** Of those, how many go to the groups that grew most over the series (see layersOf). */
export const GROWER_LAYERS = 2;

// Darker than the lazily freed grey (KIND_SWATCH.unpurged), which a caller layer may use too.
export const OTHER_SWATCH: Swatch = { light: '#858b94', dark: '#8d939c' };
/** The caller groups of lines that print none, in their kind's colour. */
const NO_CALLER_SWATCH: Record<string, Swatch> = {
  [LAZILY_FREED]: KIND_SWATCH.unpurged,
  [VM_MAP_RAM]: KIND_SWATCH.vm_map_ram,
  [NO_CALLER]: { light: '#8c6d5a', dark: '#b8927b' },
};
/** Areas of no module (the map's "built-in" grey). */
export const NONE_SWATCH: Swatch = { light: '#dfe2e6', dark: '#3d4249' };
export const COUNT_SWATCH: Swatch = { light: '#2459c7', dark: '#8ab0ff' };
/** VmallocUsed: the page's text colour, dashed. */
export const USED_SWATCH: Swatch = { light: '#1c1e21', dark: '#e4e6e9' };
/** The largest free hole, on its own right-hand scale. */
export const HOLE_SWATCH: Swatch = { light: '#c2185b', dark: '#f06292' };

export interface Layer {
  key: string;
  label: string;
  swatch: Swatch;
  values: Float64Array;
  /** The layer folding the smaller groups together. */
  other: boolean;
}

export interface Line {
  key: 'count' | 'used' | 'hole';
  label: string;
  swatch: Swatch;
  values: Float64Array;
  /** On the right-hand scale (the largest hole) rather than the left. */
  right: boolean;
  dashed: boolean;
  /** The moments to draw it through (see pickColumns), ascending. */
  picks: Uint32Array;
}

export interface Tick {
  xCss: number;
  label: string;
}

export interface Figure {
  mode: StripMode;
  widthCss: number;
  heightCss: number;
  /** The plot's box inside the strip, CSS px. */
  plot: { left: number; right: number; top: number; bottom: number };
  /** Whether x is time (every moment has one, and they span some time) or moment order. */
  timed: boolean;
  /** Per moment, its x in CSS px (non-decreasing). */
  xs: Float64Array;
  /** Bottom to top. */
  layers: Layer[];
  /** What the stack's top sums to per moment (bytes; node pages × 4096; areas in count mode). */
  total: Float64Array;
  lines: Line[];
  /** Left scale (bytes, or areas in count mode) → CSS px down the strip. */
  yLeft: ScaleLinear<number, number>;
  /** Its ticks: round numbers of KiB, MiB or GiB for bytes. */
  leftTicks: number[];
  /** Right scale (the largest hole's bytes), or null without one. */
  yRight: ScaleLinear<number, number> | null;
  rightTicks: number[];
  xTicks: Tick[];
  /** What the left scale counts. */
  leftUnit: 'bytes' | 'areas';
}

/** Space around the plot for the axes' labels, CSS px. */
export const MARGIN = { left: 58, right: 58, rightBare: 28, top: 8, bottom: 20 };

/**
 * The moments to draw, so that a line through them looks like one through all of them: every
 * moment when there are at most two per pixel column, else per column its first, lowest, highest
 * and last moment (M4), so a spike narrower than a pixel is still drawn. NaN values are never the
 * lowest or highest but may be first or last (a gap stays a gap).
 */
export function pickColumns(xs: Float64Array, values: ArrayLike<number>, columns: number): Uint32Array {
  const n = xs.length;
  if (n <= 2 * Math.max(1, columns)) return Uint32Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  let i = 0;
  while (i < n) {
    const column = Math.floor(xs[i]);
    let j = i;
    let lo = -1;
    let hi = -1;
    while (j < n && Math.floor(xs[j]) === column) {
      const v = values[j];
      if (!Number.isNaN(v)) {
        if (lo < 0 || v < values[lo]) lo = j;
        if (hi < 0 || v > values[hi]) hi = j;
      }
      j++;
    }
    const group = [i, lo, hi, j - 1].filter((k) => k >= 0).sort((a, b) => a - b);
    for (const k of group) if (out[out.length - 1] !== k) out.push(k);
    i = j;
  }
  return Uint32Array.from(out);
}

/** Whether the strip can put the moments on a time axis: all have a time, and they span some. */
export function isTimed(times: readonly (number | null)[]): boolean {
  if (times.length < 2 || times.some((t) => t === null || !Number.isFinite(t))) return false;
  for (let i = 1; i < times.length; i++) if ((times[i] as number) < (times[i - 1] as number)) return false;
  return (times[times.length - 1] as number) > (times[0] as number);
}

function sumOf(groups: readonly { values: Float64Array }[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (const g of groups) for (let i = 0; i < n; i++) out[i] += g.values[i];
  return out;
}

/** The layers of one mode: kinds in the map's colours; the top callers, modules or nodes and the rest. */
export function layersOf(stats: SeriesStats, mode: StripMode, top = TOP_LAYERS): Layer[] {
  if (mode === 'count') return [];
  const n = stats.times.length;
  const groups = stats.groups[mode];
  if (mode === 'kind') {
    return groups.map((g) => ({ key: g.key, label: g.key, swatch: KIND_SWATCH[g.key as keyof typeof KIND_SWATCH] ?? KIND_SWATCH.other, values: g.values, other: false }));
  }
  // Areas of no module lie at the bottom in the map's "built-in" grey, so the modules stack on them.
  const base = mode === 'module' ? groups.find((g) => g.key === NOT_A_MODULE) : undefined;
  const folded = groups.find((g) => g.key === OTHER_GROUP);
  // The groups come sorted by their peak; rank by it again so the order does not depend on that.
  const ranked = groups.filter((g) => g !== base && g !== folded).sort((a, b) => peak(b.values) - peak(a.values) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let shown = ranked;
  if (ranked.length > top + 1 || (folded && ranked.length > top)) {
    // Most of the layers go to the largest groups; GROWER_LAYERS to the ones that grew most from the
    // first moment to the last, so that a slow leak too small to rank by size still has its own colour.
    const n1 = n - 1;
    const growers = ranked
      .slice(top - GROWER_LAYERS)
      .filter((g) => g.values[n1] - g.values[0] > 0)
      .sort((a, b) => b.values[n1] - b.values[0] - (a.values[n1] - a.values[0]))
      .slice(0, GROWER_LAYERS);
    const bySize = ranked.filter((g) => !growers.includes(g)).slice(0, top - growers.length);
    shown = ranked.filter((g) => bySize.includes(g) || growers.includes(g));
  }
  const rest = ranked.filter((g) => !shown.includes(g));
  if (folded) rest.push(folded);
  // NUMA nodes stack in node order, node 0 at the bottom.
  if (mode === 'node') shown.sort((a, b) => nodeNumber(a.key) - nodeNumber(b.key));
  // Lines without a caller keep their kind's colour (lazily freed areas grey, as on the map); the
  // named ones take the categorical colours in rank order.
  let next = 0;
  const layers: Layer[] = shown.map((g) => ({
    key: g.key,
    label: mode === 'node' ? `node ${nodeNumber(g.key)}` : g.key,
    swatch: (mode === 'caller' ? NO_CALLER_SWATCH[g.key] : undefined) ?? CATEGORICAL[next++ % CATEGORICAL.length],
    values: g.values,
    other: false,
  }));
  if (rest.length > 0) layers.push({ key: '*other*', label: `other ${mode === 'caller' ? 'callers' : mode === 'module' ? 'modules' : 'nodes'}`, swatch: OTHER_SWATCH, values: sumOf(rest, n), other: true });
  if (base) layers.unshift({ key: base.key, label: 'not a module', swatch: NONE_SWATCH, values: base.values, other: true });
  return layers;
}

/** A node group's number from its key ("0" or "N0"). */
function nodeNumber(key: string): number {
  const m = /^N?(\d+)$/.exec(key);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

function peak(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

function maxOf(values: ArrayLike<number> | null | undefined): number {
  if (!values) return 0;
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

/** x of every moment: by time when isTimed, else by order. */
export function momentXs(times: readonly (number | null)[], left: number, right: number): { xs: Float64Array; timed: boolean; scale: ScaleTime<number, number> | ScaleLinear<number, number> } {
  const n = times.length;
  const timed = isTimed(times);
  const scale = timed
    ? scaleTime()
        .domain([new Date(times[0] as number), new Date(times[n - 1] as number)])
        .range([left, right])
    : scaleLinear()
        .domain([0, Math.max(1, n - 1)])
        .range(n === 1 ? [(left + right) / 2, (left + right) / 2] : [left, right]);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = timed ? (scale as ScaleTime<number, number>)(new Date(times[i] as number)) : (scale as ScaleLinear<number, number>)(i);
  return { xs, timed, scale };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A local clock time: 01:00:20, or 01:00 when every tick falls on a minute. */
export function clockText(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  return seconds ? `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` : `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Time ticks in local time, 24-hour; a day's first tick (and the first one) names the date when the span crosses days. */
export function timeTicks(scale: ScaleTime<number, number>, widthCss: number): Tick[] {
  // Whole seconds only: a stamp is written to the second.
  const dates = scale.ticks(Math.max(2, Math.floor(widthCss / 110))).filter((d) => d.getMilliseconds() === 0);
  const seconds = dates.some((d) => d.getSeconds() !== 0 || d.getMilliseconds() !== 0);
  const [a, b] = scale.domain();
  const days = new Date(a).toDateString() !== new Date(b).toDateString();
  let lastDay = '';
  return dates.map((d) => {
    const day = d.toDateString();
    const clock = clockText(d.getTime(), seconds);
    const label = days && day !== lastDay ? `${MONTHS[d.getMonth()]} ${d.getDate()} ${clock}` : clock;
    lastDay = day;
    return { xCss: scale(d), label };
  });
}

/** Moment-number ticks (1-based) when the moments are spaced by order. */
export function orderTicks(scale: ScaleLinear<number, number>, count: number, widthCss: number): Tick[] {
  return scale
    .ticks(Math.min(count, Math.max(2, Math.floor(widthCss / 80))))
    .filter((i) => Number.isInteger(i) && i >= 0 && i < count)
    .map((i) => ({ xCss: scale(i), label: `#${i + 1}` }));
}

/** Everything the strip draws for these figures, this mode and this size. */
export function buildFigure(stats: SeriesStats, mode: StripMode, widthCss: number, heightCss: number): Figure {
  const n = stats.times.length;
  // Without a right-hand scale the plot runs on to the edge, less the half of a time label.
  const marginRight = stats.largestHole ? MARGIN.right : MARGIN.rightBare;
  const plot = { left: MARGIN.left, right: Math.max(MARGIN.left + 1, widthCss - marginRight), top: MARGIN.top, bottom: Math.max(MARGIN.top + 1, heightCss - MARGIN.bottom) };
  const { xs, timed, scale } = momentXs(stats.times, plot.left, plot.right);
  const columns = Math.max(1, Math.round(plot.right - plot.left));
  const layers = layersOf(stats, mode);

  // The stack's top is the total (kinds, callers, modules sum to the bytes; nodes to the pages).
  const total = mode === 'count' ? stats.count : mode === 'kind' ? stats.bytes : sumOf(layers, n);

  const lines: Line[] = [];
  if (mode === 'count') lines.push({ key: 'count', label: 'areas', swatch: COUNT_SWATCH, values: stats.count, right: false, dashed: false, picks: pickColumns(xs, stats.count, columns) });
  // In node mode too: since 5.3 VmallocUsed counts the pages backing vmalloc allocations, as the
  // nodes' N<id>= counts do (it is 0 in 4.4–5.2).
  if (stats.vmallocUsed && mode !== 'count') {
    lines.push({ key: 'used', label: 'VmallocUsed (meminfo)', swatch: USED_SWATCH, values: stats.vmallocUsed, right: false, dashed: true, picks: pickColumns(xs, stats.vmallocUsed, columns) });
  }
  if (stats.largestHole) {
    lines.push({ key: 'hole', label: 'largest free hole', swatch: HOLE_SWATCH, values: stats.largestHole, right: true, dashed: false, picks: pickColumns(xs, stats.largestHole, columns) });
  }

  const leftMax = Math.max(mode === 'count' ? maxOf(stats.count) : maxOf(total), ...lines.filter((l) => !l.right).map((l) => maxOf(l.values)), 1);
  const left = mode === 'count' ? countScale(leftMax, plot) : byteScale(leftMax, plot);
  const hole = lines.find((l) => l.right);
  const right = hole ? byteScale(Math.max(1, maxOf(hole.values)), plot) : null;
  const xTicks = timed ? timeTicks(scale as ScaleTime<number, number>, plot.right - plot.left) : orderTicks(scale as ScaleLinear<number, number>, n, plot.right - plot.left);
  return { mode, widthCss, heightCss, plot, timed, xs, layers, total, lines, yLeft: left.scale, leftTicks: left.ticks, yRight: right?.scale ?? null, rightTicks: right?.ticks ?? [], xTicks, leftUnit: mode === 'count' ? 'areas' : 'bytes' };
}

type Box = { top: number; bottom: number };

/** A byte scale from 0 whose ticks are round in the binary unit of its top (0, 50, 100 MiB, not 47.7 MiB). */
export function byteScale(max: number, plot: Box): { scale: ScaleLinear<number, number>; ticks: number[] } {
  let unit = 1;
  while (max / unit >= 1024 && unit < 1024 ** 4) unit *= 1024;
  const inUnits = scaleLinear().domain([0, max / unit]).nice(3);
  const top = inUnits.domain()[1] * unit;
  return { scale: scaleLinear().domain([0, top]).range([plot.bottom, plot.top]), ticks: inUnits.ticks(3).map((v) => v * unit) };
}

function countScale(max: number, plot: Box): { scale: ScaleLinear<number, number>; ticks: number[] } {
  const scale = scaleLinear().domain([0, max]).range([plot.bottom, plot.top]).nice(3);
  return { scale, ticks: scale.ticks(3).filter(Number.isInteger) };
}

/**
 * Per device pixel column of the plot, the moments it shows, as blends `a + t·(b − a)` of two
 * moments: `solid*` the lowest total of the moments in the column (or the interpolation between
 * its neighbours when it holds none), `peak*` the highest. a = −1: no data under the column.
 */
export interface StackColumns {
  /** Device pixel column of index 0. */
  firstCol: number;
  solidA: Int32Array;
  solidB: Int32Array;
  solidT: Float32Array;
  peakA: Int32Array;
  peakB: Int32Array;
  peakT: Float32Array;
}

export function stackColumns(xs: Float64Array, total: ArrayLike<number>, leftCss: number, rightCss: number, dpr: number): StackColumns {
  const firstCol = Math.floor(leftCss * dpr);
  const lastCol = Math.floor(rightCss * dpr);
  const m = Math.max(0, lastCol - firstCol + 1);
  const out: StackColumns = {
    firstCol,
    solidA: new Int32Array(m).fill(-1),
    solidB: new Int32Array(m).fill(-1),
    solidT: new Float32Array(m),
    peakA: new Int32Array(m).fill(-1),
    peakB: new Int32Array(m).fill(-1),
    peakT: new Float32Array(m),
  };
  const n = xs.length;
  let i = 0;
  for (let j = 0; j < m; j++) {
    const col = firstCol + j;
    while (i < n && Math.floor(xs[i] * dpr) < col) i++;
    if (i < n && Math.floor(xs[i] * dpr) === col) {
      let lo = i;
      let hi = i;
      let k = i;
      while (k < n && Math.floor(xs[k] * dpr) === col) {
        if (total[k] < total[lo]) lo = k;
        if (total[k] > total[hi]) hi = k;
        k++;
      }
      out.solidA[j] = out.solidB[j] = lo;
      out.peakA[j] = out.peakB[j] = hi;
    } else if (i > 0 && i < n) {
      const p = i - 1;
      const xc = (col + 0.5) / dpr;
      const t = xs[i] > xs[p] ? Math.min(1, Math.max(0, (xc - xs[p]) / (xs[i] - xs[p]))) : 0;
      out.solidA[j] = out.peakA[j] = p;
      out.solidB[j] = out.peakB[j] = i;
      out.solidT[j] = out.peakT[j] = t;
    }
  }
  return out;
}

/** The stacked tops of the layers (bottom to top) at the blend a + t·(b − a), into `out`. */
export function stackAt(layers: readonly Layer[], a: number, b: number, t: number, out: Float64Array): Float64Array {
  let sum = 0;
  for (let k = 0; k < layers.length; k++) {
    const v = layers[k].values;
    sum += t === 0 ? v[a] : v[a] + t * (v[b] - v[a]);
    out[k] = sum;
  }
  return out;
}

/** The moment nearest to an x in CSS px (binary search over the non-decreasing xs). */
export function nearestMoment(xs: Float64Array, xCss: number): number {
  const n = xs.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < xCss) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  if (lo === n) return n - 1;
  return xCss - xs[lo - 1] <= xs[lo] - xCss ? lo - 1 : lo;
}
