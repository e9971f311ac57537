// "What grew" over a range of moments: callers, modules or kinds ranked by their growth, each with
// a verdict a kernel engineer can check by eye on its sparkline. Independent of the Series class:
// bytes per moment in, plain numbers out. Pure: no DOM, no Node.
//
// The verdicts and their thresholds (bytes are the group's vmallocinfo sizes summed per moment):
// - "meaningful" change: at least MEANINGFUL_BYTES (64 KiB, 16 pages) and at least
//   MEANINGFUL_SHARE (5 %) of the level it is measured from. Smaller moves are noise (a few
//   thread stacks, one BPF program).
// - 'possible-leak': steady growth that never comes back. All of:
//     net growth is meaningful (against the start);
//     it rose in at least LEAK_MIN_RISES (3) steps, and in at least LEAK_RISE_SHARE (2/3) of the
//       steps where it changed at all;
//     no single step made more than LEAK_MAX_STEP (1/2) of the net (one big jump is a module load
//       or a new map, not a leak);
//     it never fell back by more than LEAK_MAX_DRAWDOWN (1/4) of the net below a level it had
//       reached (what leaks stays).
//   Groups marked `lazy` (unpurged vm_area: freed areas waiting for the kernel's batched TLB flush)
//   are never a possible leak: their build-up until a purge is by design (see lazyFreeEvents).
// - 'burst': rose and came back: the peak stands above both ends by a meaningful amount (against
//   the higher end) and by more than the net change (thread stacks of a fork storm that exit).
// - 'grew' / 'shrank': a meaningful net change, up or down, that is neither of the above.
// - 'steady': none of these. null when the range holds a single moment.

/** A change this small is noise: below 64 KiB … */
export const MEANINGFUL_BYTES = 64 * 1024;
/** … or below 5 % of the level it is measured from. */
export const MEANINGFUL_SHARE = 0.05;
export const LEAK_MIN_RISES = 3;
export const LEAK_RISE_SHARE = 2 / 3;
export const LEAK_MAX_STEP = 1 / 2;
export const LEAK_MAX_DRAWDOWN = 1 / 4;
/** A purge: lazily freed bytes dropping by at least 1 MiB … */
export const PURGE_MIN_BYTES = 1024 * 1024;
/** … and by at least half of what was waiting, in one step. */
export const PURGE_SHARE = 1 / 2;
/** A build-up worth calling out: lazily freed bytes rising by at least 1 MiB before a purge. */
export const BUILDUP_MIN_BYTES = 1024 * 1024;

const HOUR_MS = 3_600_000;
/** Ends closer in time than this give no rate: a per-hour figure from milliseconds says nothing. */
export const MIN_RATE_SPAN_MS = 1000;

export interface GrowthGroup {
  /** A caller, module or kind. */
  key: string;
  /** Bytes per moment (one value per moment of the series). */
  values: Float64Array;
  /** Lazily freed bytes (unpurged vm_area): never called a possible leak. */
  lazy?: boolean;
}

export interface GrowthInput {
  /** Epoch ms per moment, or null for a moment without a time. */
  times: readonly (number | null)[];
  groups: readonly GrowthGroup[];
}

export type Verdict = 'possible-leak' | 'burst' | 'steady' | 'shrank' | 'grew';

export interface Growth {
  key: string;
  /** Bytes at the range's first and last moment, and their difference. */
  start: number;
  end: number;
  net: number;
  /** Net bytes per hour between the range's ends, or null when either end has no time (or they are under MIN_RATE_SPAN_MS apart). */
  perHour: number | null;
  /** Steps (moment to next moment) in the range where the bytes rose, fell; all steps in the range. */
  stepsRose: number;
  stepsFell: number;
  steps: number;
  /** Most bytes in the range, and the first moment (index in the series) that had them. */
  peak: number;
  peakAt: number;
  /** The values in the range (a copy). */
  sparkline: Float64Array;
  verdict: Verdict | null;
}

/** `[from, to]` clamped to the moments there are, in order; null when there are none. */
function clampRange(count: number, from: number, to: number): [number, number] | null {
  if (count <= 0) return null;
  const clamp = (x: number) => (Number.isFinite(x) ? Math.min(count - 1, Math.max(0, Math.trunc(x))) : 0);
  const a = clamp(from);
  const b = Number.isFinite(to) ? clamp(to) : count - 1;
  return a <= b ? [a, b] : [b, a];
}

const meaningful = (bytes: number, level: number) => bytes >= Math.max(MEANINGFUL_BYTES, MEANINGFUL_SHARE * Math.abs(level));

