// The summary's bars without React: the areas grouped by kind, caller function, module and NUMA
// node (the largest first, the rest folded into one "other" row), how the bytes split into backed
// pages, guard pages and unbacked space, and the set of areas behind any one bar, which is what a
// click highlights on the map and keeps in the table.

import { AREA_KINDS, PAGE_SIZE, moduleColumn, noCallerName } from '../../lib/index.ts';
import type { Model, ModuleColumn } from '../../lib/index.ts';

export type GroupBy = 'kind' | 'caller' | 'module' | 'node' | 'backing';

export interface GroupRow {
  /** Unique within its list; `source` of the highlight it makes. */
  key: string;
  label: string;
  /** Areas in the group (for nodes: areas with pages on the node). */
  count: number;
  /** Sum of the size column (for nodes: pages on the node × 4096). */
  bytes: number;
  pages: number;
  /** What the group holds: kind indices, string ids (for callers, noCallerId(kind) for the lines
   *  without one), module ids (of the ModuleColumn), node ids, or a backing part. */
  ids: number[];
  /** True for the row that folds the smaller groups together. */
  other: boolean;
}

interface Acc {
  count: number;
  bytes: number;
  pages: number;
}

function ranked(by: GroupBy, entries: Array<{ id: number; name: string } & Acc>, limit: number, noun: string): GroupRow[] {
  entries.sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows: GroupRow[] = entries.slice(0, entries.length > limit ? limit - 1 : limit).map((e) => ({
    key: `${by}:${e.name}`,
    label: e.name,
    count: e.count,
    bytes: e.bytes,
    pages: e.pages,
    ids: [e.id],
    other: false,
  }));
  if (entries.length > limit) {
    const rest = entries.slice(limit - 1);
    rows.push({
      key: `${by}:*other*`,
      label: `${rest.length} other ${noun}`,
      count: rest.reduce((a, e) => a + e.count, 0),
      bytes: rest.reduce((a, e) => a + e.bytes, 0),
      pages: rest.reduce((a, e) => a + e.pages, 0),
      ids: rest.map((e) => e.id),
      other: true,
    });
  }
  return rows;
}

/** The id of the caller group of the areas of kind index k that print no caller (always < 0). */
export function noCallerId(k: number): number {
  return -1 - k;
}

/** The bars of one panel: at most `limit` rows, the last one folding the rest when there are more. */
export function groupRows(model: Model, by: Exclude<GroupBy, 'backing'>, limit = 12, modules: ModuleColumn | null = null): GroupRow[] {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  if (by === 'kind') {
    const t = model.totals.byKind;
    const entries = AREA_KINDS.map((kind, id) => ({ id, name: kind, ...t[kind] })).filter((e) => e.count > 0);
    return ranked(by, entries, limit, 'kinds');
  }
  if (by === 'node') {
    const acc = new Map<number, Acc>();
    for (let i = 0; i < n; i++) {
      for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) {
        const a = acc.get(c.nodeId[k]) ?? { count: 0, bytes: 0, pages: 0 };
        a.count++;
        a.pages += c.nodePages[k];
        a.bytes += c.nodePages[k] * PAGE_SIZE;
        acc.set(c.nodeId[k], a);
      }
    }
    const entries = [...acc].map(([id, a]) => ({ id, name: `N${id}`, ...a })).sort((a, b) => a.id - b.id);
    return ranked(by, entries, limit, 'nodes');
  }
  if (by === 'module') {
    // Every area of a module: its [module] tags, and its loader areas once /proc/modules is known.
    const m = modules ?? moduleColumn(model);
    const acc = m.names.map(() => ({ count: 0, bytes: 0, pages: 0 }));
    for (let i = 0; i < n; i++) {
      const id = m.ids[i];
      if (id < 0) continue;
      acc[id].count++;
      acc[id].bytes += c.size[i];
      acc[id].pages += c.pages[i];
    }
    return ranked(by, m.names.map((name, id) => ({ id, name, ...acc[id] })), limit, 'modules');
  }
  const col = c.symbol;
  const count = new Float64Array(s.strings.length);
  const bytes = new Float64Array(s.strings.length);
  const pages = new Float64Array(s.strings.length);
  // Areas without a caller, by kind: lazily freed (unpurged), vm_map_ram blocks, early areas.
  const noneCount = new Float64Array(AREA_KINDS.length);
  const noneBytes = new Float64Array(AREA_KINDS.length);
  const nonePages = new Float64Array(AREA_KINDS.length);
  for (let i = 0; i < n; i++) {
    const id = col[i];
    if (id >= 0) {
      count[id]++;
      bytes[id] += c.size[i];
      pages[id] += c.pages[i];
    } else {
      const k = c.kind[i];
      noneCount[k]++;
      noneBytes[k] += c.size[i];
      nonePages[k] += c.pages[i];
    }
  }
  const entries: Array<{ id: number; name: string } & Acc> = [];
  for (let id = 0; id < count.length; id++) {
    if (count[id] > 0) entries.push({ id, name: s.strings[id], count: count[id], bytes: bytes[id], pages: pages[id] });
  }
  for (let k = 0; k < AREA_KINDS.length; k++) {
    if (noneCount[k] > 0) entries.push({ id: noCallerId(k), name: noCallerName(AREA_KINDS[k]), count: noneCount[k], bytes: noneBytes[k], pages: nonePages[k] });
  }
  return ranked(by, entries, limit, 'functions');
}

