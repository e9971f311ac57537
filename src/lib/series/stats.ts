// What the timeline strip draws, per moment of a series: areas, bytes, bytes by kind, caller,
// module and NUMA node, lazily freed bytes, VmallocUsed from /proc/meminfo, the largest free hole.
//
// Everything comes from the changes, never from rebuilt moments: running sums per key, each area
// subtracted as it goes and added as it comes, read off after every moment. The largest hole walks
// each raw moment's areas in address order, kept as a sorted list of ranks in the table's address
// order and updated by merging each change into it, against one vmalloc range found once (the
// layout is a fact of the boot), with the gaps taken exactly as fragmentation's walkHoles takes them.

import { noCallerName } from '../analysis/diff.ts';
import { LOADER_CALLERS } from '../model/families.ts';
import type { LayoutHints } from '../model/layout.ts';
import { buildModel } from '../model/model.ts';
import { sortByAddress } from '../model/sort.ts';
import { KIND_INDEX, Snapshot } from '../parse/snapshot.ts';
import { AREA_KINDS, PAGE_SIZE } from '../types.ts';
import type { Series } from './series.ts';

/** One line of the strip: a key's value at every moment. */
export interface StatGroup {
  key: string;
  /** Bytes (or pages × 4096 for NUMA nodes) at each moment. */
  values: Float64Array;
  /** The largest of `values`. */
  peak: number;
}

export type GroupBy = 'kind' | 'caller' | 'module' | 'node';

export interface SeriesStats {
  /** Epoch ms per moment, or null. */
  times: (number | null)[];
  /** Areas per moment. */
  count: Float64Array;
  /** Bytes (sum of the size column) per moment. */
  bytes: Float64Array;
  /** pages= × 4096 per moment (what the node groups add up to when the kernel prints N<node>= counts). */
  backed: Float64Array;
  /**
   * Groups per way of grouping, each sorted by its peak, descending (ties by key), with OTHER_GROUP
   * last when there is one; groups that are 0 at every moment are left out. Every family sums to
   * `bytes` at every moment (nodes: to `backed`, from the N<node>= counts):
   * - kind: AREA_KINDS names;
   * - caller: the caller's symbol (without its `[module]` tag, as the callers panel and
   *   totals.byCaller key it), or noCallerName(kind) for a line without one: LAZILY_FREED,
   *   VM_MAP_RAM, NO_CALLER;
   * - module: the `[module]` tag; untagged areas of the module loader (LOADER_CALLERS) in
   *   MODULE_LOADER; every other area in NOT_A_MODULE;
   * - node: `N<id>`, pages on the node × 4096.
   * A family of more than `maxGroups` keys keeps the maxGroups largest by peak and the maxGroups
   * that moved most (peak − trough) and folds the rest into OTHER_GROUP.
   */
  groups: Record<GroupBy, StatGroup[]>;
  /** Lazily freed (unpurged) bytes per moment. */
  unpurged: Float64Array;
  /** VmallocUsed from the moment's /proc/meminfo in bytes, NaN where the moment has none; null when no moment has one. */
  vmallocUsed: Float64Array | null;
  /**
   * The largest free hole of the vmalloc range in bytes: fragmentation(buildModel(moment, hints))
   * .largest.bytes, and 0 when the range has no free hole at all. NaN where unknown (a moment
   * without raw addresses or without areas, or no vmalloc range recognised); null when no moment
   * has raw addresses (a moment that brought no new area has its predecessor's mode). The range is
   * the layout of the last moment read as raw with areas, for every moment.
   */
  largestHole: Float64Array | null;
}

/** Areas without a `[module]` tag made by the module loader: their module is known only from /proc/modules. */
export const MODULE_LOADER = '(module loader, untagged)';
/** The module family's group of areas that belong to no module. */
export const NOT_A_MODULE = '(not a module)';
/** The group that folds the smaller keys of a family (see SeriesStats.groups). */
export const OTHER_GROUP = '(other)';
/** Per family, at most this many keys by peak and this many by swing are kept before folding. */
export const MAX_GROUPS = 32;