/** Every group's growth over moments `from` … `to` (inclusive), the most grown first (then by peak). */
export function whatGrew(input: GrowthInput, from: number, to: number): Growth[] {
  const out: Growth[] = [];
  for (const group of input.groups) {
    const range = clampRange(group.values.length, from, to);
    if (range) out.push(growthOf(group, input.times, range[0], range[1]));
  }
  return out.sort((a, b) => b.net - a.net || b.peak - a.peak || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function growthOf(group: GrowthGroup, times: readonly (number | null)[], from: number, to: number): Growth {
  const v = group.values;
  const start = v[from];
  const end = v[to];
  const net = end - start;
  let stepsRose = 0;
  let stepsFell = 0;
  let peak = start;
  let peakAt = from;
  let biggestRise = 0;
  let drawdown = 0; // the deepest fall below a level already reached
  for (let k = from + 1; k <= to; k++) {
    const step = v[k] - v[k - 1];
    if (step > 0) stepsRose++;
    else if (step < 0) stepsFell++;
    if (step > biggestRise) biggestRise = step;
    if (v[k] > peak) {
      peak = v[k];
      peakAt = k;
    }
    drawdown = Math.max(drawdown, peak - v[k]);
  }
  const t0 = times[from];
  const t1 = times[to];
  const perHour = t0 !== null && t0 !== undefined && t1 !== null && t1 !== undefined && Math.abs(t1 - t0) >= MIN_RATE_SPAN_MS ? (net * HOUR_MS) / (t1 - t0) : null;
  let verdict: Verdict | null = null;
  if (to > from) {
    const changed = stepsRose + stepsFell;
    const above = peak - Math.max(start, end);
    if (
      !group.lazy &&
      net > 0 &&
      meaningful(net, start) &&
      stepsRose >= LEAK_MIN_RISES &&
      stepsRose >= LEAK_RISE_SHARE * changed &&
      biggestRise <= LEAK_MAX_STEP * net &&
      drawdown <= LEAK_MAX_DRAWDOWN * net
    ) verdict = 'possible-leak';
    else if (meaningful(above, Math.max(start, end)) && above > Math.abs(net)) verdict = 'burst';
    else if (net > 0 && meaningful(net, start)) verdict = 'grew';
    else if (net < 0 && meaningful(-net, start)) verdict = 'shrank';
    else verdict = 'steady';
  }
  return { key: group.key, start, end, net, perHour, stepsRose, stepsFell, steps: to - from, peak, peakAt, sparkline: v.slice(from, to + 1), verdict };
}

export interface LazyFreeEvents {
  /** Lazily freed bytes piling up: from the start or a purge to the highest point before the next purge. */
  buildUps: { from: number; to: number; bytes: number }[];
  /** The kernel purged (flushed) lazily freed areas: the moment after the drop, and the bytes that went. */
  purges: { at: number; bytes: number }[];
}

/**
 * Build-ups and purges of lazily freed bytes (the `unpurged vm_area` lines, per moment). A purge is
 * a drop of at least PURGE_MIN_BYTES and PURGE_SHARE of what was waiting, in one step (the kernel
 * flushes when the lazy total passes lazy_max_pages(), 32 MiB × log2(CPUs), so a purge takes most of
 * it at once). A build-up runs from the start or a purge to the highest value before the next purge
 * (or the end), when it rose by at least BUILDUP_MIN_BYTES.
 */
export function lazyFreeEvents(values: Float64Array): LazyFreeEvents {
  const purges: LazyFreeEvents['purges'] = [];
  const buildUps: LazyFreeEvents['buildUps'] = [];
  const n = values.length;
  let segment = 0;
  const closeSegment = (endExclusive: number) => {
    let top = segment;
    for (let k = segment + 1; k < endExclusive; k++) if (values[k] > values[top]) top = k;
    const bytes = values[top] - values[segment];
    if (top > segment && bytes >= BUILDUP_MIN_BYTES) buildUps.push({ from: segment, to: top, bytes });
  };
  for (let k = 1; k < n; k++) {
    const drop = values[k - 1] - values[k];
    if (drop >= PURGE_MIN_BYTES && drop >= PURGE_SHARE * values[k - 1]) {
      closeSegment(k);
      purges.push({ at: k, bytes: drop });
      segment = k;
    }
  }
  if (n > 0) closeSegment(n);
  return { buildUps, purges };
}

/**
 * The moment with the most bytes and the one with the smallest largest free hole (on 32-bit, the
 * one closest to `vmap allocation for size N failed`); the first of equals; null when there is none
 * (no moments, or no hole known).
 */
export function extremes(bytes: Float64Array, largestHole: readonly (number | null)[]): { mostBytesAt: number | null; smallestHoleAt: number | null } {
  let mostBytesAt: number | null = null;
  for (let k = 0; k < bytes.length; k++) if (mostBytesAt === null || bytes[k] > bytes[mostBytesAt]) mostBytesAt = k;
  let smallestHoleAt: number | null = null;
  for (let k = 0; k < largestHole.length; k++) {
    const h = largestHole[k];
    if (h === null || !Number.isFinite(h)) continue;
    const best = smallestHoleAt === null ? null : largestHole[smallestHoleAt];
    if (best === null || best === undefined || h < best) smallestHoleAt = k;
  }
  return { mostBytesAt, smallestHoleAt };
}