export const BACKING_PARTS = ['backed', 'guard', 'unbacked'] as const;
export type BackingPart = (typeof BACKING_PARTS)[number];

export interface Backing {
  /** pages= × 4096. */
  backed: number;
  /** Guard pages inside the areas. */
  guard: number;
  /** The rest of the size column: reserved address space with no pages= behind it (ioremap, vmap, …). */
  unbacked: number;
  total: number;
}

/** How the size column splits: backed pages, guard pages, and the rest. */
export function backing(model: Model): Backing {
  const t = model.totals;
  const total = t.all.bytes;
  const backed = t.backedBytes;
  const guard = t.guardBytes;
  return { backed, guard, unbacked: Math.max(0, total - backed - guard), total };
}

/** Whether area i belongs to a backing part: with pages, with a guard page, or with no pages at all. */
function inBacking(model: Model, part: BackingPart, i: number): boolean {
  const c = model.snapshot.columns;
  if (part === 'backed') return c.pages[i] > 0;
  if (part === 'guard') return model.snapshot.guardOf(i) > 0;
  return c.pages[i] === 0;
}

export interface AreaSet {
  /** Per area index (file order). */
  areas: Uint8Array;
  count: number;
  /** Sum of the size column over the set. */
  bytes: number;
}

/** The areas behind one bar. For 'backing', ids[0] indexes BACKING_PARTS; for 'module', ids are those of `modules` (default: the tags). */
export function groupSet(model: Model, by: GroupBy, ids: readonly number[], modules: ModuleColumn | null = null): AreaSet {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const areas = new Uint8Array(n);
  const want = new Set(ids);
  let test: (i: number) => boolean;
  if (by === 'kind') test = (i) => want.has(c.kind[i]);
  else if (by === 'caller') test = (i) => want.has(c.symbol[i] >= 0 ? c.symbol[i] : noCallerId(c.kind[i]));
  else if (by === 'module') {
    const m = modules ?? moduleColumn(model);
    test = (i) => want.has(m.ids[i]);
  }
  else if (by === 'node')
    test = (i) => {
      for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) if (want.has(c.nodeId[k])) return true;
      return false;
    };
  else {
    const part = BACKING_PARTS[ids[0]];
    test = (i) => inBacking(model, part, i);
  }
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    if (!test(i)) continue;
    areas[i] = 1;
    count++;
    bytes += c.size[i];
  }
  return { areas, count, bytes };
}