export interface StatsOptions {
  /** See SeriesStats.groups; default MAX_GROUPS. */
  maxGroups?: number;
}

const TWO32 = 4294967296;
const SHIFT = 2147483648;
const UNPURGED = KIND_INDEX.unpurged;

/** One way of grouping: each table id's key (or -1) and the keys' names. */
interface Family {
  by: GroupBy;
  names: string[];
  /** Per table id its key, -1 for none (nodes: unused, see nodeKeys). */
  keyOf: Int32Array;
}

/** Every moment's figures, from the changes (each area counted once as it comes and once as it goes). */
export function seriesStats(series: Series, hints: LayoutHints = {}, options: StatsOptions = {}): SeriesStats {
  const n = series.count;
  const t = series.table;
  const c = t.columns;
  const maxGroups = Math.max(1, Math.floor(options.maxGroups ?? MAX_GROUPS));

  // Keys per table id.
  const kind: Family = { by: 'kind', names: [...AREA_KINDS], keyOf: Int32Array.from(c.kind) };
  const caller = callerFamily(series);
  const module = moduleFamily(series);
  // Nodes: key = index into nodeNames, per node count entry.
  const nodeNames: string[] = [];
  const nodeIndex = new Map<number, number>();
  const nodeKey = new Int32Array(c.nodeId.length);
  for (let k = 0; k < c.nodeId.length; k++) {
    let g = nodeIndex.get(c.nodeId[k]);
    if (g === undefined) {
      nodeIndex.set(c.nodeId[k], (g = nodeNames.length));
      nodeNames.push(`N${c.nodeId[k]}`);
    }
    nodeKey[k] = g;
  }
  const families = [kind, caller, module];

  // Pass 1: running sums per key, each key's peak and trough over the moments.
  const sums = families.map((f) => new Float64Array(f.names.length));
  const peaks = families.map((f) => new Float64Array(f.names.length).fill(-Infinity));
  const troughs = families.map((f) => new Float64Array(f.names.length).fill(Infinity));
  const nodeSums = new Float64Array(nodeNames.length);
  const nodePeaks = new Float64Array(nodeNames.length).fill(-Infinity);
  const nodeTroughs = new Float64Array(nodeNames.length).fill(Infinity);
  const touched = families.map((f) => new Uint8Array(f.names.length));
  const touchedList = families.map(() => [] as number[]);
  const nodeTouched = new Uint8Array(nodeNames.length);
  const nodeTouchedList: number[] = [];
  const apply = (id: number, sign: 1 | -1) => {
    const size = sign * c.size[id];
    for (let f = 0; f < families.length; f++) {
      const g = families[f].keyOf[id];
      if (g < 0) continue;
      sums[f][g] += size;
      if (!touched[f][g]) {
        touched[f][g] = 1;
        touchedList[f].push(g);
      }
    }
    for (let k = c.nodeStart[id]; k < c.nodeStart[id + 1]; k++) {
      const g = nodeKey[k];
      nodeSums[g] += sign * c.nodePages[k] * PAGE_SIZE;
      if (!nodeTouched[g]) {
        nodeTouched[g] = 1;
        nodeTouchedList.push(g);
      }
    }
  };
  const settle = (sum: Float64Array, peak: Float64Array, trough: Float64Array, mark: Uint8Array, list: number[]) => {
    for (const g of list) {
      mark[g] = 0;
      if (sum[g] > peak[g]) peak[g] = sum[g];
      if (sum[g] < trough[g]) trough[g] = sum[g];
    }
    list.length = 0;
  };
  for (let i = 0; i < n; i++) {
    for (const id of series.removed[i]) apply(id, -1);
    for (const id of series.added[i]) apply(id, 1);
    for (let f = 0; f < families.length; f++) settle(sums[f], peaks[f], troughs[f], touched[f], touchedList[f]);
    settle(nodeSums, nodePeaks, nodeTroughs, nodeTouched, nodeTouchedList);
    if (i === 0) {
      // Keys absent from the first moment are 0 there.
      for (let f = 0; f < families.length; f++) zeroUnseen(peaks[f], troughs[f]);
      zeroUnseen(nodePeaks, nodeTroughs);
    }
  }

  // Pass 2: the kept keys' values at every moment, the rest folded into OTHER_GROUP.
  const plans = families.map((f, k) => plan(f.names, peaks[k], troughs[k], maxGroups));
  const nodePlan = plan(nodeNames, nodePeaks, nodeTroughs, maxGroups);
  const slotSums = plans.map((p) => new Float64Array(p.keys.length));
  const nodeSlotSums = new Float64Array(nodePlan.keys.length);
  const values = plans.map((p) => p.keys.map(() => new Float64Array(n)));
  const nodeValues = nodePlan.keys.map(() => new Float64Array(n));
  const count = new Float64Array(n);
  const bytes = new Float64Array(n);
  const backed = new Float64Array(n);
  const unpurged = new Float64Array(n);
  let areas = 0;
  let total = 0;
  let pages = 0;
  let lazy = 0;
  const apply2 = (id: number, sign: 1 | -1) => {
    const size = sign * c.size[id];
    areas += sign;
    total += size;
    pages += sign * c.pages[id];
    if (c.kind[id] === UNPURGED) lazy += size;
    for (let f = 0; f < families.length; f++) {
      const g = families[f].keyOf[id];
      const slot = g >= 0 ? plans[f].slotOf[g] : -1;
      if (slot >= 0) slotSums[f][slot] += size;
    }
    for (let k = c.nodeStart[id]; k < c.nodeStart[id + 1]; k++) {
      const slot = nodePlan.slotOf[nodeKey[k]];
      if (slot >= 0) nodeSlotSums[slot] += sign * c.nodePages[k] * PAGE_SIZE;
    }
  };
  for (let i = 0; i < n; i++) {
    for (const id of series.removed[i]) apply2(id, -1);
    for (const id of series.added[i]) apply2(id, 1);
    count[i] = areas;
    bytes[i] = total;
    backed[i] = pages * PAGE_SIZE;
    unpurged[i] = lazy;
    for (let f = 0; f < families.length; f++) {
      const v = values[f];
      const s = slotSums[f];
      for (let k = 0; k < v.length; k++) v[k][i] = s[k];
    }
    for (let k = 0; k < nodeValues.length; k++) nodeValues[k][i] = nodeSlotSums[k];
  }
  const groupsOf = (keys: string[], vals: Float64Array[]): StatGroup[] => keys.map((key, k) => ({ key, values: vals[k], peak: vals[k].reduce((a, b) => Math.max(a, b), -Infinity) }));

  return {
    times: series.moments.map((m) => m.time),
    count,
    bytes,
    backed,
    groups: {
      kind: groupsOf(plans[0].keys, values[0]),
      caller: groupsOf(plans[1].keys, values[1]),
      module: groupsOf(plans[2].keys, values[2]),
      node: groupsOf(nodePlan.keys, nodeValues),
    },
    unpurged,
    vmallocUsed: vmallocUsed(series),
    largestHole: largestHoles(series, hints),
  };
}

