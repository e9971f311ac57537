// What changed between two snapshots A (before) and B (after).
//
// Matching rule:
// - 'address' when both dumps have raw addresses from the same boot: an area is identified by its
//   start address and its caller (symbol and [module] tag; an area without a caller by its kind).
//   Same key on both sides with the same size: same; with another size: resized; a key only in B:
//   added; only in A: removed.
// - 'multiset' otherwise (hashed, masked or zeroed addresses, a share link whose addresses were
//   hidden, or raw dumps from two boots whose KASLR bases differ): areas are identified by caller +
//   size only. For each (caller, size), the first min(countA, countB) areas in file order are the
//   same, extra areas in B are added and extra areas in A removed. Leftovers of one caller with
//   different sizes are NOT paired as resized: an area freed and allocated again elsewhere with
//   another size is a removal and an addition in address mode too, so both modes count alike.
//   `resized` is therefore always empty in multiset mode.
// Bytes are the size column (guard page included).
// byModule names an area by its [module] tag, or, when /proc/modules of that side is given, by the
// module whose base address the (loader) area holds (see modules.ts); and when both module lists are
// given and exactly one module left (arrived), the removed (added) loader areas that hold no base
// are counted to it too: its other sections on 6.4+ kernels. possibleLeaks: areas of B
// tagged with a module that B's /proc/modules no longer lists (needs a non-empty modulesB).

import type { ModuleEntry } from '../input/capture.ts';
import type { Model } from '../model/model.ts';
import { AREA_KINDS } from '../types.ts';
import { attributeModules } from './modules.ts';

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
  /** Net change per caller function ("(no caller)" for none), sorted by |bytes| desc. */
  byCaller: Array<{ name: string } & NetChange>;
  /** Net change per kind (vmalloc, ioremap, unpurged, ...), sorted by |bytes| desc. */
  byKind: Array<{ name: string } & NetChange>;
  /** Areas of B attributed to a module that is not in B's /proc/modules (needs modulesB). */
  possibleLeaks: Array<{ module: string; areas: number[]; bytes: number }>;
}

export interface DiffOptions {
  modulesA?: ModuleEntry[];
  modulesB?: ModuleEntry[];
  /** The side came from a share link that hid its addresses (DecodedShare.addressesHidden). */
  addressesHiddenA?: boolean;
  addressesHiddenB?: boolean;
}

export const NO_CALLER = '(no caller)';

/** Caller identity of each area: symbol and module, or the kind for areas without a caller. */
function callerKeys(m: Model): string[] {
  const s = m.snapshot;
  const c = s.columns;
  const out = new Array<string>(s.count);
  for (let i = 0; i < s.count; i++) {
    const sym = c.symbol[i];
    const mod = c.module[i];
    out[i] = sym < 0 ? `(${AREA_KINDS[c.kind[i]]})` : mod < 0 ? s.strings[sym] : `${s.strings[sym]} [${s.strings[mod]}]`;
  }
  return out;
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

export function diffModels(a: Model, b: Model, options: DiffOptions = {}): SnapshotDiff {
  const sa = a.snapshot;
  const sb = b.snapshot;
  const { by, reason } = chooseMatching(a, b, options);
  const keysA = callerKeys(a);
  const keysB = callerKeys(b);
  const statusA = new Uint8Array(sa.count).fill(REMOVED);
  const statusB = new Uint8Array(sb.count).fill(ADDED);
  const pairs: Array<[number, number]> = [];

  const keyA = (i: number) =>
    by === 'address' ? `${sa.columns.startHi[i]}:${sa.columns.startLo[i]}|${keysA[i]}` : `${keysA[i]}|${sa.columns.size[i]}`;
  const keyB = (i: number) =>
    by === 'address' ? `${sb.columns.startHi[i]}:${sb.columns.startLo[i]}|${keysB[i]}` : `${keysB[i]}|${sb.columns.size[i]}`;
  const pool = new Map<string, number[]>();
  for (let i = sa.count - 1; i >= 0; i--) {
    const k = keyA(i);
    const list = pool.get(k);
    if (list) list.push(i);
    else pool.set(k, [i]);
  }
  for (let j = 0; j < sb.count; j++) {
    const list = pool.get(keyB(j));
    if (!list || list.length === 0) continue;
    const i = list.pop() as number; // lowest file index first (pushed in reverse)
    if (sa.columns.size[i] === sb.columns.size[j]) {
      statusA[i] = SAME;
      statusB[j] = SAME;
    } else {
      statusA[i] = RESIZED;
      statusB[j] = RESIZED;
      pairs.push([i, j]);
    }
  }

  const attrA = options.modulesA && options.modulesA.length > 0 ? attributeModules(a, options.modulesA) : null;
  const attrB = options.modulesB && options.modulesB.length > 0 ? attributeModules(b, options.modulesB) : null;
  // Since 6.4 a module has one loader area per section and only the text area holds its base. When
  // exactly one module left between A and B (rmmod) or arrived (insmod), the loader areas removed
  // (added) that hold no base are that module's other sections.
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
    for (const x of [acc(byModule, moduleB(j)), acc(byCaller, sb.symbolOf(j) ?? NO_CALLER), acc(byKind, sb.kindOf(j))]) {
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
    for (const x of [acc(byModule, moduleA(i)), acc(byCaller, sa.symbolOf(i) ?? NO_CALLER), acc(byKind, sa.kindOf(i))]) {
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
    for (const x of [acc(byModule, moduleB(j) ?? moduleA(i)), acc(byCaller, sb.symbolOf(j) ?? NO_CALLER), acc(byKind, sb.kindOf(j))]) {
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
    possibleLeaks: attrB ? attrB.orphanTags : [],
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
  };
}
