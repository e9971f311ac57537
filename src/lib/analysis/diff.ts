// What changed between two snapshots A (before) and B (after).
//
// Matching rule:
// - 'address' when both dumps have raw addresses from the same boot: an area is identified by its
//   start address and its caller (symbol and [module] tag; an area without a caller by its kind).
//   Same key on both sides with the same size: same; with another size: resized; a key only in B:
//   added; only in A: removed. Found by walking both address orders at once. When not one area
//   matches (two boots whose layouts were not recognised), the diff falls back to 'multiset'.
// - 'multiset' otherwise (hashed, masked or zeroed addresses, a share link whose addresses were
//   hidden, or raw dumps from two boots whose KASLR bases differ): areas are identified by caller +
//   size only. For each (caller, size), the first min(countA, countB) areas in file order are the
//   same, extra areas in B are added and extra areas in A removed. Leftovers of one caller with
//   different sizes are NOT paired as resized: an area freed and allocated again elsewhere with
//   another size is a removal and an addition in address mode too, so both modes count alike.
//   `resized` is therefore always empty in multiset mode.
// Bytes are the size column (guard page included).
// byModule names an area by its [module] tag, or, when /proc/modules of that side is given, by the
// module whose loader area it is (see modules.ts: the area holding its base address and, since
// 6.4, its other sections' areas, found by their sizes adding up to lsmod's); and when both module
// lists are given and exactly one module left (arrived), the removed (added) loader areas credited
// to no module are counted to it too. possibleLeaks: areas of B tagged with a module that B's
// /proc/modules no longer lists. The check runs whenever modulesB is given (an empty list is a
// valid /proc/modules: nothing loaded) and `leakCheck` says whether it ran; leave modulesB
// undefined when B's /proc/modules is not known.

import type { ModuleEntry } from '../input/capture.ts';
import type { Model } from '../model/model.ts';
import { compare } from '../addr.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import { AREA_KINDS } from '../types.ts';
import type { AreaKind } from '../types.ts';
import { attributeModules } from './modules.ts';
import { sameBootWarnings } from './sameBoot.ts';
import type { SameBootWarning } from './sameBoot.ts';

export const DIFF_STATUS = ['same', 'added', 'removed', 'resized'] as const;
export type DiffStatus = (typeof DIFF_STATUS)[number];
const SAME = 0;
const ADDED = 1;
const REMOVED = 2;
const RESIZED = 3;

export interface NetChange {
  /** Net area count change (added − removed). */
  count: number;
  /** Net bytes (size column): added + resized deltas − removed. */
  bytes: number;
  added: number;
  removed: number;
  resized: number;
}

export interface SnapshotDiff {
  /** 'address': raw on both sides (address + caller); 'multiset': caller + size multisets. */
  matchedBy: 'address' | 'multiset';
  /** Why this matching was chosen, as a sentence. */
  matchReason: string;
  added: { count: number; bytes: number };
  removed: { count: number; bytes: number };
  resized: { count: number; bytesDelta: number };
  netBytes: number;
  /** Per area of A (file order): 'same' | 'removed' | 'resized' as a DIFF_STATUS index. */
  statusA: Uint8Array;
  /** Per area of B (file order): 'same' | 'added' | 'resized' as a DIFF_STATUS index. */
  statusB: Uint8Array;
  /** Area indices, file order, for lists. */
  addedB: Uint32Array;
  removedA: Uint32Array;
  /** Resized pairs: resizedA[i] in A became resizedB[i] in B. */
  resizedA: Uint32Array;
  resizedB: Uint32Array;
  /** Net change per module ([module] tag, plus loader areas when /proc/modules is given), sorted by |bytes| desc. */
  byModule: Array<{ name: string } & NetChange>;
  /** Net change per caller function, sorted by |bytes| desc. Lines without a caller count under
   *  "(lazily freed)" (unpurged vm_area), "(vm_map_ram)" or, for early areas, "(no caller)". */
  byCaller: Array<{ name: string } & NetChange>;
  /** Net change per kind (vmalloc, ioremap, unpurged, ...), sorted by |bytes| desc. */
  byKind: Array<{ name: string } & NetChange>;
  /** Areas of B attributed to a module that is not in B's /proc/modules (needs modulesB). */
  possibleLeaks: Array<{ module: string; areas: number[]; bytes: number }>;
  /** Whether the leak check ran: it needs B's /proc/modules (an empty list is a valid one). */
  leakCheck: 'ran' | 'no-modules-b';
  /** Why A and B cannot be one machine and boot (sameBoot.ts); empty when nothing says so. */
  warnings: SameBootWarning[];
}