function zeroUnseen(peak: Float64Array, trough: Float64Array): void {
  for (let g = 0; g < peak.length; g++) {
    if (peak[g] === -Infinity) {
      peak[g] = 0;
      trough[g] = 0;
    }
  }
}

/**
 * A family's key ids, handed out in the order first asked for: `named` for a name, `interned` for
 * the series' string s (the same id as its text's, looked up once per string).
 */
function keyIds(strings: readonly string[]): { names: string[]; named: (name: string) => number; interned: (s: number) => number } {
  const names: string[] = [];
  const byName = new Map<string, number>();
  const byString = new Int32Array(strings.length).fill(-1);
  const named = (name: string) => {
    let g = byName.get(name);
    if (g === undefined) {
      byName.set(name, (g = names.length));
      names.push(name);
    }
    return g;
  };
  const interned = (s: number) => (byString[s] >= 0 ? byString[s] : (byString[s] = named(strings[s])));
  return { names, named, interned };
}

/** Caller keys: the interned symbol's name, or what a line without a caller is (by kind). */
function callerFamily(series: Series): Family {
  const t = series.table;
  const c = t.columns;
  const keys = keyIds(t.strings);
  const keyOf = new Int32Array(t.count);
  for (let id = 0; id < t.count; id++) {
    const s = c.symbol[id];
    keyOf[id] = s >= 0 ? keys.interned(s) : keys.named(noCallerName(AREA_KINDS[c.kind[id]]));
  }
  return { by: 'caller', names: keys.names, keyOf };
}

