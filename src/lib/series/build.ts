// Building a Series moment by moment: from whole parsed moments (a text log's rounds, several
// files), matched against the moment before by their lines, or from changes (a recording's frames).
// The distinct areas are copied column by column into one table as they first appear.

import type { DumpCapture, ParsedDump } from '../input/read.ts';
import { ColumnBuilder } from '../parse/columns.ts';
import { Snapshot } from '../parse/snapshot.ts';
import type { Diagnostic, PointerMode } from '../types.ts';
import { Series, applyChange } from './series.ts';
import type { MomentInfo } from './series.ts';

/** What a moment's caller knows about it: everything but what its areas tell. */
export type MomentMeta = Omit<MomentInfo, 'facts' | 'diagnostics' | 'capture'>;

/**
 * The identity of area i for matching across moments: its whole line (range, size, pages, kind,
 * flags, caller, phys, node counts), read back from the columns so that formatting does not count.
 */
export function areaKey(snapshot: Snapshot, i: number): string {
  const c = snapshot.columns;
  let key = `${c.startHi[i]}:${c.startLo[i]}-${c.endHi[i]}:${c.endLo[i]} ${c.size[i]} ${c.pages[i]} ${c.kind[i]} ${c.flagBits[i]} ${snapshot.symbolOf(i) ?? ''}+${c.callerOffset[i]}/${c.callerLength[i]} [${snapshot.moduleOf(i) ?? ''}] ${c.physHi[i]}:${c.physLo[i]}`;
  for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) key += ` N${c.nodeId[k]}=${c.nodePages[k]}`;
  const words = snapshot.flagWords.get(i);
  if (words) key += ` ${words.join(' ')}`;
  return key;
}

/**
 * Matches one moment's areas against the previous moment's, as a multiset of keys: the k-th area
 * with a key takes the id of the k-th area with that key before, if any; new ids count up from 0,
 * in the order of the areas that take them.
 *
 * Each distinct key is numbered once for the whole series, so a moment costs one map look-up per
 * area and a sort of small integers, not a map of lists per moment.
 */
export class Matcher {
  private readonly keyIds = new Map<string, number>();
  /** The previous moment's key numbers, ascending, and the id each one had (same order). */
  private previousKeys = new Int32Array(0);
  private previousIds = new Uint32Array(0);
  private handedOut = 0;

  /** Ids handed out so far. */
  get size(): number {
    return this.handedOut;
  }

  /**
   * The next moment's keys (in its file order): each one's id, the positions (ascending) of the
   * keys that got a new id, and the ids of the previous moment that are gone (ascending).
   */
  next(keys: readonly string[]): { ids: Uint32Array; added: number[]; removed: Uint32Array } {
    const n = keys.length;
    const kid = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      let k = this.keyIds.get(keys[p]);
      if (k === undefined) this.keyIds.set(keys[p], (k = this.keyIds.size));
      kid[p] = k;
    }
    // Positions by key, then by position: the k-th copy of a key meets the previous k-th copy.
    const order = new Uint32Array(n);
    for (let p = 0; p < n; p++) order[p] = p;
    order.sort((a, b) => kid[a] - kid[b] || a - b);
    const ids = new Uint32Array(n);
    const fresh = new Uint8Array(n);
    const gone: number[] = [];
    const pk = this.previousKeys;
    const pi = this.previousIds;
    let j = 0;
    for (let r = 0; r < n; r++) {
      const p = order[r];
      const k = kid[p];
      while (j < pk.length && pk[j] < k) gone.push(pi[j++]);
      if (j < pk.length && pk[j] === k) ids[p] = pi[j++];
      else fresh[p] = 1;
    }
    while (j < pk.length) gone.push(pi[j++]);
    const added: number[] = [];
    for (let p = 0; p < n; p++) {
      if (fresh[p]) {
        ids[p] = this.handedOut++;
        added.push(p);
      }
    }
    const keysNow = new Int32Array(n);
    const idsNow = new Uint32Array(n);
    for (let r = 0; r < n; r++) {
      keysNow[r] = kid[order[r]];
      idsNow[r] = ids[order[r]];
    }
    this.previousKeys = keysNow;
    this.previousIds = idsNow;
    return { ids, added, removed: Uint32Array.from(gone).sort() };
  }
}

/** The distinct areas, copied in as they first appear. */
class TableBuilder {
  private readonly cols = new ColumnBuilder(1024);
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly flagWords = new Map<number, readonly string[]>();
  private nodes = 0;
  count = 0;
  pointerMode: PointerMode | null = null;
  addressDigits = 0;

