// Pure helpers of the Fragmentation view: the hole-size histogram's rows and the probe's answer in
// words. No DOM.

import { formatBytes, toBigInt } from '../../lib/index.ts';
import type { FreeHole, HoleBucket, Model, ProbeResult } from '../../lib/index.ts';

export interface HistogramRow {
  /** "64 KiB – 128 KiB" */
  label: string;
  /** Smallest hole size in the bucket (bytes). */
  from: number;
  count: number;
  bytes: number;
}

/** Holes counted by power-of-two size: bucket log2 holds sizes in [2^log2, 2^(log2+1)). */
export function bucketHoles(holes: ReadonlyArray<{ bytes: number }>): HoleBucket[] {
  const byLog = new Map<number, HoleBucket>();
  for (const h of holes) {
    if (!(h.bytes > 0)) continue;
    const log2 = Math.floor(Math.log2(h.bytes));
    const b = byLog.get(log2) ?? { log2, count: 0, bytes: 0 };
    b.count++;
    b.bytes += h.bytes;
    byLog.set(log2, b);
  }
  return [...byLog.values()].sort((x, y) => x.log2 - y.log2);
}

/** One row per non-empty power-of-two bucket, smallest first. */
export function histogramRows(buckets: ReadonlyArray<HoleBucket>): HistogramRow[] {
  return [...buckets]
    .filter((b) => b.count > 0)
    .sort((x, y) => x.log2 - y.log2)
    .map((b) => {
      const from = 2 ** b.log2;
      return { label: `${formatBytes(from)} – ${formatBytes(from * 2)}`, from, count: b.count, bytes: b.bytes };
    });
}

/** The fragmentation index in words: what 0 and 1 mean, for this value. */
export function indexMeaning(index: number | null): string {
  if (index === null) return 'no free space to speak of';
  if (index < 0.1) return 'nearly all free space is one hole';
  if (index < 0.5) return 'the largest hole holds most of the free space';
  if (index < 0.9) return 'free space is split over several big holes';
  return 'free space is scattered in many small holes';
}

/** "vmalloc(16 MiB) needs 16 MiB plus a 4 KiB guard page of address space." */
export function needSentence(requested: number, r: Pick<ProbeResult, 'needBytes'>): string {
  const rounded = r.needBytes - 4096;
  if (rounded !== requested) {
    return `vmalloc(${formatBytes(requested)}) is rounded up to ${formatBytes(rounded)}, plus a 4 KiB guard page: ${formatBytes(r.needBytes)} of address space.`;
  }
  return `vmalloc(${formatBytes(requested)}) needs ${formatBytes(rounded)} plus a 4 KiB guard page of address space.`;
}

/** "Fits: 12 holes could take it." / "Does not fit: the largest hole is 2.00 MiB." */
export function fitSentence(r: Pick<ProbeResult, 'fits' | 'fittingCount' | 'reason'>, largest: number | null): string {
  if (r.reason) return `Cannot tell: ${r.reason}`;
  if (!r.fits) return `Does not fit: the largest free hole is ${largest === null ? 'none' : formatBytes(largest)}.`;
  return `Fits: ${r.fittingCount.toLocaleString('en-US')} ${r.fittingCount === 1 ? 'hole' : 'holes'} could take it.`;
}

/** An area as people name it: "load_module [xfs]", "unpurged vm_area", "vm_map_ram". */
export function areaName(model: Model, i: number): string {
  const s = model.snapshot;
  const symbol = s.symbolOf(i);
  const module = s.moduleOf(i);
  if (symbol) return module ? `${symbol} [${module}]` : symbol;
  const kind = s.kindOf(i);
  return kind === 'unpurged' ? 'unpurged vm_area (lazily freed)' : kind;
}

/** The areas on both sides of a free hole (order positions around it), or null at the range's ends. */
export function holeNeighbours(model: Model, hole: Pick<FreeHole, 'after' | 'end'>): { before: number | null; after: number | null } {
  const n = model.order.length;
  const c = model.snapshot.columns;
  const before = hole.after >= 0 && hole.after < n ? model.order[hole.after] : null;
  const next = hole.after + 1 < n ? model.order[hole.after + 1] : null;
  // The area after the hole starts exactly at its end; past the range's end there is none.
  const after = next !== null && toBigInt(c.startHi[next], c.startLo[next]) === hole.end ? next : null;
  return { before, after };
}

/**
 * What stands between the free space and a request that does not fit: "6.91 MiB are free in all,
 * less than the 8 MiB it needs. The least to free for one stretch that big: these 18 areas (7.94 MiB):"
 */
export function blockersSentence(r: Pick<ProbeResult, 'needBytes' | 'freeBytes' | 'blockers'>, holeCount: number): string {
  const free = `${formatBytes(r.freeBytes)} ${r.freeBytes === 1 ? 'is' : 'are'} free in all`;
  const enough = r.freeBytes >= r.needBytes;
  const head = enough
    ? `${free}, enough for the ${formatBytes(r.needBytes)} it needs, but split over ${holeCount.toLocaleString('en-US')} ${holeCount === 1 ? 'hole' : 'holes'}.`
    : `${free}, less than the ${formatBytes(r.needBytes)} it needs.`;
  if (!r.blockers) return `${head} Not even the whole range would hold it.`;
  const n = r.blockers.areas.length;
  return `${head} The least to free for one stretch that big: ${n === 1 ? 'this area' : `these ${n.toLocaleString('en-US')} areas`} (${formatBytes(r.blockers.busyBytes)}):`;
}