/** Module keys: the `[module]` tag, MODULE_LOADER for the loader's untagged areas, NOT_A_MODULE for the rest. */
function moduleFamily(series: Series): Family {
  const t = series.table;
  const c = t.columns;
  const keys = keyIds(t.strings);
  const isLoader = t.strings.map((s) => LOADER_CALLERS.has(s));
  const keyOf = new Int32Array(t.count);
  for (let id = 0; id < t.count; id++) {
    const m = c.module[id];
    // A module name is a tag, never one of the parenthesised group names.
    keyOf[id] = m >= 0 ? keys.interned(m) : keys.named(c.symbol[id] >= 0 && isLoader[c.symbol[id]] ? MODULE_LOADER : NOT_A_MODULE);
  }
  return { by: 'module', names: keys.names, keyOf };
}

interface Plan {
  /** The group keys in output order (OTHER_GROUP last when present). */
  keys: string[];
  /** Per key id its slot in `keys`, or -1 when the key is 0 at every moment. */
  slotOf: Int32Array;
}

/** Which keys are kept, in which order, and which are folded into OTHER_GROUP. */
function plan(names: string[], peak: Float64Array, trough: Float64Array, maxGroups: number): Plan {
  const live: number[] = [];
  for (let g = 0; g < names.length; g++) if (peak[g] !== 0 || trough[g] !== 0) live.push(g);
  const byPeak = (a: number, b: number) => peak[b] - peak[a] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0);
  live.sort(byPeak);
  let kept = live;
  let folded: number[] = [];
  if (live.length > maxGroups) {
    const keep = new Set(live.slice(0, maxGroups));
    const bySwing = [...live].sort((a, b) => peak[b] - trough[b] - (peak[a] - trough[a]) || byPeak(a, b));
    for (const g of bySwing.slice(0, maxGroups)) keep.add(g);
    kept = live.filter((g) => keep.has(g));
    folded = live.filter((g) => !keep.has(g));
  }
  const slotOf = new Int32Array(names.length).fill(-1);
  const keys = kept.map((g, k) => {
    slotOf[g] = k;
    return names[g];
  });
  if (folded.length > 0) {
    for (const g of folded) slotOf[g] = keys.length;
    keys.push(OTHER_GROUP);
  }
  return { keys, slotOf };
}

/** VmallocUsed per moment in bytes (NaN where absent), or null when no moment has it. */
function vmallocUsed(series: Series): Float64Array | null {
  const out = new Float64Array(series.count);
  let any = false;
  series.moments.forEach((m, i) => {
    const e = m.capture.meminfo.find((x) => x.key === 'VmallocUsed');
    out[i] = e ? (e.unit === 'kB' ? e.value * 1024 : e.value) : NaN;
    if (e) any = true;
  });
  return any ? out : null;
}