  private intern(s: string | null): number {
    if (s === null) return -1;
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /** Copy area i of `from` in as the next id; its line number moves by `lineOffset`. */
  append(from: Snapshot, i: number, lineOffset: number): number {
    const c = this.cols;
    if (this.count + 1 > c.capacity) c.grow(this.count + 1);
    const f = from.columns;
    const n = this.count;
    c.startHi[n] = f.startHi[i];
    c.startLo[n] = f.startLo[i];
    c.endHi[n] = f.endHi[i];
    c.endLo[n] = f.endLo[i];
    c.size[n] = f.size[i];
    c.pages[n] = f.pages[i];
    c.kind[n] = f.kind[i];
    c.flagBits[n] = f.flagBits[i];
    c.symbol[n] = this.intern(from.symbolOf(i));
    c.module[n] = this.intern(from.moduleOf(i));
    c.callerOffset[n] = f.callerOffset[i];
    c.callerLength[n] = f.callerLength[i];
    c.physHi[n] = f.physHi[i];
    c.physLo[n] = f.physLo[i];
    c.line[n] = f.line[i] + lineOffset;
    c.nodeStart[n] = this.nodes;
    for (let k = f.nodeStart[i]; k < f.nodeStart[i + 1]; k++) {
      if (this.nodes >= c.nodeId.length) c.growNodes();
      c.nodeId[this.nodes] = f.nodeId[k];
      c.nodePages[this.nodes++] = f.nodePages[k];
    }
    c.nodeStart[n + 1] = this.nodes;
    const words = from.flagWords.get(i);
    if (words) this.flagWords.set(n, words);
    if (this.pointerMode === null || this.pointerMode === 'unknown') this.pointerMode = from.pointerMode;
    if (this.addressDigits === 0) this.addressDigits = from.addressDigits;
    return this.count++;
  }

  lineOf(id: number): number {
    return this.cols.line[id];
  }

  /** Start from a finished table: its areas, strings and flag words (to extend it: extendTable). */
  seed(table: Snapshot): void {
    const n = table.count;
    const t = table.columns;
    const c = this.cols;
    const nodes = t.nodeStart[n];
    c.grow(n + 16);
    while (c.nodeId.length < nodes + 16) c.growNodes();
    for (const name of ['startHi', 'startLo', 'endHi', 'endLo', 'size', 'pages', 'kind', 'flagBits', 'symbol', 'module', 'callerOffset', 'callerLength', 'physHi', 'physLo', 'line'] as const) {
      (c[name] as Uint32Array).set((t[name] as Uint32Array).subarray(0, n));
    }
    c.nodeStart.set(t.nodeStart.subarray(0, n + 1));
    c.nodeId.set(t.nodeId.subarray(0, nodes));
    c.nodePages.set(t.nodePages.subarray(0, nodes));
    for (const s of table.strings) this.intern(s);
    for (const [id, words] of table.flagWords) this.flagWords.set(id, words);
    this.nodes = nodes;
    this.count = n;
    this.pointerMode = table.pointerMode;
    this.addressDigits = table.addressDigits;
  }

  finish(): Snapshot {
    const facts = {
      count: this.count,
      lineCount: this.count,
      pointerMode: this.pointerMode ?? 'unknown',
      addressDigits: this.addressDigits,
      sorted: null,
      diagnosticCount: 0,
      errorCount: 0,
      warningCount: 0,
    };
    return new Snapshot(facts, this.cols.trimmed(this.count, this.nodes), this.strings, this.flagWords, []);
  }
}

/** A series' table with the areas of `added` after it, taking the next ids in their order. */
export function extendTable(table: Snapshot, added: Snapshot): Snapshot {
  const b = new TableBuilder();
  b.seed(table);
  for (let i = 0; i < added.count; i++) b.append(added, i, 0);
  return b.finish();
}

/**
 * `series` and one more moment given as a change, as SeriesBuilder.addChange takes it (a live
 * recording's newest frame): the ids that went (ascending, alive at the last moment) and the new
 * areas, which take the next ids. Throws, changing nothing, when the change does not apply.
 */
export function appendChange(series: Series, meta: MomentMeta, removed: Uint32Array, added: Snapshot, capture: DumpCapture): Series {
  const live = series.ids(series.count - 1);
  let m = 0;
  for (let k = 0; k < removed.length; k++) if (k > 0 && removed[k] <= removed[k - 1]) throw new Error('the ids that went are not ascending');
  for (let k = 0; k < live.length && m < removed.length; k++) if (live[k] === removed[m]) m++;
  if (m !== removed.length) throw new Error('an id that went was not alive');
  const first = series.table.count;
  const table = extendTable(series.table, added);
  const plus = new Uint32Array(added.count);
  for (let i = 0; i < plus.length; i++) plus[i] = first + i;
  const count = live.length - removed.length + plus.length;
  // As SeriesBuilder.push says a change's facts: the table's pointer mode, the line count its areas'.
  const facts = { ...added.facts(), count, lineCount: count, pointerMode: table.pointerMode, addressDigits: table.addressDigits, sorted: null };
  return series.withMoment(table, { ...meta, facts, diagnostics: added.diagnostics, capture }, plus, removed);
}

export class SeriesBuilder {
  private readonly table = new TableBuilder();
  private readonly matcher = new Matcher();
  private readonly moments: MomentInfo[] = [];
  private readonly added: Uint32Array[] = [];
  private readonly removed: Uint32Array[] = [];
  /** The ids alive at the last moment, ascending. */
  private live: Uint32Array = new Uint32Array(0);
  private mode: 'parsed' | 'change' | null = null;

