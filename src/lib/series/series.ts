// A series: many moments of one machine's vmallocinfo, from a shell-loop log (`date; cat
// /proc/vmallocinfo` every minute), several files, or a `vmscope record` recording.
//
// Kept small: every distinct area of the whole series is stored once, column by column, in one
// `table` (a Snapshot, first-seen order). A moment is the set of table ids alive at that moment,
// stored as a change from the moment before (ids added, ids removed), with the whole set kept
// every KEYFRAME_EVERY moments. A moment is rebuilt from the keyframe before it and at most
// KEYFRAME_EVERY − 1 changes, and gathered into its own Snapshot on demand: never re-parsed.
//
// Areas are matched between moments by their whole line (range, size, caller, pages, flags,
// nodes): in raw mode most areas persist, in hashed mode the hashes are stable within a boot, and
// in zeroed or masked mode identical lines are matched as a multiset (the k-th identical line of one
// moment is the k-th of the next), so the counts and bytes stay exact in every mode.

import type { DumpCapture } from '../input/read.ts';
import { Snapshot } from '../parse/snapshot.ts';
import type { AreaColumns, SnapshotFacts } from '../parse/snapshot.ts';
import type { Diagnostic } from '../types.ts';

/** A full id set is kept every this many moments. */
export const KEYFRAME_EVERY = 32;

/** Where a moment's time came from. */
export type TimeSource = 'stamp' | 'name' | 'mtime' | 'recording';

/** One moment of a series, without its areas. */
export interface MomentInfo {
  /** Epoch milliseconds, or null when the moment has no time. */
  time: number | null;
  /** Where `time` came from, or null. */
  timeFrom: TimeSource | null;
  /** The stamp as written (`2026-11-30T00:59:06+00:00`, a file name, …), or null. */
  label: string | null;
  /**
   * The zone the stamp was written in, as written (`+00:00`, `UTC`, `CET`), or null when the stamp
   * named none (then `time` reads it as UTC and says so: see stamps.ts).
   */
  zone: string | null;
  /** The file the moment came from. */
  source: string;
  /** 1-based line in `source` where the moment begins (its stamp line, or 1). */
  line: number;
  /** The moment's own scan facts: count, pointer mode, sorted, diagnostics counts … */
  facts: SnapshotFacts;
  /** The moment's own diagnostics (line numbers relative to `line`'s round, as parsed). */
  diagnostics: readonly Diagnostic[];
  /** The /proc/meminfo and /proc/modules records of the moment's round, and how it was read. */
  capture: DumpCapture;
}

/** Plain data for postMessage (see packSeries): the table's columns travel as transferred buffers. */
export interface PackedSeries {
  tableFacts: SnapshotFacts;
  columns: AreaColumns;
  strings: readonly string[];
  flagWords: ReadonlyMap<number, readonly string[]>;
  moments: MomentInfo[];
  added: Uint32Array[];
  removed: Uint32Array[];
}

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** The columns that hold one value per area (the node counts are gathered apart). */
const PER_AREA = ['startHi', 'startLo', 'endHi', 'endLo', 'size', 'pages', 'kind', 'flagBits', 'symbol', 'module', 'callerOffset', 'callerLength', 'physHi', 'physLo', 'line'] as const;

/** `a` without the ids in `minus`, with those in `plus` (all three ascending). */
export function applyChange(a: Uint32Array, minus: Uint32Array, plus: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length - minus.length + plus.length);
  let i = 0;
  let m = 0;
  let p = 0;
  let n = 0;
  while (i < a.length || p < plus.length) {
    if (i < a.length && (p >= plus.length || a[i] < plus[p])) {
      const id = a[i++];
      while (m < minus.length && minus[m] < id) m++;
      if (m < minus.length && minus[m] === id) continue;
      out[n++] = id;
    } else out[n++] = plus[p++];
  }
  if (n !== out.length) throw new Error(`a change does not apply: ${n} ids, expected ${out.length}`);
  return out;
}

export class Series {
  /** Every distinct area of the series, in first-seen order. Ids are indices into it. */
  readonly table: Snapshot;
  readonly moments: readonly MomentInfo[];
  /** Per moment, the ids that appeared since the moment before (moment 0: all of its ids), ascending. */
  readonly added: readonly Uint32Array[];
  /** Per moment, the ids that went since the moment before (moment 0: none), ascending. */
  readonly removed: readonly Uint32Array[];
  /** The ids of moments 0, KEYFRAME_EVERY, 2·KEYFRAME_EVERY … */
  private readonly keyframes: Uint32Array[] = [];
  /** The last moment rebuilt, so that stepping to a neighbour costs one change. */
  private last: { at: number; ids: Uint32Array } | null = null;

  /** `keyframes`: those of a series this one extends (withMoment), so they are not rebuilt. */
  constructor(table: Snapshot, moments: readonly MomentInfo[], added: readonly Uint32Array[], removed: readonly Uint32Array[], keyframes?: Uint32Array[]) {
    if (moments.length === 0 || added.length !== moments.length || removed.length !== moments.length) throw new Error('a series needs at least one moment, each with its change');
    this.table = table;
    this.moments = moments;
    this.added = added;
    this.removed = removed;
    if (keyframes) {
      this.keyframes = keyframes;
      return;
    }
    let ids = added[0];
    for (let i = 0; i < moments.length; i++) {
      if (i > 0) ids = applyChange(ids, removed[i], added[i]);
      if (i % KEYFRAME_EVERY === 0) this.keyframes.push(ids);
    }
  }

