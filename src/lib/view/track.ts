// The track: where each area sits along the map's one dimension.
//
// Coordinate spaces, named everywhere they appear:
//   address  — exact kernel virtual address (bigint; hi/lo halves in the columns)
//   display  — a Number measured in bytes from the track's start. In linear mode display =
//              address − base, exact while the span stays below 2^53 (46 TiB from the x86_64
//              vmalloc base to the top of the module area is 2^45.4). In collapsed mode every
//              hole above a threshold is shrunk to a fixed width (a "break" that keeps its true
//              size). Without real addresses (hashed, masked, zero) areas are packed back to back
//              in file order, adjacency chains kept together, and each place where a gap of
//              unknown size may lie is a zero-width break marked `unknown`.
//   cssPx    — CSS pixels across a map of a given width: the view maths (view.ts), labels and
//              their placement (labels.ts). Device pixels only in src/app's renderer.

import { toBigInt } from '../addr.ts';
import { lowerBound } from '../lowerBound.ts';
import type { Model } from '../model/model.ts';
import type { Evidence } from '../model/layout.ts';

export interface TrackOptions {
  /** Shrink holes above `threshold` bytes to breaks (raw mode only). */
  collapse: boolean;
  /** Default: chosen by `defaultThreshold`. */
  threshold?: number;
  /** Display width of each break. Default: 1/40 of the bytes in areas, at least a page. */
  breakWidth?: number;
}

export interface Break {
  /** Display position of the break's left edge. */
  at: number;
  /** Display width given to it (0 for unknown gaps). */
  width: number;
  /** The true bytes it stands for; NaN when unknown. */
  bytes: number;
  /** Exact address range hidden by the break (raw mode), else null. */
  start: bigint | null;
  end: bigint | null;
  unknown: boolean;
  /** Display position k of the area before the break (its index into `seq`). */
  after: number;
}

/** A layout region placed on the track (display from/to), for a labelled band. */
export interface TrackRegion {
  id: string;
  label: string;
  from: number;
  to: number;
  start: bigint;
  end: bigint;
  /** Bounds fitted to this dump (KASLR, a 32-bit start) rather than taken from the layout's table. */
  inferred: boolean;
  /** What fixed each bound (layout.ts). */
  startFrom: Evidence;
  endFrom: Evidence;
}

export interface Track {
  model: Model;
  /** True when display positions stand for real addresses (raw mode). */
  exact: boolean;
  collapsed: boolean;
  threshold: number;
  /** Address at display position 0 (raw), else 0n. */
  base: bigint;
  /** Area indices in display order. */
  seq: Uint32Array;
  /** Display start of seq[k]. Non-decreasing. */
  pos: Float64Array;
  /** Display length of seq[k] (its size). */
  len: Float64Array;
  /** Display length of the whole track. */
  total: number;
  /** Breaks in display order. */
  breaks: Break[];
  /** Layout regions placed on the track, for labelled bands. */
  regions: TrackRegion[];
}

/** Holes at least this big become breaks by default: 1/64 of the bytes in areas, at least 64 MiB. */
export function defaultThreshold(model: Model): number {
  return Math.max(64 << 20, model.totals.all.bytes / 64);
}

/** Collapse by default when the linear map would be mostly empty (under a quarter occupied). */
export function collapseHelps(model: Model): boolean {
  if (!model.byAddress || model.snapshot.count === 0) return false;
  const c = model.snapshot.columns;
  const first = model.order[0];
  let last = first;
  for (let k = 0; k < model.order.length; k++) {
    const i = model.order[k];
    if (c.endHi[i] > c.endHi[last] || (c.endHi[i] === c.endHi[last] && c.endLo[i] > c.endLo[last])) last = i;
  }
  const span = (c.endHi[last] - c.startHi[first]) * 4294967296 + (c.endLo[last] - c.startLo[first]);
  return model.totals.all.bytes < span / 4;
}

export function buildTrack(model: Model, options: TrackOptions): Track {
  return model.byAddress ? addressTrack(model, options) : packedTrack(model);
}

/**
 * Raw mode: areas at their addresses, big holes optionally collapsed. The track spans the areas
 * and the detected layout's regions, so the whole vmalloc range shows even where it is empty.
 */
function addressTrack(model: Model, options: TrackOptions): Track {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const seq = model.order;
  const threshold = options.threshold ?? defaultThreshold(model);
  const collapse = options.collapse;
  // Whole pages, so display positions stay integers and convert to addresses exactly.
  const breakWidth = options.breakWidth ?? Math.max(4096, Math.round(Math.min(threshold, model.totals.all.bytes / 40) / 4096) * 4096);
  const pos = new Float64Array(n);
  const len = new Float64Array(n);
  const breaks: Break[] = [];
  const regions = model.layout?.regions ?? [];
  let base = n > 0 ? toBigInt(c.startHi[seq[0]], c.startLo[seq[0]]) : 0n;
  let top = base;
  for (const r of regions) {
    if (r.start < base) base = r.start;
    if (r.end > top) top = r.end;
  }
  const baseHi = Number(base >> 32n);
  const baseLo = Number(base & 0xffffffffn);

  // display = linear − hidden, where linear = address − base and `hidden` grows by
  // (hole − width) at each break.
  let hidden = 0;
  let linearEnd = 0; // linear end of everything placed so far
  const hole = (k: number, linearFrom: number, linearTo: number) => {
    const bytes = linearTo - linearFrom;
    if (!collapse || bytes <= threshold) return;
    breaks.push({
      at: linearFrom - hidden,
      width: breakWidth,
      bytes,
      start: base + BigInt(linearFrom),
      end: base + BigInt(linearTo),
      unknown: false,
      after: k,
    });
    hidden += bytes - breakWidth;
  };
  for (let k = 0; k < n; k++) {
    const i = seq[k];
    const linear = (c.startHi[i] - baseHi) * 4294967296 + (c.startLo[i] - baseLo);
    if (linear > linearEnd) hole(k - 1, linearEnd, linear);
    pos[k] = linear - hidden;
    len[k] = c.size[i];
    if (linear + len[k] > linearEnd) linearEnd = linear + len[k];
  }
  const linearTop = Number(top - base);
  if (linearTop > linearEnd) hole(n - 1, linearEnd, linearTop);
  const total = Math.max(linearEnd, linearTop) - hidden;

  const track: Track = { model, exact: true, collapsed: collapse, threshold, base, seq, pos, len, total, breaks, regions: [] };
  for (const r of regions) {
    const from = toDisplay(track, r.start);
    const to = toDisplay(track, r.end);
    if (from !== null && to !== null && to > from) track.regions.push({ id: r.id, label: r.label, from, to, start: r.start, end: r.end, inferred: r.inferred, startFrom: r.startFrom, endFrom: r.endFrom });
  }
  return track;
}

