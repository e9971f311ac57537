// Labels on the map. Caller labels under it: where one caller dominates a stretch of the view (a
// run of thread stacks from kernel_clone, the module area from load_module, one big ioremap), name
// it, and place the names in two rows. Runs come from level-of-detail bins keyed by caller, so this
// costs the same at any zoom. And where a region band's name goes: its widest piece between breaks.
// Positions in CSS pixels; the widths of texts come from the caller, which measures them.

import { topEntries } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { binColumns } from './bins.ts';
import type { Break, Track } from './track.ts';
import type { View } from './view.ts';

export interface LabelKeys {
  /** Per area index: its label key; `names.length` means "no label". */
  keyOf: Uint8Array;
  names: string[];
}

/** Named label keys: the callers with the most bytes and the most areas, and the caller-less kinds. */
const NAMED = 29;

const cache = new WeakMap<Model, LabelKeys>();

export function labelKeys(model: Model): LabelKeys {
  const cached = cache.get(model);
  if (cached) return cached;
  const s = model.snapshot;
  const c = s.columns;
  const byCaller = model.totals.byCaller;
  const names: string[] = [];
  const add = (name: string) => {
    if (names.length < NAMED && !names.includes(name)) names.push(name);
  };
  const byCount = [...byCaller.entries()].sort((a, b) => b[1].count - a[1].count || b[1].bytes - a[1].bytes);
  const byBytes = topEntries(byCaller);
  for (let j = 0; names.length < NAMED && (j < byBytes.length || j < byCount.length); j++) {
    if (j < byBytes.length) add(byBytes[j][0]);
    if (j < byCount.length) add(byCount[j][0]);
  }
  const none = names.length + 2;
  const keyOfString = new Uint8Array(s.strings.length).fill(none);
  names.forEach((name, k) => {
    const id = s.strings.indexOf(name);
    if (id >= 0) keyOfString[id] = k;
  });
  const unpurged = names.length;
  const mapRam = names.length + 1;
  names.push('unpurged (lazily freed)', 'vm_map_ram');
  const keyOf = new Uint8Array(s.count);
  for (let i = 0; i < s.count; i++) {
    const kind = s.kindOf(i);
    keyOf[i] = c.symbol[i] >= 0 ? keyOfString[c.symbol[i]] : kind === 'unpurged' ? unpurged : kind === 'vm_map_ram' ? mapRam : none;
  }
  const out = { keyOf, names };
  cache.set(model, out);
  return out;
}

export interface LabelRun {
  /** CSS pixels. */
  x0: number;
  x1: number;
  text: string;
}

/** Width of one label column in CSS pixels. */
const COLUMN_CSS_PX = 3;

/**
 * Stretches of the view dominated by one named caller. A few columns of something else inside a
 * run (the 8 KiB allocations between thread stacks) do not break it.
 */
export function labelRuns(track: Track, view: View, widthCssPx: number, keys: LabelKeys): LabelRun[] {
  const columns = Math.max(1, Math.floor(widthCssPx / COLUMN_CSS_PX));
  const keyCount = keys.names.length + 1;
  const bins = binColumns(track, view.start, view.end, columns, (i) => keys.keyOf[i], keyCount);
  // Raw runs of equal dominant key (-1: empty).
  const runs: Array<{ key: number; c0: number; c1: number }> = [];
  for (let col = 0; col < columns; col++) {
    const key = bins.key[col];
    const last = runs[runs.length - 1];
    if (last && last.key === key) last.c1 = col + 1;
    else runs.push({ key, c0: col, c1: col + 1 });
  }
  // Absorb short interruptions between two runs of the same key.
  const merged: typeof runs = [];
  for (const run of runs) {
    const prev = merged[merged.length - 1];
    const before = merged[merged.length - 2];
    if (prev && before && before.key === run.key && prev.c1 - prev.c0 <= 2 && run.key >= 0) {
      before.c1 = run.c1;
      merged.pop();
    } else if (prev && prev.key === run.key) prev.c1 = run.c1;
    else merged.push({ ...run });
  }
  const out: LabelRun[] = [];
  for (const run of merged) {
    if (run.key < 0 || run.key >= keys.names.length) continue;
    out.push({ x0: run.c0 * (widthCssPx / columns), x1: run.c1 * (widthCssPx / columns), text: keys.names[run.key] });
  }
  return out;
}

/** Runs narrower than this get no label. */
const MIN_LABELLED_RUN_CSS_PX = 12;

export interface PlacedLabel {
  run: LabelRun;
  /** Centre of the name, CSS pixels: under its run, moved inside the map where it would stick out. */
  cx: number;
  /** 0: the upper row, 1: the lower one. */
  row: number;
}

/**
 * Where the names of the runs go: the widest runs first, each centred under its run (kept inside
 * the map) in the first of two rows where it collides with no other name; a name may be wider than
 * its run. Runs narrower than 12 px, and names that fit in neither row, are left out.
 */
export function placeLabels(runs: readonly LabelRun[], widthCssPx: number, textWidth: (text: string) => number): PlacedLabel[] {
  const w = widthCssPx;
  const rows: Array<Array<[number, number]>> = [[], []];
  const placed: PlacedLabel[] = [];
  const widest = [...runs].sort((a, b) => b.x1 - b.x0 - (a.x1 - a.x0));
  for (const run of widest) {
    if (run.x1 - run.x0 < MIN_LABELLED_RUN_CSS_PX) break;
    const half = textWidth(run.text) / 2;
    const cx = Math.min(w - half - 1, Math.max(half + 1, (run.x0 + run.x1) / 2));
    const from = cx - half - 5;
    const to = cx + half + 5;
    const row = rows.findIndex((r) => r.every(([a, b]) => to <= a || from >= b));
    if (row < 0) continue;
    rows[row].push([from, to]);
    placed.push({ run, cx, row });
  }
  return placed;
}

/**
 * The widest stretch of the display interval [from, to) between collapsed breaks (where a region
 * band's name fits), as CSS pixels through `cssX`; [0, 0] when none is wider than nothing.
 */
export function widestPiece(breaks: readonly Break[], from: number, to: number, cssX: (display: number) => number): [number, number] {
  let best: [number, number] = [0, 0];
  let at = from;
  const consider = (a: number, b: number) => {
    const x0 = cssX(a);
    const x1 = cssX(b);
    if (x1 - x0 > best[1] - best[0]) best = [x0, x1];
  };
  for (const br of breaks) {
    if (br.unknown || br.at + br.width <= at) continue;
    if (br.at >= to) break;
    consider(at, br.at);
    at = br.at + br.width;
  }
  if (at < to) consider(at, to);
  return best;
}