export interface DiffOptions {
  modulesA?: ModuleEntry[];
  modulesB?: ModuleEntry[];
  /** The side came from a share link that hid its addresses (DecodedShare.addressesHidden). */
  addressesHiddenA?: boolean;
  addressesHiddenB?: boolean;
}

/** Areas without a caller go by what the line says they are, in every caller ranking. */
export const NO_CALLER = '(no caller)';
/** `unpurged vm_area` lines: freed, waiting for the lazy TLB flush. */
export const LAZILY_FREED = '(lazily freed)';
/** `vm_map_ram` lines: one per-CPU vm_map_ram block each. */
export const VM_MAP_RAM = '(vm_map_ram)';

/** The name of an area without a caller: lazily freed, a vm_map_ram block, or (early areas) no caller. */
export function noCallerName(kind: AreaKind): string {
  return kind === 'unpurged' ? LAZILY_FREED : kind === 'vm_map_ram' ? VM_MAP_RAM : NO_CALLER;
}

/** Area i's caller function, or what it is when the line names none. */
export function callerName(s: Snapshot, i: number): string {
  return s.symbolOf(i) ?? noCallerName(s.kindOf(i));
}

/**
 * Caller identity of each area as a small integer shared by both snapshots (`ids` names them):
 * symbol and [module], or the kind for areas without a caller. One string per distinct identity,
 * not per area, so a million areas cost two typed-array passes.
 */
function callerIds(m: Model, ids: Map<string, number>): Int32Array {
  const s = m.snapshot;
  const c = s.columns;
  const out = new Int32Array(s.count);
  const local = new Map<number, number>();
  const width = s.strings.length + 1;
  for (let i = 0; i < s.count; i++) {
    const sym = c.symbol[i];
    const mod = c.module[i];
    const combo = sym < 0 ? -1 - c.kind[i] : (sym + 1) * width + (mod + 1);
    let id = local.get(combo);
    if (id === undefined) {
      const name = sym < 0 ? `(${AREA_KINDS[c.kind[i]]})` : mod < 0 ? s.strings[sym] : `${s.strings[sym]} [${s.strings[mod]}]`;
      id = ids.get(name);
      if (id === undefined) ids.set(name, (id = ids.size));
      local.set(combo, id);
    }
    out[i] = id;
  }
  return out;
}

/**
 * Address matching: walk both address orders at once; among the areas sharing a start address on
 * both sides, pair equal callers, lowest file index first. Calls `pair(i, j)` for each pair.
 */
function matchByAddress(a: Model, b: Model, callerA: Int32Array, callerB: Int32Array, pair: (i: number, j: number) => void): void {
  const ca = a.snapshot.columns;
  const cb = b.snapshot.columns;
  const oa = a.order;
  const ob = b.order;
  let p = 0;
  let q = 0;
  while (p < oa.length && q < ob.length) {
    const hi = ca.startHi[oa[p]];
    const lo = ca.startLo[oa[p]];
    const cmp = compare(hi, lo, cb.startHi[ob[q]], cb.startLo[ob[q]]);
    if (cmp < 0) p++;
    else if (cmp > 0) q++;
    else {
      let p2 = p + 1;
      while (p2 < oa.length && ca.startHi[oa[p2]] === hi && ca.startLo[oa[p2]] === lo) p2++;
      let q2 = q + 1;
      while (q2 < ob.length && cb.startHi[ob[q2]] === hi && cb.startLo[ob[q2]] === lo) q2++;
      if (p2 - p === 1 && q2 - q === 1) {
        if (callerA[oa[p]] === callerB[ob[q]]) pair(oa[p], ob[q]);
      } else {
        const groupA = [...oa.subarray(p, p2)].sort((x, y) => x - y);
        const groupB = [...ob.subarray(q, q2)].sort((x, y) => x - y);
        const taken = new Uint8Array(groupA.length);
        for (const j of groupB) {
          const k = groupA.findIndex((i, t) => taken[t] === 0 && callerA[i] === callerB[j]);
          if (k >= 0) {
            taken[k] = 1;
            pair(groupA[k], j);
          }
        }
      }
      p = p2;
      q = q2;
    }
  }
}

/** Multiset matching: per (caller, size), the first min(countA, countB) areas in file order pair up. */
function matchByMultiset(a: Model, b: Model, callerA: Int32Array, callerB: Int32Array, pair: (i: number, j: number) => void): void {
  const sizeA = a.snapshot.columns.size;
  const sizeB = b.snapshot.columns.size;
  const pool = new Map<number, Map<number, number[]>>();
  for (let i = a.snapshot.count - 1; i >= 0; i--) {
    let bySize = pool.get(callerA[i]);
    if (!bySize) pool.set(callerA[i], (bySize = new Map()));
    const list = bySize.get(sizeA[i]);
    if (list) list.push(i);
    else bySize.set(sizeA[i], [i]);
  }
  for (let j = 0; j < b.snapshot.count; j++) {
    const i = pool.get(callerB[j])?.get(sizeB[j])?.pop(); // lowest file index first (pushed in reverse)
    if (i !== undefined) pair(i, j);
  }
}

