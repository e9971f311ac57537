// The model on top of the parsed lines: areas in address order, the guard page inside each, the
// free holes between them, adjacency chains (which survive pointer hashing), the address layout
// and the totals people ask for. Built once per snapshot in one or two linear passes.

import type { Snapshot } from '../parse/snapshot.ts';
import { toBigInt } from '../addr.ts';
import { AREA_KINDS, PAGE_SIZE } from '../types.ts';
import type { AreaKind, Tally } from '../types.ts';
import { REGION_MODULES, REGION_NONE, REGION_VMALLOC, detectLayout, halves, positionsIn } from './layout.ts';
import type { Layout, LayoutHints } from './layout.ts';
import { sortByAddress } from './sort.ts';

export interface HoleBucket {
  /** Holes of at least 2^log2 bytes and below 2^(log2+1). */
  log2: number;
  count: number;
  bytes: number;
}

/** A free hole between the areas at order positions `after` and `after + 1`. */
export interface Hole {
  after: number;
  bytes: number;
}

/** A hole with its exact size (gapAfter and `bytes` are Numbers, exact only below 2^53). */
export interface ExactHole extends Hole {
  exactBytes: bigint;
}

export interface Totals {
  all: Tally;
  /** Bytes of guard pages (inside `all.bytes`). */
  guardBytes: number;
  /** pages= × 4096: memory actually backing the areas. */
  backedBytes: number;
  byKind: Record<AreaKind, Tally>;
  /** Keyed by caller function (symbol without offset); areas without a caller are not counted. */
  byCaller: Map<string, Tally>;
  /** Keyed by the `[module]` tag. */
  byModule: Map<string, Tally>;
  /** NUMA node → pages (from N<node>= counts). */
  byNode: Map<number, number>;
}

export interface Model {
  snapshot: Snapshot;
  /** Area indices in address order (raw mode) or file order (hashed, masked, zero). */
  order: Uint32Array;
  /** True when `order` is by address. */
  byAddress: boolean;
  /** Per area: the next area whose start equals this one's end, or -1 (adjacency chains). */
  chainNext: Int32Array;
  /** Per area: the previous area in its chain, or -1. */
  chainPrev: Int32Array;
  /** Raw mode: per order position k, free bytes between area order[k] and order[k+1] (0 if none). */
  gapAfter: Float64Array;
  /** Raw mode: pairs of consecutive areas that overlap (should be 0 in a real dump). */
  overlaps: number;
  layout: Layout | null;
  /** Per area: REGION_NONE, REGION_VMALLOC or REGION_MODULES. */
  region: Uint8Array;
  totals: Totals;
  /** Largest hole between two address-consecutive areas anywhere (raw mode), or null. */
  largestGap: ExactHole | null;
  /** Largest hole between two consecutive areas inside the vmalloc range (VmallocChunk), or null. */
  largestVmallocHole: ExactHole | null;
  /** Free bytes between areas inside the vmalloc range. */
  vmallocFreeBytes: number;
  /** Holes between areas inside the vmalloc range, by power-of-two size. */
  holeHistogram: HoleBucket[];
}

export { REGION_MODULES, REGION_NONE, REGION_VMALLOC };

/**
 * The model of a snapshot. `hints` (VmallocTotal from /proc/meminfo, the kernel release) fix the
 * vmalloc range where the addresses alone cannot (layout.ts).
 */
