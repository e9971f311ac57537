// What the What grew panel shows, from the library's growth analysis (src/lib/series/growth.ts):
// the range it covers, the groups ranked by growth, lazy-free build-ups and purges, and the
// moments with the most bytes and the smallest largest hole; and the panel's sentences.

import { formatBytes, formatCount, LAZILY_FREED } from '../../lib/index.ts';
import { extremes, lazyFreeEvents, whatGrew } from '../../lib/series/growth.ts';
import type { Growth, LazyFreeEvents, Verdict as LibVerdict } from '../../lib/series/growth.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import type { GrowthBy } from './highlight.ts';
import { momentName, signedBytes } from './text.ts';

export type Verdict = LibVerdict | null;

/** One group's growth over [from, to] (the library's whatGrew). */
export type GroupGrowth = Pick<Growth, 'key' | 'start' | 'end' | 'net' | 'perHour' | 'stepsRose' | 'stepsFell' | 'steps' | 'peak' | 'peakAt' | 'verdict'>;

/** Lazily freed bytes piling up (from → to, by `bytes`) and purges (at `at`, `bytes` freed), as moment indices of the series. */
export type LazyFree = LazyFreeEvents;

export interface Extremes {
  mostBytesAt: number;
  /** null when no moment knows its largest hole (addresses hashed or zeroed). */
  smallestHoleAt: number | null;
}

export interface WhatGrew {
  from: number;
  to: number;
  by: Record<GrowthBy, GroupGrowth[]>;
  lazy: LazyFree;
  extremes: Extremes;
}

export const GROWTH_BYS: readonly GrowthBy[] = ['caller', 'module', 'kind'];

export const VERDICT_LABEL: Record<Exclude<Verdict, null>, string> = {
  'possible-leak': 'possible leak',
  burst: 'burst',
  steady: 'steady',
  shrank: 'shrank',
  grew: 'grew',
};

export const VERDICT_TITLE: Record<Exclude<Verdict, null>, string> = {
  'possible-leak': 'Grew step after step and never came back: what a leak looks like',
  burst: 'Rose and came back to where it was: a burst (thread stacks, a test run), not a leak',
  steady: 'Stayed about the same',
  shrank: 'Ended lower than it started',
  grew: 'Ended higher, but not steadily enough to call it a leak',
};

/** The range the panel covers: the one dragged on the strip, else the whole series. */
export function rangeOf(count: number, range: readonly [number, number] | null): [number, number] {
  return range ? [Math.min(range[0], range[1]), Math.max(range[0], range[1])] : [0, count - 1];
}

/** "+1.20 MiB/h", or "—" without times. */
export function perHourText(perHour: number | null): string {
  if (perHour === null || !Number.isFinite(perHour)) return '—';
  return perHour === 0 ? '0 B/h' : `${signedBytes(perHour)}/h`;
}

/** "purge at 01:00:20 freed 38.2 MiB" */
export function purgeText(times: SeriesStats['times'], p: LazyFree['purges'][number]): string {
  return `purge at ${momentName(times, p.at)} freed ${formatBytes(p.bytes)}`;
}

/** "lazily freed areas built up by 38.2 MiB from 00:59:10 to 01:00:16" */
export function buildUpText(times: SeriesStats['times'], b: LazyFree['buildUps'][number]): string {
  return `lazily freed areas built up by ${formatBytes(b.bytes)} from ${momentName(times, b.from)} to ${momentName(times, b.to)}`;
}

/** "From 00:59:06 to 01:01:09 (the whole series, 30 moments)" */
export function rangeText(times: SeriesStats['times'], from: number, to: number, whole: boolean): string {
  const span = `${momentName(times, from)} to ${momentName(times, to)}`;
  return whole ? `From ${span} (the whole series, ${formatCount(to - from + 1)} moments; drag on the strip for a range)` : `From ${span} (the range A–B, ${formatCount(to - from + 1)} moments)`;
}

/** The steps column: "12 of 29 rose". */
export function stepsText(g: Pick<GroupGrowth, 'stepsRose' | 'steps'>): string {
  return `${formatCount(g.stepsRose)} of ${formatCount(g.steps)}`;
}

/** Values of one group between from and to, at most `points` of them (min and max kept per bucket). */
export function sparkPoints(values: ArrayLike<number>, from: number, to: number, points = 48): number[] {
  const n = to - from + 1;
  if (n <= points) return Array.from({ length: n }, (_, k) => values[from + k]);
  const out: number[] = [];
  const buckets = points >> 1;
  for (let b = 0; b < buckets; b++) {
    const a = from + Math.floor((b * n) / buckets);
    const e = from + Math.floor(((b + 1) * n) / buckets);
    let lo = a;
    let hi = a;
    for (let i = a; i < e; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    if (lo <= hi) out.push(values[lo], values[hi]);
    else out.push(values[hi], values[lo]);
  }
  return out;
}

/** The growth of the callers, modules and kinds over [from, to], the lazy-free events and the extremes in it. */
export function whatGrewOf(stats: SeriesStats, from: number, to: number): WhatGrew {
  const by = {} as Record<GrowthBy, GroupGrowth[]>;
  for (const b of GROWTH_BYS) {
    // Lazily freed areas pile up until a purge by design: never a possible leak.
    const groups = stats.groups[b].map((g) => ({ key: g.key, values: g.values, lazy: g.key === LAZILY_FREED || (b === 'kind' && g.key === 'unpurged') }));
    by[b] = whatGrew({ times: stats.times, groups }, from, to);
  }
  const lazy = lazyFreeEvents(stats.unpurged.subarray(from, to + 1));
  const hole = stats.largestHole ? Array.from(stats.largestHole.subarray(from, to + 1), (v) => (Number.isNaN(v) ? null : v)) : [];
  const ex = extremes(stats.bytes.subarray(from, to + 1), hole);
  return {
    from,
    to,
    by,
    // The events' moments are counted from the range's start: back to the series' own.
    lazy: { buildUps: lazy.buildUps.map((b) => ({ from: b.from + from, to: b.to + from, bytes: b.bytes })), purges: lazy.purges.map((p) => ({ at: p.at + from, bytes: p.bytes })) },
    extremes: { mostBytesAt: (ex.mostBytesAt ?? 0) + from, smallestHoleAt: ex.smallestHoleAt === null ? null : ex.smallestHoleAt + from },
  };
}

/** How many build-ups and purges the panel names one by one (the largest); the rest are summed. */
export const LAZY_SHOWN = 3;

/** The largest `limit` events by bytes, in time order, and what the others add up to. */
export function largestEvents<T extends { bytes: number }>(events: readonly T[], at: (e: T) => number, limit = LAZY_SHOWN): { shown: T[]; more: number; moreBytes: number } {
  const byBytes = [...events].sort((a, b) => b.bytes - a.bytes || at(a) - at(b));
  const shown = byBytes.slice(0, limit).sort((a, b) => at(a) - at(b));
  const rest = byBytes.slice(limit);
  return { shown, more: rest.length, moreBytes: rest.reduce((sum, e) => sum + e.bytes, 0) };
}