function chooseMatching(a: Model, b: Model, o: DiffOptions): { by: 'address' | 'multiset'; reason: string } {
  const ma = a.snapshot.pointerMode;
  const mb = b.snapshot.pointerMode;
  if (ma !== 'raw' || mb !== 'raw') {
    const mode = ma !== 'raw' ? ma : mb;
    return { by: 'multiset', reason: `Addresses are ${mode} in ${ma !== 'raw' ? 'A' : 'B'}, so areas are matched by caller and size.` };
  }
  if (o.addressesHiddenA || o.addressesHiddenB) {
    return { by: 'multiset', reason: 'A share link hid its addresses, so areas are matched by caller and size.' };
  }
  const va = a.layout?.regions.find((r) => r.id === 'vmalloc');
  const vb = b.layout?.regions.find((r) => r.id === 'vmalloc');
  if (va && vb && (va.start !== vb.start || a.layout?.id !== b.layout?.id)) {
    return { by: 'multiset', reason: 'The two dumps have different vmalloc bases (another boot or machine), so areas are matched by caller and size.' };
  }
  return { by: 'address', reason: 'Both dumps have raw addresses, so areas are matched by start address and caller.' };
}

interface Acc {
  added: number;
  removed: number;
  resized: number;
  bytes: number;
}