  private use(mode: 'parsed' | 'change'): void {
    if (this.mode !== null && this.mode !== mode) throw new Error('a series is built from whole moments or from changes, not both');
    this.mode = mode;
  }

  /**
   * A whole moment, matched against the one before by its areas' lines. Its areas' line numbers
   * move by `lineOffset` in the table (the line its round starts at in a longer log, less one).
   */
  addParsed(meta: MomentMeta, parsed: ParsedDump, lineOffset = 0): void {
    this.use('parsed');
    const s = parsed.snapshot;
    const keys = new Array<string>(s.count);
    for (let i = 0; i < s.count; i++) keys[i] = areaKey(s, i);
    const { ids, added, removed } = this.matcher.next(keys);
    for (const p of added) this.table.append(s, p, lineOffset);
    const plus = Uint32Array.from(added, (p) => ids[p]);
    this.push(meta, plus, removed, s, parsed.capture);
  }

  /**
   * A moment given as a change (a recording's frame): the ids that went (ascending), and the new
   * areas, which take the next ids in their order. Throws, changing nothing, when an id that went
   * is not alive.
   */
  addChange(meta: MomentMeta, removed: Uint32Array, added: Snapshot, capture: DumpCapture): void {
    this.use('change');
    for (let k = 0; k < removed.length; k++) {
      if (k > 0 && removed[k] <= removed[k - 1]) throw new Error('the ids that went are not ascending');
    }
    let m = 0;
    for (let k = 0; k < this.live.length && m < removed.length; k++) if (this.live[k] === removed[m]) m++;
    if (m !== removed.length) throw new Error('an id that went was not alive');
    const first = this.table.count;
    for (let i = 0; i < added.count; i++) this.table.append(added, i, 0);
    const plus = new Uint32Array(added.count);
    for (let i = 0; i < plus.length; i++) plus[i] = first + i;
    this.push(meta, plus, removed, added, capture);
  }

  private push(meta: MomentMeta, plus: Uint32Array, minus: Uint32Array, parsed: Snapshot, capture: DumpCapture): void {
    this.live = this.moments.length === 0 ? plus : applyChange(this.live, minus, plus);
    const facts = { ...parsed.facts(), count: this.live.length };
    if (this.mode === 'change') {
      // A frame's new areas alone do not tell the moment's pointer mode (a quiet moment has none):
      // the table's does, as every moment of a recording is one file's.
      facts.lineCount = this.live.length;
      facts.pointerMode = this.table.pointerMode ?? facts.pointerMode;
      facts.addressDigits = this.table.addressDigits;
      facts.sorted = null;
    }
    this.moments.push({ ...meta, facts, diagnostics: parsed.diagnostics, capture });
    this.added.push(plus);
    this.removed.push(minus);
  }

  /** Replace the last moment's diagnostics (e.g. to count their lines from the start of a longer file). */
  shiftLastDiagnostics(map: (d: readonly Diagnostic[]) => Diagnostic[]): void {
    const last = this.moments[this.moments.length - 1];
    if (last) last.diagnostics = map(last.diagnostics);
  }

  /** Distinct areas so far (the next new area's id). */
  get tableCount(): number {
    return this.table.count;
  }

  /** The line number the table keeps for id (its line in the input it was first read from). */
  tableLine(id: number): number {
    return this.table.lineOf(id);
  }

  /** Moments so far. */
  get count(): number {
    return this.moments.length;
  }

  /** The series; throws when no moment was added. */
  finish(): Series {
    return new Series(this.table.finish(), this.moments, this.added, this.removed);
  }
}
