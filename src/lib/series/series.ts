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
import type { Snapshot, SnapshotFacts } from '../parse/snapshot.ts';
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

/** Plain data for postMessage (see packSeries). */
export interface PackedSeries {
  table: unknown;
  moments: MomentInfo[];
  added: Uint32Array[];
  removed: Uint32Array[];
}

export class Series {
  /** Every distinct area of the series, in first-seen order. Ids are indices into it. */
  readonly table: Snapshot;
  readonly moments: readonly MomentInfo[];
  /** Per moment, the ids that appeared since the moment before (moment 0: all of its ids), ascending. */
  readonly added: readonly Uint32Array[];
  /** Per moment, the ids that went since the moment before (moment 0: none), ascending. */
  readonly removed: readonly Uint32Array[];

  constructor(table: Snapshot, moments: readonly MomentInfo[], added: readonly Uint32Array[], removed: readonly Uint32Array[]) {
    this.table = table;
    this.moments = moments;
    this.added = added;
    this.removed = removed;
  }

  get count(): number {
    return this.moments.length;
  }

  /** The table ids alive at moment i, ascending. */
  ids(i: number): Uint32Array {
    throw new Error(`not yet: ${i}`);
  }

  /** Moment i as a Snapshot of its own (areas in ascending id order, columns gathered from the table). */
  snapshot(i: number): Snapshot {
    throw new Error(`not yet: ${i}`);
  }
}