export function buildModel(snapshot: Snapshot, hints: LayoutHints = {}): Model {
  const n = snapshot.count;
  const c = snapshot.columns;
  const raw = snapshot.pointerMode === 'raw';

  // Order.
  let order: Uint32Array;
  if (raw && !snapshot.sorted) order = sortByAddress(c.startHi, c.startLo, n);
  else {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }

  // Gaps and chains.
  const chainNext = new Int32Array(n).fill(-1);
  const chainPrev = new Int32Array(n).fill(-1);
  const gapAfter = new Float64Array(Math.max(0, n - 1));
  let overlaps = 0;
  if (raw) {
    let endHi = n > 0 ? c.endHi[order[0]] : 0;
    let endLo = n > 0 ? c.endLo[order[0]] : 0;
    for (let k = 0; k + 1 < n; k++) {
      const a = order[k];
      const b = order[k + 1];
      const sHi = c.startHi[b];
      const sLo = c.startLo[b];
      if (sHi > endHi || (sHi === endHi && sLo > endLo)) gapAfter[k] = (sHi - endHi) * 4294967296 + (sLo - endLo);
      else if (sHi < endHi || sLo < endLo) overlaps++;
      if (c.startHi[b] === c.endHi[a] && c.startLo[b] === c.endLo[a]) {
        chainNext[a] = b;
        chainPrev[b] = a;
      }
      if (c.endHi[b] > endHi || (c.endHi[b] === endHi && c.endLo[b] > endLo)) {
        endHi = c.endHi[b];
        endLo = c.endLo[b];
      }
    }
  } else if (snapshot.pointerMode === 'hashed') {
    // Equal hashes mean equal addresses: end(A) == start(B) proves A and B adjacent.
    // Hashes are 32-bit on 64-bit kernels, so hi:lo fits a Number key exactly when hi < 2^21.
    const byStart = new Map<number, number>();
    for (let i = n - 1; i >= 0; i--) byStart.set(c.startHi[i] * 4294967296 + c.startLo[i], i);
    for (let a = 0; a < n; a++) {
      if (c.endHi[a] >= 0x200000) continue;
      const b = byStart.get(c.endHi[a] * 4294967296 + c.endLo[a]);
      if (b !== undefined && b !== a && chainPrev[b] < 0) {
        chainNext[a] = b;
        chainPrev[b] = a;
      }
    }
  }

  const parts = raw ? layOut(snapshot, order, gapAfter, hints) : noLayout(n);
  let largestGap: ExactHole | null = null;
  for (let k = 0; k < gapAfter.length; k++) if (gapAfter[k] > 0 && (!largestGap || gapAfter[k] > largestGap.bytes)) largestGap = { after: k, bytes: gapAfter[k], exactBytes: 0n };
  if (largestGap) largestGap.exactBytes = exactGap(snapshot, order, largestGap.after);

  return {
    snapshot,
    order,
    byAddress: raw,
    chainNext,
    chainPrev,
    gapAfter,
    overlaps,
    totals: computeTotals(snapshot),
    largestGap,
    ...parts,
  };
}

type LayoutParts = Pick<Model, 'layout' | 'region' | 'largestVmallocHole' | 'vmallocFreeBytes' | 'holeHistogram'>;

function noLayout(n: number): LayoutParts {
  return { layout: null, region: new Uint8Array(n), largestVmallocHole: null, vmallocFreeBytes: 0, holeHistogram: [] };
}

/**
 * The model with its layout worked out again from new hints (a /proc/meminfo attached after the
 * dump was read): the layout, the regions and the vmalloc holes change, nothing else.
 */
export function relayout(model: Model, hints: LayoutHints): Model {
  if (!model.byAddress || model.snapshot.pointerMode !== 'raw') return model;
  return { ...model, ...layOut(model.snapshot, model.order, model.gapAfter, hints) };
}

/** The exact size of the hole after order position k: the next start minus the highest end up to k. */
export function exactGap(snapshot: Snapshot, order: Uint32Array, k: number): bigint {
  const c = snapshot.columns;
  let hi = 0;
  let lo = 0;
  for (let j = 0; j <= k; j++) {
    const i = order[j];
    if (c.endHi[i] > hi || (c.endHi[i] === hi && c.endLo[i] > lo)) {
      hi = c.endHi[i];
      lo = c.endLo[i];
    }
  }
  const next = order[k + 1];
  const gap = toBigInt(c.startHi[next], c.startLo[next]) - toBigInt(hi, lo);
  return gap > 0n ? gap : 0n;
}

function layOut(snapshot: Snapshot, order: Uint32Array, gapAfter: Float64Array, hints: LayoutHints): LayoutParts {
  const n = snapshot.count;
  // Layout and regions (areas of a region are contiguous in address order).
  const layout = detectLayout(snapshot, order, hints);
  const region = new Uint8Array(n);
  for (const r of layout?.regions ?? []) {
    const [from, to] = positionsIn(snapshot, order, halves(r));
    const code = r.id === 'modules' ? REGION_MODULES : REGION_VMALLOC;
    for (let k = from; k < to; k++) if (region[order[k]] !== REGION_MODULES) region[order[k]] = code;
  }

  // Holes inside the vmalloc range, with a histogram.
  let largestVmallocHole: ExactHole | null = null;
  let vmallocFreeBytes = 0;
  // Holes inside the vmalloc range: between two areas that both start in it, whatever their own
  // region (6.x arm64 keeps its module area inside the vmalloc range).
  const inVmalloc = new Uint8Array(n);
  const vmRange = layout?.regions.find((r) => r.id === 'vmalloc');
  if (vmRange) {
    const [from, to] = positionsIn(snapshot, order, halves(vmRange));
    inVmalloc.fill(1, from, to);
  }
  const buckets = new Float64Array(128);
  const bucketBytes = new Float64Array(128);
  for (let k = 0; k < gapAfter.length; k++) {
    const g = gapAfter[k];
    if (g <= 0) continue;
    if (inVmalloc[k] && inVmalloc[k + 1]) {
      vmallocFreeBytes += g;
      if (!largestVmallocHole || g > largestVmallocHole.bytes) largestVmallocHole = { after: k, bytes: g, exactBytes: 0n };
      const b = g < 4294967296 ? 31 - Math.clz32(g) : Math.min(127, Math.floor(Math.log2(g)));
      buckets[b]++;
      bucketBytes[b] += g;
    }
  }
  const holeHistogram: HoleBucket[] = [];
  for (let b = 0; b < 128; b++) if (buckets[b] > 0) holeHistogram.push({ log2: b, count: buckets[b], bytes: bucketBytes[b] });

  if (largestVmallocHole) largestVmallocHole.exactBytes = exactGap(snapshot, order, largestVmallocHole.after);
  return { layout, region, largestVmallocHole, vmallocFreeBytes, holeHistogram };
}

