// The areas table's rows without React. Sorting builds one index array per key and direction,
// once per model, with a comparator over the typed columns (never one object per area); filtering
// is one pass over that array keeping what the text, the kinds and the highlight allow. Both stay
// fast at a million areas.

import { compare, hiOf, loOf, parseQuery } from '../../lib/index.ts';
import type { Model, ModuleColumn } from '../../lib/index.ts';

// The sort keys and the kinds filter are the table's state (state/tableSlice.ts).
import { ALL_KINDS } from '../state/tableSlice.ts';
import type { SortDir, SortKey } from '../state/tableSlice.ts';
export { ALL_KINDS, SORT_KEYS } from '../state/tableSlice.ts';
export type { SortDir, SortKey } from '../state/tableSlice.ts';

const sorted = new WeakMap<Model, Map<string, Uint32Array>>();
const ranks = new WeakMap<Model, Uint32Array>();

/** Per area: its position in the model's order (address order in raw mode, file order otherwise). */
function orderRank(model: Model): Uint32Array {
  let rank = ranks.get(model);
  if (!rank) {
    rank = new Uint32Array(model.order.length);
    for (let k = 0; k < model.order.length; k++) rank[model.order[k]] = k;
    ranks.set(model, rank);
  }
  return rank;
}

/** Per interned string id: its place in plain code-point order, case folded. */
function stringRank(strings: readonly string[]): Uint32Array {
  const ids = strings.map((_, id) => id);
  const folded = strings.map((s) => s.toLowerCase());
  ids.sort((a, b) => (folded[a] < folded[b] ? -1 : folded[a] > folded[b] ? 1 : a - b));
  const rank = new Uint32Array(strings.length);
  ids.forEach((id, r) => (rank[id] = r));
  return rank;
}

/**
 * Area indices in the order of `key` and `dir`. Address order needs real addresses: in hashed,
 * masked and zeroed dumps 'address' is file order. Ties, and areas without a caller or module
 * (always last), keep the model's order.
 */
export function sortedIndex(model: Model, key: SortKey, dir: SortDir, modules: ModuleColumn | null = null): Uint32Array {
  if (key === 'module' && modules) return sortedByModule(model, dir, modules);
  let byKey = sorted.get(model);
  if (!byKey) sorted.set(model, (byKey = new Map()));
  const id = `${key}:${dir}`;
  const hit = byKey.get(id);
  if (hit) return hit;
  const c = model.snapshot.columns;
  const rank = orderRank(model);
  const sign = dir === 'asc' ? 1 : -1;
  let out: Uint32Array;
  if (key === 'address') {
    out = model.order.slice();
    if (dir === 'desc') out.reverse();
  } else {
    out = model.order.slice();
    let cmp: (a: number, b: number) => number;
    if (key === 'size' || key === 'pages') {
      const v = key === 'size' ? c.size : c.pages;
      cmp = (a, b) => sign * (v[a] - v[b]) || rank[a] - rank[b];
    } else {
      const col = key === 'caller' ? c.symbol : c.module;
      const sr = stringRank(model.snapshot.strings);
      // Missing names sort last in either direction.
      const nameRank = (i: number) => (col[i] < 0 ? -1 : sr[col[i]]);
      cmp = (a, b) => {
        const ra = nameRank(a);
        const rb = nameRank(b);
        if (ra !== rb) return ra < 0 ? 1 : rb < 0 ? -1 : sign * (ra - rb);
        return rank[a] - rank[b];
      };
    }
    out.sort(cmp);
  }
  byKey.set(id, out);
  return out;
}

const sortedModules = new WeakMap<ModuleColumn, Map<SortDir, Uint32Array>>();

/** By module name when /proc/modules names the loader's areas too (`modules`, see moduleColumn); areas of no module last. */
function sortedByModule(model: Model, dir: SortDir, modules: ModuleColumn): Uint32Array {
  let byDir = sortedModules.get(modules);
  if (!byDir) sortedModules.set(modules, (byDir = new Map()));
  const hit = byDir.get(dir);
  if (hit) return hit;
  const rank = orderRank(model);
  const nameRank = stringRank(modules.names);
  const sign = dir === 'asc' ? 1 : -1;
  const r = (i: number) => (modules.ids[i] < 0 ? -1 : nameRank[modules.ids[i]]);
  const out = model.order.slice().sort((a, b) => {
    const ra = r(a);
    const rb = r(b);
    if (ra !== rb) return ra < 0 ? 1 : rb < 0 ? -1 : sign * (ra - rb);
    return rank[a] - rank[b];
  });
  byDir.set(dir, out);
  return out;
}

