// Pure helpers of the Compare view: the one-line summary of a snapshot diff, the ghosts of A's
// removed areas, and the per-module / per-caller rows with where their areas are. No DOM.

import { formatBytes, toBigInt } from '../../lib/index.ts';
import type { Model, SnapshotDiff } from '../../lib/index.ts';
import type { Ghost } from '../base/colours.ts';
import type { LoadedDump } from '../state/history.ts';

/** The sample the page opened with: shown without the user choosing it. */
export function isStartupSample(d: Pick<LoadedDump, 'source'>): boolean {
  return d.source.kind === 'sample' && d.source.startup === true;
}

/**
 * The default A for comparing with dump `bId`: the latest dump the user chose that was loaded
 * before B, else the latest one loaded after it; the start-up sample only when there is no other
 * (the panel then says so). Null when B is not in the history or is alone.
 */
export function defaultA(history: ReadonlyArray<Pick<LoadedDump, 'id' | 'source'>>, bId: number): number | null {
  const k = history.findIndex((d) => d.id === bId);
  if (k < 0) return null;
  const before = history.slice(0, k).reverse();
  const after = history.slice(k + 1).reverse();
  const chosen = [...before, ...after].find((d) => !isStartupSample(d));
  return (chosen ?? before[0] ?? after[0])?.id ?? null;
}

/** How a dump is named in Compare's pickers: bundled samples say so. */
export function dumpLabel(d: Pick<LoadedDump, 'source' | 'fileName' | 'summary'>): string {
  const origin = d.source.kind !== 'sample' ? '' : isStartupSample(d) ? ' · bundled sample the page opened with' : ' · bundled sample';
  return `${d.fileName}${origin} · ${d.summary.areas.toLocaleString('en-US')} areas`;
}

/** How a moment of a series is named: "moment 3 of 30 · 2026-11-30T00:59:15+00:00"; a dump by its file name. */
export function momentLabel(d: Pick<LoadedDump, 'fileName' | 'timeline'>): string {
  const t = d.timeline;
  if (!t) return d.fileName;
  const m = t.series.moments[t.index];
  return `moment ${t.index + 1} of ${t.series.count}${m.label ? ` · ${m.label}` : ''}`;
}

/** "+124 KiB", "−2.00 MiB", "±0 B". */
export function signedBytes(bytes: number): string {
  if (bytes === 0) return '±0 B';
  return (bytes > 0 ? '+' : '−') + formatBytes(Math.abs(bytes));
}

/** "+3", "−1", "±0". */
export function signedCount(n: number): string {
  if (n === 0) return '±0';
  return (n > 0 ? '+' : '−') + Math.abs(n).toLocaleString('en-US');
}

function areas(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'area' : 'areas'}`;
}

/** "+16 areas, +180 KiB; −6 areas, −84 KiB; resized 2 (Δ +8 KiB); net +104 KiB". */
export function diffHeadline(d: Pick<SnapshotDiff, 'added' | 'removed' | 'resized' | 'netBytes'>): string {
  return [
    `+${areas(d.added.count)}, ${signedBytes(d.added.bytes)}`,
    `−${areas(d.removed.count)}, ${signedBytes(-d.removed.bytes)}`,
    `resized ${d.resized.count.toLocaleString('en-US')} (Δ ${signedBytes(d.resized.bytesDelta)})`,
    `net ${signedBytes(d.netBytes)}`,
  ].join('; ');
}

/** How areas were paired, in a sentence; for multisets, the diff's own reason (hashed, hidden, another boot). */
export function matchedByNote(d: Pick<SnapshotDiff, 'matchedBy' | 'matchReason'>): string {
  return d.matchedBy === 'address'
    ? 'Areas are matched by start address and caller: both dumps have real addresses. Same start and caller with another size counts as resized.'
    : `${d.matchReason} Where an area moved cannot be told.`;
}

/** Exact [start, end) of area i, or null when the dump does not print real addresses. */
export function rangeOf(model: Model, i: number): Ghost | null {
  if (!model.byAddress) return null;
  const c = model.snapshot.columns;
  return { start: toBigInt(c.startHi[i], c.startLo[i]), end: toBigInt(c.endHi[i], c.endLo[i]) };
}

/** A's removed areas at their addresses, to draw over B; empty unless both dumps are raw. */
export function ghostsOf(a: Model, b: Model, removedA: ArrayLike<number>): Ghost[] {
  if (!a.byAddress || !b.byAddress) return [];
  const out: Ghost[] = [];
  for (let j = 0; j < removedA.length; j++) {
    const r = rangeOf(a, removedA[j]);
    if (r) out.push(r);
  }
  return out;
}

/** The smallest range holding every given area, or null (no areas, or no real addresses). */
export function spanOf(model: Model, indices: ArrayLike<number>): Ghost | null {
  let span: Ghost | null = null;
  for (let j = 0; j < indices.length; j++) {
    const r = rangeOf(model, indices[j]);
    if (!r) return null;
    span = span ? { start: r.start < span.start ? r.start : span.start, end: r.end > span.end ? r.end : span.end } : r;
  }
  return span;
}

/** One row of "net change by module / caller", with the changed areas to show on the map. */
export interface ChangeRow {
  name: string;
  count: number;
  bytes: number;
  added: number;
  removed: number;
  resized: number;
  /** Added or resized areas of B under this name (file order). */
  areasB: number[];
  /** Removed areas of A under this name (file order). */
  areasA: number[];
  /** The biggest changed area: in B when there are any, else in A (everything under this name went). */
  main: { index: number; inA: boolean; range: Ghost | null } | null;
}

function biggest(model: Model, indices: number[]): number {
  let best = indices[0];
  for (const i of indices) if (model.snapshot.columns.size[i] > model.snapshot.columns.size[best]) best = i;
  return best;
}

/**
 * Rows of the diff's byModule or byCaller table with their areas. `nameOfB(i)` / `nameOfA(i)` name
 * an area the way the table does (module or caller).
 */
export function changeRows(
  rows: ReadonlyArray<{ name: string; count: number; bytes: number; added: number; removed: number; resized: number }>,
  diff: Pick<SnapshotDiff, 'addedB' | 'resizedB' | 'removedA'>,
  a: Model,
  b: Model,
  nameOfA: (i: number) => string | null,
  nameOfB: (i: number) => string | null,
): ChangeRow[] {
  const inB = new Map<string, number[]>();
  const inA = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, name: string | null, i: number) => {
    if (name === null) return;
    const list = map.get(name);
    if (list) list.push(i);
    else map.set(name, [i]);
  };
  for (const i of diff.addedB) add(inB, nameOfB(i), i);
  for (const i of diff.resizedB) add(inB, nameOfB(i), i);
  for (const i of diff.removedA) add(inA, nameOfA(i), i);
  return rows.map((r) => {
    const areasB = (inB.get(r.name) ?? []).sort((x, y) => x - y);
    const areasA = (inA.get(r.name) ?? []).sort((x, y) => x - y);
    let main: ChangeRow['main'] = null;
    if (areasB.length > 0) {
      const index = biggest(b, areasB);
      main = { index, inA: false, range: rangeOf(b, index) };
    } else if (areasA.length > 0) {
      const index = biggest(a, areasA);
      main = { index, inA: true, range: rangeOf(a, index) };
    }
    return { ...r, areasB, areasA, main };
  });
}
