// Free space inside the vmalloc range and where a new vmalloc would go.
//
// The holes are those of the model (vmallocHoles: the same holes as vmallocFreeBytes and
// holeHistogram) plus the two edge holes, from the range's start to the first area and from the
// last area's end to the range's end, each with exact bounds (BigInt: riscv64 Sv57's range is
// 2^54 bytes, past the 2^53 a Number holds exactly). The range is the layout's, fixed by
// VmallocTotal when /proc/meminfo is known (model/layout.ts).
//
// The probe follows mm/vmalloc.c: a request is rounded up to whole pages and gets one guard page
// (VM_NO_GUARD aside), and alloc_vmap_area takes the lowest address that fits (first fit from
// the range's start). Alignment beyond a page (huge vmalloc mappings, ioremap's power-of-two
// alignment) is not modelled, so a hole reported as fitting may still be passed over for those.

import { compare, hiOf, loOf, toBigInt } from '../addr.ts';
import type { Model } from '../model/model.ts';
import { halves, positionsIn } from '../model/layout.ts';
import { PAGE_SIZE } from '../types.ts';

export interface FreeHole {
  /** Exact bounds; end − start is the exact size. */
  start: bigint;
  end: bigint;
  /** end − start as a Number (exact below 2^53). */
  bytes: number;
  /** Order position k: the hole lies after model.order[k] (-1: before the first area, at the region start). */
  after: number;
}

export interface Fragmentation {
  /** Free bytes inside the vmalloc region (between areas, and from the region start/end to the first/last area). */
  freeBytes: number;
  /** The same, exact. */
  free: bigint;
  largest: FreeHole | null;
  /** 1 − largest/free; 0 with one hole, null without free space or without raw addresses. */
  index: number | null;
  holeCount: number;
  /** Free bytes between areas only (the model's vmallocFreeBytes), without the two edge holes. */
  betweenBytes: number;
}

export interface ProbeResult {
  /** The request rounded as vmalloc does: page-aligned, plus one guard page. */
  needBytes: number;
  fits: boolean;
  /** Holes that can take it, best first (smallest that fits first; vmalloc itself takes the lowest
   *  fitting address, flagged by `firstFit`). At most `limit`. */
  candidates: FreeHole[];
  /** Total number of fitting holes. */
  fittingCount: number;
  /** Index into candidates of the hole vmalloc's first-fit would choose, or -1. */
  firstFit: number;
  /** Why nothing can be said (not raw addresses, no vmalloc region), or null. */
  reason: string | null;
  /** The largest free hole (what a request must fit in), or null. */
  largest: FreeHole | null;
  /** Free bytes of the whole range: a request may be below it and still not fit. */
  freeBytes: number;
  /** When it does not fit: the fewest busy bytes that stand between holes adding up to the request. */
  blockers: Blockers | null;
}

/**
 * The areas that fragment the free space for a request: a run of consecutive areas whose removal
 * would join the holes around them into one stretch of at least the size needed, the run with the
 * fewest busy bytes. Empty `areas` never happens: when one hole suffices the request fits.
 */
export interface Blockers {
  /** The stretch that would be free: from the start of the first hole to the end of the last. */
  start: bigint;
  end: bigint;
  /** Area indices (file order), in address order. */
  areas: number[];
  /** Their sizes summed (bytes of address space that would have to be freed). */
  busyBytes: number;
}

/** A hole between two areas, by the halves of its bounds (always below 2^64). */
type BetweenSink = (after: number, sHi: number, sLo: number, eHi: number, eLo: number) => void;
/** A hole at an edge of the range, exactly (its end may be 2^64). */
type EdgeSink = (start: bigint, end: bigint, after: number) => void;

/**
 * Walks the free holes of the vmalloc range in address order, edges included, handing each to
 * `between` or `edge`. False (and nothing walked) without raw addresses or a range. The holes
 * between areas come as halves, so a caller that only adds them up allocates nothing per hole.
 */