function table(map: Map<string, Acc>): Array<{ name: string } & NetChange> {
  return [...map.entries()]
    .map(([name, x]) => ({ name, count: x.added - x.removed, bytes: x.bytes, added: x.added, removed: x.removed, resized: x.resized }))
    .sort((p, q) => Math.abs(q.bytes) - Math.abs(p.bytes) || Math.abs(q.count) - Math.abs(p.count) || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
}

/** B's areas by [module] tag, biggest first: every one is a possible leak when B's /proc/modules is empty. */
function taggedAreas(b: Model): SnapshotDiff['possibleLeaks'] {
  const s = b.snapshot;
  const byModule = new Map<string, number[]>();
  for (let i = 0; i < s.count; i++) {
    const m = s.moduleOf(i);
    if (m === null) continue;
    const list = byModule.get(m);
    if (list) list.push(i);
    else byModule.set(m, [i]);
  }
  return [...byModule]
    .map(([module, areas]) => ({ module, areas, bytes: areas.reduce((sum, i) => sum + s.columns.size[i], 0) }))
    .sort((x, y) => y.bytes - x.bytes || (x.module < y.module ? -1 : 1));
}

export function diffModels(a: Model, b: Model, options: DiffOptions = {}): SnapshotDiff {
  const sa = a.snapshot;
  const sb = b.snapshot;
  let { by, reason } = chooseMatching(a, b, options);
  const ids = new Map<string, number>();
  const callerA = callerIds(a, ids);
  const callerB = callerIds(b, ids);
  const statusA = new Uint8Array(sa.count).fill(REMOVED);
  const statusB = new Uint8Array(sb.count).fill(ADDED);
  const pairs: Array<[number, number]> = [];
  let matched = 0;
  const pair = (i: number, j: number) => {
    matched++;
    if (sa.columns.size[i] === sb.columns.size[j]) {
      statusA[i] = SAME;
      statusB[j] = SAME;
    } else {
      statusA[i] = RESIZED;
      statusB[j] = RESIZED;
      pairs.push([i, j]);
    }
  };
  if (by === 'address') matchByAddress(a, b, callerA, callerB, pair);
  if (by === 'address' && matched === 0 && sa.count > 0 && sb.count > 0) {
    // Not one area kept its address: another boot whose layout was not recognised. Fall back.
    by = 'multiset';
    reason = 'No area has the same start address and caller in both dumps (another boot?), so areas are matched by caller and size.';
  }
  if (by === 'multiset') matchByMultiset(a, b, callerA, callerB, pair);

  const attrA = options.modulesA && options.modulesA.length > 0 ? attributeModules(a, options.modulesA) : null;
  const attrB = options.modulesB && options.modulesB.length > 0 ? attributeModules(b, options.modulesB) : null;
  // Loader areas no module could be credited with (modules.ts found no set adding up): when exactly
  // one module left between A and B (rmmod) or arrived (insmod), those removed (added) are its.
  const otherSections = (from: typeof attrA, to: ModuleEntry[] | undefined, status: Uint8Array, want: number): Map<number, string> => {
    const out = new Map<number, string>();
    if (!from || to === undefined) return out;
    const names = new Set(to.map((m) => m.name));
    const moved = from.modules.filter((m) => !names.has(m.name) && m.loaderAreas.length > 0);
    if (moved.length !== 1) return out;
    for (const i of from.unattributedLoaderAreas) if (status[i] === want) out.set(i, moved[0].name);
    return out;
  };
  const sectionsA = otherSections(attrA, options.modulesB, statusA, REMOVED);
  const sectionsB = otherSections(attrB, options.modulesA, statusB, ADDED);
  const moduleA = (i: number) => attrA?.moduleOf[i] ?? sectionsA.get(i) ?? sa.moduleOf(i);
  const moduleB = (j: number) => attrB?.moduleOf[j] ?? sectionsB.get(j) ?? sb.moduleOf(j);
  const byModule = new Map<string, Acc>();
  const byCaller = new Map<string, Acc>();
  const byKind = new Map<string, Acc>();
  const acc = (map: Map<string, Acc>, name: string | null): Acc | null => {
    if (name === null) return null;
    let x = map.get(name);
    if (!x) map.set(name, (x = { added: 0, removed: 0, resized: 0, bytes: 0 }));
    return x;
  };

  const addedB: number[] = [];
  const removedA: number[] = [];
  let addedBytes = 0;
  let removedBytes = 0;
  for (let j = 0; j < sb.count; j++) {
    if (statusB[j] !== ADDED) continue;
    addedB.push(j);
    const size = sb.columns.size[j];
    addedBytes += size;
    for (const x of [acc(byModule, moduleB(j)), acc(byCaller, callerName(sb, j)), acc(byKind, sb.kindOf(j))]) {
      if (x) {
        x.added++;
        x.bytes += size;
      }
    }
  }
  for (let i = 0; i < sa.count; i++) {
    if (statusA[i] !== REMOVED) continue;
    removedA.push(i);
    const size = sa.columns.size[i];
    removedBytes += size;
    for (const x of [acc(byModule, moduleA(i)), acc(byCaller, callerName(sa, i)), acc(byKind, sa.kindOf(i))]) {
      if (x) {
        x.removed++;
        x.bytes -= size;
      }
    }
  }
  pairs.sort((p, q) => p[0] - q[0]);
  let resizedDelta = 0;
  for (const [i, j] of pairs) {
    const delta = sb.columns.size[j] - sa.columns.size[i];
    resizedDelta += delta;
    for (const x of [acc(byModule, moduleB(j) ?? moduleA(i)), acc(byCaller, callerName(sb, j)), acc(byKind, sb.kindOf(j))]) {
      if (x) {
        x.resized++;
        x.bytes += delta;
      }
    }
  }

  return {
    matchedBy: by,
    matchReason: reason,
    added: { count: addedB.length, bytes: addedBytes },
    removed: { count: removedA.length, bytes: removedBytes },
    resized: { count: pairs.length, bytesDelta: resizedDelta },
    netBytes: addedBytes - removedBytes + resizedDelta,
    statusA,
    statusB,
    addedB: Uint32Array.from(addedB),
    removedA: Uint32Array.from(removedA),
    resizedA: Uint32Array.from(pairs.map((p) => p[0])),
    resizedB: Uint32Array.from(pairs.map((p) => p[1])),
    byModule: table(byModule),
    byCaller: table(byCaller),
    byKind: table(byKind),
    possibleLeaks: attrB ? attrB.orphanTags : options.modulesB !== undefined ? taggedAreas(b) : [],
    leakCheck: options.modulesB !== undefined ? 'ran' : 'no-modules-b',
    warnings: sameBootWarnings(a, b, { addressesHiddenA: options.addressesHiddenA, addressesHiddenB: options.addressesHiddenB, matched }),
  };
}

const netJson = (rows: Array<{ name: string } & NetChange>) =>
  Object.fromEntries(rows.map((r) => [r.name, { count: r.count, bytes: r.bytes, added: r.added, removed: r.removed, resized: r.resized }]));

/** The CLI/JSON shape: { added:{count,bytes}, removed:{count,bytes}, resized:{count,bytesDelta},
 *  netBytes, byModule:{name:{count,bytes}}, byCaller:{...}, matchedBy, possibleLeaks }. */
export function diffJson(d: SnapshotDiff): Record<string, unknown> {
  return {
    matchedBy: d.matchedBy,
    matchReason: d.matchReason,
    added: d.added,
    removed: d.removed,
    resized: d.resized,
    netBytes: d.netBytes,
    byModule: netJson(d.byModule),
    byCaller: netJson(d.byCaller),
    byKind: netJson(d.byKind),
    possibleLeaks: d.possibleLeaks.map((p) => ({ module: p.module, count: p.areas.length, bytes: p.bytes })),
    leakCheck: d.leakCheck,
    warnings: d.warnings,
  };
}