/** The largest free hole of the vmalloc range per moment (see SeriesStats.largestHole). */
function largestHoles(series: Series, hints: LayoutHints): Float64Array | null {
  const n = series.count;
  const moments = series.moments;
  // A moment that brought no new area (a recording's frame of removals only, or none) has only
  // areas of the moment before: its addresses are printed as that moment's were.
  const raw = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const mode = moments[i].facts.pointerMode;
    raw[i] = mode === 'raw' || (mode === 'unknown' && i > 0 && series.added[i].length === 0 && raw[i - 1]) ? 1 : 0;
  }
  if (!raw.includes(1)) return null;
  const out = new Float64Array(n).fill(NaN);
  let ref = -1;
  for (let i = n - 1; i >= 0 && ref < 0; i--) if (moments[i].facts.pointerMode === 'raw' && moments[i].facts.count > 0) ref = i;
  if (ref < 0) return out;
  // The layout of one moment: its gathered areas are in id order, not address order, so whatever its
  // file's order was, the model must sort them.
  const snap = series.snapshot(ref);
  const vm = buildModel(new Snapshot({ ...snap.facts(), sorted: false }, snap.columns, snap.strings, snap.flagWords, snap.diagnostics), hints).layout?.regions.find((r) => r.id === 'vmalloc');
  if (!vm) return out;

  // The table in address order (stable: ties in id order, as the gathered moment sorts them).
  const t = series.table;
  const c = t.columns;
  const order = sortByAddress(c.startHi, c.startLo, t.count);
  const rank = new Uint32Array(t.count);
  // Halves shifted down by 2^31 into Int32Arrays (small integers to the engine): order and
  // differences are unchanged.
  const sHi = new Int32Array(t.count);
  const sLo = new Int32Array(t.count);
  const eHi = new Int32Array(t.count);
  const eLo = new Int32Array(t.count);
  for (let r = 0; r < t.count; r++) {
    const id = order[r];
    rank[id] = r;
    sHi[r] = c.startHi[id] - SHIFT;
    sLo[r] = c.startLo[id] - SHIFT;
    eHi[r] = c.endHi[id] - SHIFT;
    eLo[r] = c.endLo[id] - SHIFT;
  }
  const w: Walk = {
    sHi,
    sLo,
    eHi,
    eLo,
    vmSHi: Number((vm.start >> 32n) & 0xffffffffn) - SHIFT,
    vmSLo: Number(vm.start & 0xffffffffn) - SHIFT,
    top: vm.end >= 1n << 64n,
    // The end as halves, 2^64 as (2^32, 0) so that differences from it stay exact.
    vmEHi: (vm.end >= 1n << 64n ? TWO32 : Number(vm.end >> 32n)) - SHIFT,
    vmELo: Number(vm.end & 0xffffffffn) - SHIFT,
  };

  // The live ranks, ascending, in two buffers the changes are merged between.
  let live = new Uint32Array(16);
  let spare = new Uint32Array(16);
  let len = 0;
  let minus = new Uint32Array(16);
  let plus = new Uint32Array(16);
  for (let i = 0; i < n; i++) {
    const removed = series.removed[i];
    const added = series.added[i];
    if (minus.length < removed.length) minus = new Uint32Array(removed.length);
    if (plus.length < added.length) plus = new Uint32Array(added.length);
    for (let k = 0; k < removed.length; k++) minus[k] = rank[removed[k]];
    for (let k = 0; k < added.length; k++) plus[k] = rank[added[k]];
    const size = len - removed.length + added.length;
    if (spare.length < size) spare = new Uint32Array(Math.max(size, spare.length * 2));
    len = merge(live, len, minus.subarray(0, removed.length).sort(), plus.subarray(0, added.length).sort(), spare);
    const t = live;
    live = spare;
    spare = t;
    if (raw[i] && len > 0) out[i] = largestIn(live, len, w);
  }
  return out;
}