function walkHoles(model: Model, between: BetweenSink, edge: EdgeSink): boolean {
  const vm = model.layout?.regions.find((r) => r.id === 'vmalloc');
  if (!vm || !model.byAddress) return false;
  const s = model.snapshot;
  const c = s.columns;
  const order = model.order;
  const [from, to] = positionsIn(s, order, halves(vm));
  // An area that starts below the range may reach into it: the range is free only from its end.
  let reachHi = hiOf(vm.start);
  let reachLo = loOf(vm.start);
  for (let k = 0; k < from; k++) {
    const i = order[k];
    if (compare(c.endHi[i], c.endLo[i], reachHi, reachLo) > 0) {
      reachHi = c.endHi[i];
      reachLo = c.endLo[i];
    }
  }
  const reach = toBigInt(reachHi, reachLo);
  if (from >= to) {
    if (reach < vm.end) edge(reach, vm.end, from - 1);
    return true;
  }
  // Walk the areas with the highest end so far (areas may overlap in a live read).
  let hi = c.endHi[order[from]];
  let lo = c.endLo[order[from]];
  const first = toBigInt(c.startHi[order[from]], c.startLo[order[from]]);
  if (first > reach) edge(reach, first, from - 1);
  if (compare(reachHi, reachLo, hi, lo) > 0) {
    hi = reachHi;
    lo = reachLo;
  }
  for (let k = from; k + 1 < to; k++) {
    const next = order[k + 1];
    if (compare(c.startHi[next], c.startLo[next], hi, lo) > 0) between(k, hi, lo, c.startHi[next], c.startLo[next]);
    if (compare(c.endHi[next], c.endLo[next], hi, lo) > 0) {
      hi = c.endHi[next];
      lo = c.endLo[next];
    }
  }
  const last = toBigInt(hi, lo);
  if (last < vm.end) edge(last, vm.end, to - 1);
  return true;
}

/** Every free hole of the vmalloc range in address order, edges included; empty without raw addresses or a range. */
export function freeHoles(model: Model): FreeHole[] {
  const out: FreeHole[] = [];
  const push = (start: bigint, end: bigint, after: number) => out.push({ start, end, bytes: Number(end - start), after });
  walkHoles(model, (after, sHi, sLo, eHi, eLo) => push(toBigInt(sHi, sLo), toBigInt(eHi, eLo), after), push);
  return out;
}

export function fragmentation(model: Model): Fragmentation {
  // Numbers, not FreeHole objects: a 1M-area dump has ~400k holes, and building them (BigInt
  // bounds) while the heap holds the whole dump cost ~0.3 s of every summary. A hole's size as a
  // Number, (eHi − sHi)·2^32 + (eLo − sLo), is its exact size correctly rounded, so unequal
  // Numbers order holes exactly; equal ones above 2^53 are compared as BigInt.
  let sum = 0;
  let count = 0;
  let best = -1;
  let bestStart = 0n;
  let bestEnd = 0n;
  let bestAfter = 0;
  let bestHalves: [number, number, number, number] | null = null;
  const exactBest = () => (bestHalves ? toBigInt(bestHalves[2], bestHalves[3]) - toBigInt(bestHalves[0], bestHalves[1]) : bestEnd - bestStart);
  const between: BetweenSink = (after, sHi, sLo, eHi, eLo) => {
    const bytes = (eHi - sHi) * 4294967296 + (eLo - sLo);
    sum += bytes;
    count++;
    if (bytes > best || (bytes === best && bytes > Number.MAX_SAFE_INTEGER && toBigInt(eHi, eLo) - toBigInt(sHi, sLo) > exactBest())) {
      best = bytes;
      bestAfter = after;
      bestHalves = [sHi, sLo, eHi, eLo];
    }
  };
  const edge: EdgeSink = (start, end, after) => {
    const bytes = Number(end - start);
    sum += bytes;
    count++;
    if (bytes > best || (bytes === best && bytes > Number.MAX_SAFE_INTEGER && end - start > exactBest())) {
      best = bytes;
      bestAfter = after;
      bestHalves = null;
      bestStart = start;
      bestEnd = end;
    }
  };
  walkHoles(model, between, edge);
  const largest: FreeHole | null =
    best < 0 ? null : bestHalves ? { start: toBigInt(bestHalves[0], bestHalves[1]), end: toBigInt(bestHalves[2], bestHalves[3]), bytes: best, after: bestAfter } : { start: bestStart, end: bestEnd, bytes: best, after: bestAfter };
  // Every partial sum is at most the total, so a total within 2^53 was added exactly; past it,
  // add again as BigInt.
  let free = BigInt(sum);
  if (sum > Number.MAX_SAFE_INTEGER) {
    free = 0n;
    walkHoles(
      model,
      (_after, sHi, sLo, eHi, eLo) => (free += toBigInt(eHi, eLo) - toBigInt(sHi, sLo)),
      (start, end) => (free += end - start),
    );
  }
  const freeBytes = Number(free);
  return {
    freeBytes,
    free,
    largest,
    index: free > 0n && largest ? 1 - largest.bytes / freeBytes : null,
    holeCount: count,
    betweenBytes: model.vmallocFreeBytes,
  };
}

