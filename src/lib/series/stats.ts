// What the timeline strip draws, per moment of a series: areas, bytes, bytes by kind, caller,
// module and NUMA node, lazily freed bytes, VmallocUsed from /proc/meminfo, the largest free hole.

import type { LayoutHints } from '../model/layout.ts';
import type { Series } from './series.ts';

/** One line of the strip: a key's value at every moment. */
export interface StatGroup {
  key: string;
  /** Bytes (or pages × 4096 for NUMA nodes) at each moment. */
  values: Float64Array;
}

export type GroupBy = 'kind' | 'caller' | 'module' | 'node';

export interface SeriesStats {
  /** Epoch ms per moment, or null. */
  times: (number | null)[];
  /** Areas per moment. */
  count: Float64Array;
  /** Bytes (sum of the size column) per moment. */
  bytes: Float64Array;
  /** Groups per way of grouping, each sorted by its largest value, descending; every group sums to `bytes` (nodes: to the pages). */
  groups: Record<GroupBy, StatGroup[]>;
  /** Lazily freed (unpurged) bytes per moment. */
  unpurged: Float64Array;
  /** VmallocUsed from the moment's /proc/meminfo in bytes, NaN where the moment has none; null when no moment has one. */
  vmallocUsed: Float64Array | null;
  /** The largest free hole of the vmalloc range in bytes, NaN where unknown; null when no moment has raw addresses. */
  largestHole: Float64Array | null;
}

/** Every moment's figures, from the changes (each area counted once as it comes and once as it goes). */
export function seriesStats(series: Series, hints: LayoutHints = {}): SeriesStats {
  throw new Error(`not yet ${series.count} ${Object.keys(hints).length}`);
}