export function computeTotals(snapshot: Snapshot): Totals {
  const n = snapshot.count;
  const c = snapshot.columns;
  const strings = snapshot.strings;
  const kindCount = new Float64Array(AREA_KINDS.length);
  const kindBytes = new Float64Array(AREA_KINDS.length);
  const kindPages = new Float64Array(AREA_KINDS.length);
  // Per interned string id: caller and module tallies, summed in typed arrays and named at the end.
  const sCount = new Float64Array(strings.length);
  const sBytes = new Float64Array(strings.length);
  const sPages = new Float64Array(strings.length);
  const mCount = new Float64Array(strings.length);
  const mBytes = new Float64Array(strings.length);
  const mPages = new Float64Array(strings.length);
  let bytes = 0;
  let pages = 0;
  let guard = 0;
  for (let i = 0; i < n; i++) {
    const size = c.size[i];
    const p = c.pages[i];
    const k = c.kind[i];
    bytes += size;
    pages += p;
    guard += snapshot.guardOf(i);
    kindCount[k]++;
    kindBytes[k] += size;
    kindPages[k] += p;
    const s = c.symbol[i];
    if (s >= 0) {
      sCount[s]++;
      sBytes[s] += size;
      sPages[s] += p;
    }
    const m = c.module[i];
    if (m >= 0) {
      mCount[m]++;
      mBytes[m] += size;
      mPages[m] += p;
    }
  }
  const byKind = {} as Record<AreaKind, Tally>;
  AREA_KINDS.forEach((kind, k) => (byKind[kind] = { count: kindCount[k], bytes: kindBytes[k], pages: kindPages[k] }));
  const byCaller = new Map<string, Tally>();
  const byModule = new Map<string, Tally>();
  for (let s = 0; s < strings.length; s++) {
    if (sCount[s] > 0) byCaller.set(strings[s], { count: sCount[s], bytes: sBytes[s], pages: sPages[s] });
    if (mCount[s] > 0) byModule.set(strings[s], { count: mCount[s], bytes: mBytes[s], pages: mPages[s] });
  }
  const byNode = new Map<number, number>();
  for (let k = 0; k < c.nodeId.length; k++) byNode.set(c.nodeId[k], (byNode.get(c.nodeId[k]) ?? 0) + c.nodePages[k]);
  return {
    all: { count: n, bytes, pages },
    guardBytes: guard,
    backedBytes: pages * PAGE_SIZE,
    byKind,
    byCaller,
    byModule,
    byNode,
  };
}

/**
 * The holes counted in `vmallocFreeBytes` and `holeHistogram` (between two address-consecutive
 * areas that both start in the vmalloc range), in address order. Empty without raw addresses.
 */
export function vmallocHoles(model: Model): Hole[] {
  const vm = model.layout?.regions.find((r) => r.id === 'vmalloc');
  if (!vm || !model.byAddress) return [];
  const [from, to] = positionsIn(model.snapshot, model.order, halves(vm));
  const out: Hole[] = [];
  for (let k = from; k + 1 < to; k++) if (model.gapAfter[k] > 0) out.push({ after: k, bytes: model.gapAfter[k] });
  return out;
}

/** Callers sorted by bytes, largest first. */
export function topEntries(map: Map<string, Tally>, limit = Infinity): Array<[string, Tally]> {
  return [...map.entries()].sort((a, b) => b[1].bytes - a[1].bytes || b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}
