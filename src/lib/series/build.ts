// Building a Series moment by moment: from whole parsed moments (a text log's rounds, several
// files), matched against the moment before by their lines, or from changes (a recording's frames).

import type { DumpCapture, ParsedDump } from '../input/read.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import type { MomentInfo } from './series.ts';
import { Series } from './series.ts';

/** What a moment's caller knows about it: everything but what its areas tell. */
export type MomentMeta = Omit<MomentInfo, 'facts' | 'diagnostics' | 'capture'>;

/** The identity of area i for matching across moments: its whole line, as columns. */
export function areaKey(snapshot: Snapshot, i: number): string {
  throw new Error(`not yet ${snapshot.count} ${i}`);
}

/**
 * Matches one moment's areas against the previous moment's, as a multiset of keys: the k-th area
 * with a key takes the id of the k-th area with that key before, if any; new ids count up from 0.
 */
export class Matcher {
  /** Ids handed out so far. */
  get size(): number {
    throw new Error('not yet');
  }

  /**
   * The next moment's keys (in its file order): each one's id, the positions (ascending) of the
   * keys that got a new id, and the ids of the previous moment that are gone (ascending).
   */
  next(keys: readonly string[]): { ids: Uint32Array; added: number[]; removed: Uint32Array } {
    throw new Error(`not yet ${keys.length}`);
  }
}

export class SeriesBuilder {
  /** A whole moment, matched against the one before by its areas' lines. */
  addParsed(meta: MomentMeta, parsed: ParsedDump): void {
    throw new Error(`not yet ${meta.source} ${parsed.snapshot.count}`);
  }

  /**
   * A moment given as a change (a recording's frame): the ids that went, and the new areas, which
   * take the next ids in their order.
   */
  addChange(meta: MomentMeta, removed: Uint32Array, added: Snapshot, capture: DumpCapture): void {
    throw new Error(`not yet ${meta.source} ${removed.length} ${added.count} ${capture.meminfo.length}`);
  }

  get count(): number {
    throw new Error('not yet');
  }

  finish(): Series {
    throw new Error('not yet');
  }
}