/** Hashed, masked or zero: file order, packed, chains kept together, unknown gaps marked. */
function packedTrack(model: Model): Track {
  const s = model.snapshot;
  const n = s.count;
  const seq = new Uint32Array(n);
  const pos = new Float64Array(n);
  const len = new Float64Array(n);
  const placed = new Uint8Array(n);
  const breaks: Break[] = [];
  let k = 0;
  let at = 0;
  for (let head = 0; head < n; head++) {
    if (placed[head]) continue;
    // Start from the head of head's chain (a chain may begin later in the file than it is met).
    let first = head;
    while (model.chainPrev[first] >= 0 && !placed[model.chainPrev[first]] && model.chainPrev[first] !== head) first = model.chainPrev[first];
    if (k > 0) breaks.push({ at, width: 0, bytes: NaN, start: null, end: null, unknown: true, after: k - 1 });
    for (let i = first; i >= 0 && !placed[i]; i = model.chainNext[i]) {
      placed[i] = 1;
      seq[k] = i;
      pos[k] = at;
      len[k] = s.columns.size[i];
      at += len[k];
      k++;
    }
  }
  return { model, exact: false, collapsed: false, threshold: 0, base: 0n, seq, pos, len, total: at, breaks, regions: [] };
}

/** Last k with pos[k] <= d, or -1. */
export function positionAt(track: Track, d: number): number {
  const pos = track.pos;
  return lowerBound(pos.length, (k) => pos[k] <= d) - 1;
}

/** Display positions [k0, k1) of the areas overlapping the display interval [d0, d1). */
export function visibleRange(track: Track, d0: number, d1: number): [number, number] {
  let k0 = Math.max(0, positionAt(track, d0));
  // Areas never overlap in a real dump, so the one at or before d0 is the only earlier candidate.
  if (k0 < track.pos.length && track.pos[k0] + track.len[k0] <= d0) k0++;
  const k1 = positionAt(track, d1 - Number.EPSILON * Math.abs(d1)) + 1;
  return [k0, Math.max(k0, k1)];
}

export type Hit =
  | { type: 'area'; k: number; index: number }
  /** `after` is the display position of the area before the hole (-1 before the first area). */
  | { type: 'hole'; after: number; from: number; to: number; start: bigint | null; end: bigint | null; bytes: number }
  | { type: 'break'; break: Break }
  | null;

/** What lies at display position d: an area, a hole between two areas, or a break. */
export function hitTest(track: Track, d: number): Hit {
  if (d < 0 || d >= track.total) return null;
  const k = positionAt(track, d);
  if (k >= 0 && d < track.pos[k] + track.len[k]) return { type: 'area', k, index: track.seq[k] };
  const br = breakAt(track, d);
  if (br) return { type: 'break', break: br };
  // A hole between two areas, or the free stretch before the first or after the last one
  // (the track spans the layout's regions, so there may be room at either end).
  const from = k >= 0 ? track.pos[k] + track.len[k] : 0;
  const to = k + 1 < track.seq.length ? track.pos[k + 1] : track.total;
  if (!track.exact) return { type: 'hole', after: k, from, to, start: null, end: null, bytes: NaN };
  const start = toAddress(track, from)!;
  const end = toAddress(track, to)!;
  return { type: 'hole', after: k, from, to, start, end, bytes: Number(end - start) };
}

function breakAt(track: Track, d: number): Break | null {
  const b = track.breaks;
  const br = b[lowerBound(b.length, (j) => b[j].at <= d) - 1];
  return br && d < br.at + br.width ? br : null;
}

/** Exact address at a display position (raw mode), or null. Inside a break, proportional. */
export function toAddress(track: Track, d: number): bigint | null {
  if (!track.exact) return null;
  // Sum the widths hidden by breaks left of d.
  let hidden = 0;
  for (const br of track.breaks) {
    if (br.at >= d) break;
    if (d < br.at + br.width) return br.start! + BigInt(Math.floor(((d - br.at) / br.width) * br.bytes));
    hidden += br.bytes - br.width;
  }
  return track.base + BigInt(Math.floor(d + hidden));
}

/** Display position of an address (raw mode), or null when it is not on the track. */
export function toDisplay(track: Track, address: bigint): number | null {
  if (!track.exact || address < track.base) return null;
  let linear = Number(address - track.base);
  let hidden = 0;
  for (const br of track.breaks) {
    if (address < br.start!) break;
    if (address < br.end!) return br.at + (Number(address - br.start!) / br.bytes) * br.width;
    hidden += br.bytes - br.width;
  }
  linear -= hidden;
  return linear;
}