/** The size vmalloc reserves for a request of `bytes`: whole pages plus one guard page. */
export function vmallocFootprint(bytes: number): number {
  return Math.ceil(Math.max(1, bytes) / PAGE_SIZE) * PAGE_SIZE + PAGE_SIZE;
}

export function probe(model: Model, bytes: number, limit = 10): ProbeResult {
  const needBytes = vmallocFootprint(bytes);
  const none = (reason: string | null, extra: Partial<ProbeResult> = {}): ProbeResult => ({
    needBytes,
    fits: false,
    candidates: [],
    fittingCount: 0,
    firstFit: -1,
    reason,
    largest: null,
    freeBytes: 0,
    blockers: null,
    ...extra,
  });
  if (!model.byAddress || model.snapshot.pointerMode !== 'raw') return none(`addresses are ${model.snapshot.pointerMode}, so the holes between areas are unknown`);
  if (!model.layout?.regions.some((r) => r.id === 'vmalloc')) return none('no vmalloc range was recognised in this dump');
  const holes = freeHoles(model);
  const need = BigInt(needBytes);
  const fitting = holes.filter((h) => h.end - h.start >= need);
  const frag = fragmentation(model);
  const facts = { largest: frag.largest, freeBytes: frag.freeBytes };
  if (fitting.length === 0) return none(null, { ...facts, blockers: blockersFor(model, holes, need) });
  const lowest = fitting[0];
  const best = [...fitting].sort((a, b) => a.bytes - b.bytes || (a.start < b.start ? -1 : 1));
  const candidates = best.slice(0, Math.max(1, limit));
  if (!candidates.includes(lowest)) candidates[candidates.length - 1] = lowest;
  return { needBytes, fits: true, candidates, fittingCount: fitting.length, firstFit: candidates.indexOf(lowest), reason: null, ...facts, blockers: null };
}

/**
 * The run of consecutive holes (hole i … hole j, address order) spanning at least `need` bytes
 * with the fewest busy bytes between them: the areas in between are what fragments the space.
 * Two pointers over the holes; null when even the whole range is too small.
 */
function blockersFor(model: Model, holes: FreeHole[], need: bigint): Blockers | null {
  let best: { i: number; j: number; busy: bigint } | null = null;
  let i = 0;
  let free = 0n;
  for (let j = 0; j < holes.length; j++) {
    free += holes[j].end - holes[j].start;
    // Shrink from the left while the span still holds the request.
    while (i < j && holes[j].end - holes[i + 1].start >= need) {
      free -= holes[i].end - holes[i].start;
      i++;
    }
    const span = holes[j].end - holes[i].start;
    if (span >= need) {
      const busy = span - free;
      if (!best || busy < best.busy) best = { i, j, busy };
    }
  }
  if (!best) return null;
  const s = model.snapshot;
  const c = s.columns;
  const areas: number[] = [];
  let busyBytes = 0;
  const start = holes[best.i].start;
  const end = holes[best.j].end;
  // The areas starting inside the stretch (between the first hole's start and the last hole's end).
  for (let k = holes[best.i].after + 1; k <= holes[best.j].after && k < model.order.length; k++) {
    const a = model.order[k];
    const at = toBigInt(c.startHi[a], c.startLo[a]);
    if (at < start || at >= end) continue;
    areas.push(a);
    busyBytes += c.size[a];
  }
  return { start, end, areas, busyBytes };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Parse "16M", "1.5 MiB", "4096", "0x10000", "64k" into bytes, or null. Units are binary (k = 1024). */
export function parseByteSize(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) {
    const v = Number(t);
    return Number.isSafeInteger(v) ? v : null;
  }
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(?:i?b)?$/i.exec(t);
  if (!m) return null;
  const v = Math.ceil(Number(m[1]) * UNITS[m[2].toLowerCase()]);
  return Number.isSafeInteger(v) ? v : null;
}
