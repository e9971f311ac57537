// Free space inside the vmalloc range and where a new vmalloc would go.
//
// The holes between areas come from the model (vmallocHoles: the same holes as vmallocFreeBytes
// and holeHistogram); this file adds the two edge holes, from the range's start to the first area
// and from the last area's end to the range's end, and gives every hole exact bounds.
//
// The probe follows mm/vmalloc.c: a request is rounded up to whole pages and gets one guard page
// (VM_NO_GUARD aside), and alloc_vmap_area takes the lowest address that fits (first fit from
// the range's start). Alignment beyond a page (huge vmalloc mappings, ioremap's power-of-two
// alignment) is not modelled, so a hole reported as fitting may still be passed over for those.

import { toBigInt } from '../addr.ts';
import { vmallocHoles } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { halves, positionsIn } from '../model/layout.ts';
import { PAGE_SIZE } from '../types.ts';

export interface FreeHole {
  /** Exact bounds. */
  start: bigint;
  end: bigint;
  bytes: number;
  /** Order position k: the hole lies after model.order[k] (-1: before the first area, at the region start). */
  after: number;
}

export interface Fragmentation {
  /** Free bytes inside the vmalloc region (between areas, and from the region start/end to the first/last area). */
  freeBytes: number;
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
}

/** Every free hole of the vmalloc range in address order, edges included; empty without raw addresses or a range. */
export function freeHoles(model: Model): FreeHole[] {
  const vm = model.layout?.regions.find((r) => r.id === 'vmalloc');
  if (!vm || !model.byAddress) return [];
  const s = model.snapshot;
  const c = s.columns;
  const order = model.order;
  const startOf = (k: number) => toBigInt(c.startHi[order[k]], c.startLo[order[k]]);
  const [from, to] = positionsIn(s, order, halves(vm));
  if (from >= to) return [{ start: vm.start, end: vm.end, bytes: Number(vm.end - vm.start), after: from - 1 }];
  const out: FreeHole[] = [];
  const first = startOf(from);
  if (first > vm.start) out.push({ start: vm.start, end: first, bytes: Number(first - vm.start), after: from - 1 });
  for (const h of vmallocHoles(model)) {
    const end = startOf(h.after + 1);
    out.push({ start: end - BigInt(h.bytes), end, bytes: h.bytes, after: h.after });
  }
  let last = 0n;
  for (let k = from; k < to; k++) {
    const e = toBigInt(c.endHi[order[k]], c.endLo[order[k]]);
    if (e > last) last = e;
  }
  if (last < vm.end) out.push({ start: last, end: vm.end, bytes: Number(vm.end - last), after: to - 1 });
  return out;
}

export function fragmentation(model: Model): Fragmentation {
  const holes = freeHoles(model);
  let freeBytes = 0;
  let largest: FreeHole | null = null;
  for (const h of holes) {
    freeBytes += h.bytes;
    if (!largest || h.bytes > largest.bytes) largest = h;
  }
  return {
    freeBytes,
    largest,
    index: freeBytes > 0 && largest ? 1 - largest.bytes / freeBytes : null,
    holeCount: holes.length,
    betweenBytes: model.vmallocFreeBytes,
  };
}

/** The size vmalloc reserves for a request of `bytes`: whole pages plus one guard page. */
export function vmallocFootprint(bytes: number): number {
  return Math.ceil(Math.max(1, bytes) / PAGE_SIZE) * PAGE_SIZE + PAGE_SIZE;
}

export function probe(model: Model, bytes: number, limit = 10): ProbeResult {
  const needBytes = vmallocFootprint(bytes);
  const none = (reason: string | null): ProbeResult => ({ needBytes, fits: false, candidates: [], fittingCount: 0, firstFit: -1, reason });
  if (!model.byAddress || model.snapshot.pointerMode !== 'raw') return none(`addresses are ${model.snapshot.pointerMode}, so the holes between areas are unknown`);
  if (!model.layout?.regions.some((r) => r.id === 'vmalloc')) return none('no vmalloc range was recognised in this dump');
  const fitting = freeHoles(model).filter((h) => h.bytes >= needBytes);
  if (fitting.length === 0) return none(null);
  const lowest = fitting[0];
  const best = [...fitting].sort((a, b) => a.bytes - b.bytes || (a.start < b.start ? -1 : 1));
  const candidates = best.slice(0, Math.max(1, limit));
  if (!candidates.includes(lowest)) candidates[candidates.length - 1] = lowest;
  return { needBytes, fits: true, candidates, fittingCount: fitting.length, firstFit: candidates.indexOf(lowest), reason: null };
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