  get count(): number {
    return this.moments.length;
  }

  /** The table ids alive at moment i, ascending. */
  ids(i: number): Uint32Array {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`no moment ${i} (0..${this.count - 1})`);
    const last = this.last;
    let from: number;
    let ids: Uint32Array;
    if (last && last.at <= i && i - last.at < i % KEYFRAME_EVERY + 1) {
      from = last.at;
      ids = last.ids;
    } else {
      from = i - (i % KEYFRAME_EVERY);
      ids = this.keyframes[from / KEYFRAME_EVERY];
    }
    for (let k = from + 1; k <= i; k++) ids = applyChange(ids, this.removed[k], this.added[k]);
    this.last = { at: i, ids };
    return ids;
  }

  /** Moment i as a Snapshot of its own: areas in ascending id order, columns gathered from the table. */
  snapshot(i: number): Snapshot {
    return gather(this.table, this.ids(i), this.moments[i]);
  }

  /**
   * This series and one more moment (a live recording's newest): `table` is this table with the
   * moment's new areas after it (ids below this table's count unchanged), `plus` their ids, `minus`
   * the ids that went (ascending, alive at the last moment). Shares this series' changes and
   * keyframes: the cost is one change applied, not the series rebuilt. This series stays as it was.
   */
  withMoment(table: Snapshot, moment: MomentInfo, plus: Uint32Array, minus: Uint32Array): Series {
    const i = this.count;
    const ids = applyChange(this.ids(i - 1), minus, plus);
    const keyframes = i % KEYFRAME_EVERY === 0 ? [...this.keyframes, ids] : this.keyframes;
    const next = new Series(table, [...this.moments, moment], [...this.added, plus], [...this.removed, minus], keyframes);
    next.last = { at: i, ids };
    return next;
  }

  /** Plain data for postMessage and the buffers to transfer with it (the series is unusable after). */
  pack(): { packed: PackedSeries; transfer: ArrayBuffer[] } {
    const t = this.table;
    const packed: PackedSeries = {
      tableFacts: t.facts(),
      columns: t.columns,
      strings: t.strings,
      flagWords: t.flagWords,
      moments: [...this.moments],
      added: [...this.added],
      removed: [...this.removed],
    };
    const buffers = new Set<ArrayBuffer>();
    for (const v of [...Object.values(t.columns), ...this.added, ...this.removed] as ArrayBufferView[]) if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    return { packed, transfer: [...buffers] };
  }

  static unpack(p: PackedSeries): Series {
    const table = new Snapshot(p.tableFacts, p.columns, p.strings, p.flagWords, []);
    return new Series(table, p.moments, p.added, p.removed);
  }
}

/** The areas `ids` of `table` as one moment's Snapshot, with that moment's facts and diagnostics. */
export function gather(table: Snapshot, ids: Uint32Array, moment: MomentInfo): Snapshot {
  const t = table.columns;
  const n = ids.length;
  const cols = {} as Record<(typeof PER_AREA)[number], Column>;
  for (const name of PER_AREA) {
    const from = t[name];
    const to = new (from.constructor as new (n: number) => Column)(n);
    for (let k = 0; k < n; k++) to[k] = from[ids[k]];
    cols[name] = to;
  }
  let nodes = 0;
  for (let k = 0; k < n; k++) nodes += t.nodeStart[ids[k] + 1] - t.nodeStart[ids[k]];
  const nodeStart = new Uint32Array(n + 1);
  const nodeId = new Uint16Array(nodes);
  const nodePages = new Float64Array(nodes);
  let at = 0;
  for (let k = 0; k < n; k++) {
    nodeStart[k] = at;
    for (let j = t.nodeStart[ids[k]]; j < t.nodeStart[ids[k] + 1]; j++) {
      nodeId[at] = t.nodeId[j];
      nodePages[at++] = t.nodePages[j];
    }
  }
  nodeStart[n] = at;
  const flagWords = new Map<number, readonly string[]>();
  if (table.flagWords.size > 0) {
    for (let k = 0; k < n; k++) {
      const w = table.flagWords.get(ids[k]);
      if (w) flagWords.set(k, w);
    }
  }
  const columns = { ...cols, nodeStart, nodeId, nodePages } as unknown as AreaColumns;
  // In id order the areas are sorted only by chance: say so only when they are (the model trusts it).
  let sorted = moment.facts.sorted;
  if (sorted) {
    const hi = columns.startHi;
    const lo = columns.startLo;
    for (let k = 1; k < n && sorted; k++) sorted = hi[k] > hi[k - 1] || (hi[k] === hi[k - 1] && lo[k] >= lo[k - 1]);
  }
  return new Snapshot({ ...moment.facts, count: n, sorted }, columns, table.strings, flagWords, moment.diagnostics);
}