/** The table's areas in address order (by rank) and the vmalloc range, as halves less SHIFT. */
interface Walk {
  sHi: Int32Array;
  sLo: Int32Array;
  eHi: Int32Array;
  eLo: Int32Array;
  vmSHi: number;
  vmSLo: number;
  /** The range ends at 2^64. */
  top: boolean;
  vmEHi: number;
  vmELo: number;
}

/** (hi, lo) < (h, l). */
const below = (hi: number, lo: number, h: number, l: number) => hi < h || (hi === h && lo < l);

/** First position of live[0..len) whose area starts at or above (hi, lo). */
function atOrAbove(w: Walk, live: Uint32Array, len: number, hi: number, lo: number): number {
  let a = 0;
  let b = len;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (below(w.sHi[live[m]], w.sLo[live[m]], hi, lo)) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * The largest free hole of the range among the areas live[0..len) (ranks, ascending), 0 when there
 * is none: fragmentation's walkHoles step by step. Each size is (eHi − sHi)·2^32 + (eLo − sLo),
 * the exact difference correctly rounded, as fragmentation measures it.
 */
function largestIn(live: Uint32Array, len: number, w: Walk): number {
  const { sHi, sLo, eHi, eLo } = w;
  const from = atOrAbove(w, live, len, w.vmSHi, w.vmSLo);
  const to = w.top ? len : atOrAbove(w, live, len, w.vmEHi, w.vmELo);
  // An area that starts below the range may reach into it: the range is free only from its end.
  let hi = w.vmSHi;
  let lo = w.vmSLo;
  for (let k = 0; k < from; k++) {
    const r = live[k];
    if (below(hi, lo, eHi[r], eLo[r])) {
      hi = eHi[r];
      lo = eLo[r];
    }
  }
  let best = 0;
  if (from < to) {
    const first = live[from];
    if (below(hi, lo, sHi[first], sLo[first])) best = (sHi[first] - hi) * TWO32 + (sLo[first] - lo);
    // Walk on with the highest end so far (areas may overlap in a live read).
    if (below(hi, lo, eHi[first], eLo[first])) {
      hi = eHi[first];
      lo = eLo[first];
    }
    for (let k = from + 1; k < to; k++) {
      const r = live[k];
      const h = sHi[r];
      const l = sLo[r];
      if (h > hi || (h === hi && l > lo)) {
        const gap = (h - hi) * TWO32 + (l - lo);
        if (gap > best) best = gap;
      }
      if (eHi[r] > hi || (eHi[r] === hi && eLo[r] > lo)) {
        hi = eHi[r];
        lo = eLo[r];
      }
    }
  }
  if (below(hi, lo, w.vmEHi, w.vmELo)) {
    const gap = (w.vmEHi - hi) * TWO32 + (w.vmELo - lo);
    if (gap > best) best = gap;
  }
  return best;
}

/** `a[0..len)` without `minus`, with `plus` (all ascending, few), into `out`; returns its length. Runs between changes are copied whole. */
function merge(a: Uint32Array, len: number, minus: Uint32Array, plus: Uint32Array, out: Uint32Array): number {
  let i = 0;
  let m = 0;
  let p = 0;
  let o = 0;
  while (m < minus.length || p < plus.length) {
    // The next change: a rank to drop or one to insert, whichever is lower.
    const drop = m < minus.length && (p >= plus.length || minus[m] < plus[p]);
    const at = drop ? minus[m] : plus[p];
    const j = firstAtLeast(a, i, len, at);
    out.set(a.subarray(i, j), o);
    o += j - i;
    i = j;
    if (drop) {
      if (i < len && a[i] === at) i++;
      m++;
    } else out[o++] = plus[p++];
  }
  out.set(a.subarray(i, len), o);
  return o + len - i;
}

/** First k in [from, to) with a[k] >= x (a ascending), or to. */
function firstAtLeast(a: Uint32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