/** The text filter: a caller or module substring, or an address (see `parseQuery`). */
export interface TextMatcher {
  (i: number): boolean;
}

/**
 * Areas whose caller function or [module] contains the text (any case); for an address ("0x…",
 * or 8 hex digits and more) also the areas whose printed start or end contains it, and in raw
 * mode the area that holds that address. null for an empty text.
 */
export function textMatcher(model: Model, text: string, loaders: readonly (string | null)[] | null = null): TextMatcher | null {
  const q = parseQuery(text);
  if (q.type === 'empty') return null;
  const s = model.snapshot;
  const c = s.columns;
  const needle = q.type === 'text' ? q.text : text.trim().toLowerCase();
  const hit = new Uint8Array(s.strings.length);
  s.strings.forEach((name, id) => (hit[id] = name.toLowerCase().includes(needle) ? 1 : 0));
  // Loader areas carry no [module] tag; /proc/modules (when known) names the module they hold.
  const loaderHit = new Set((loaders ?? []).filter((name): name is string => name !== null && name.toLowerCase().includes(needle)));
  const byLoader = (i: number) => loaderHit.size > 0 && loaders !== null && c.module[i] < 0 && loaderHit.has(loaders[i] ?? '');
  const byName = (i: number) =>
    (c.symbol[i] >= 0 && hit[c.symbol[i]] === 1) || (c.module[i] >= 0 && hit[c.module[i]] === 1) || byLoader(i);
  if (q.type !== 'address' || s.pointerMode === 'masked') return byName;
  const digits = s.addressDigits || 16;
  const hi = hiOf(q.value);
  const lo = loOf(q.value);
  const raw = s.pointerMode === 'raw';
  const inside = (i: number) =>
    raw && compare(c.startHi[i], c.startLo[i], hi, lo) <= 0 && compare(c.endHi[i], c.endLo[i], hi, lo) > 0;
  const printed = printedMatcher(needle, digits);
  return (i) => byName(i) || inside(i) || printed(c.startHi[i], c.startLo[i]) || printed(c.endHi[i], c.endLo[i]);
}

/**
 * Whether an address as printed (`digits` hex digits after 0x) contains the typed hex. "0x…" can
 * only match at the start, so it is a range test on the halves; bare hex is a true substring.
 */
function printedMatcher(needle: string, digits: number): (hi: number, lo: number) => boolean {
  if (needle.startsWith('0x')) {
    const typed = needle.slice(2);
    if (typed.length === 0 || typed.length > digits) return () => false;
    const shift = BigInt(4 * (digits - typed.length));
    const from = BigInt('0x' + typed) << shift;
    const to = ((BigInt('0x' + typed) + 1n) << shift) - 1n;
    const [fHi, fLo, tHi, tLo] = [hiOf(from), loOf(from), hiOf(to), loOf(to)];
    return (h, l) => compare(h, l, fHi, fLo) >= 0 && compare(h, l, tHi, tLo) <= 0;
  }
  const highs = new Map<number, string>();
  return (h, l) => {
    let high = highs.get(h);
    if (high === undefined) highs.set(h, (high = digits <= 8 && h === 0 ? '' : (h >>> 0).toString(16).padStart(8, '0')));
    return (high + (l >>> 0).toString(16).padStart(8, '0')).includes(needle);
  };
}

export interface RowFilter {
  text: string;
  /** Bit k: show AREA_KINDS[k]. */
  kinds: number;
  /** Per area index: 1 to keep; null keeps all. */
  only: Uint8Array | null;
  /** Per area index: the module a loader area holds, by /proc/modules (matched by the text too). */
  loaders?: readonly (string | null)[] | null;
}

export interface Rows {
  /** Area indices, in table order. */
  rows: Uint32Array;
  /** Sum of the size column over the rows. */
  bytes: number;
}

/** The rows of `order` that pass the filter, in that order. */
export function filterRows(model: Model, order: Uint32Array, filter: RowFilter): Rows {
  const c = model.snapshot.columns;
  const match = textMatcher(model, filter.text, filter.loaders ?? null);
  const { kinds, only } = filter;
  if (!match && !only && kinds === ALL_KINDS) {
    let bytes = 0;
    for (let i = 0; i < c.size.length; i++) bytes += c.size[i];
    return { rows: order, bytes };
  }
  const out = new Uint32Array(order.length);
  let n = 0;
  let bytes = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (!((kinds >> c.kind[i]) & 1)) continue;
    if (only && !only[i]) continue;
    if (match && !match(i)) continue;
    out[n++] = i;
    bytes += c.size[i];
  }
  return { rows: out.subarray(0, n), bytes };
}
