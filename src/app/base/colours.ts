// Colour keys for the map: every area gets a small integer key (at most 32, so level-of-detail
// bins can count per key) and every key a legend entry and a colour. Pure: no DOM.

import { schemeTableau10 } from 'd3-scale-chromatic';
import { AREA_KINDS, moduleColumn, topEntries } from '../../lib/index.ts';
import type { Model, ModuleColumn } from '../../lib/index.ts';
import { KIND_DESCRIPTION } from './text.ts';

/** 'diff' colours the dump on screen by change since another one (src/app/analysis compares them). */
export const COLOUR_MODES = ['kind', 'caller', 'module', 'node', 'diff'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

export const COLOUR_MODE_LABEL: Record<ColourMode, string> = {
  kind: 'kind',
  caller: 'caller (top 10)',
  module: 'module (top 10)',
  node: 'NUMA node',
  diff: 'change (compare A → B)',
};

export type Scheme = 'light' | 'dark';

/** A colour per scheme. */
export interface Swatch {
  light: string;
  dark: string;
}

export interface LegendEntry {
  key: number;
  label: string;
  /** A longer description for a title attribute, or null. */
  note: string | null;
  swatch: Swatch;
  count: number;
  bytes: number;
}

export interface Colouring {
  mode: ColourMode;
  /** Per area index (file order): its colour key. */
  keyOf: Uint8Array;
  /** One entry per key, in key order; entries with no areas are kept (count 0) so keys stay stable. */
  legend: LegendEntry[];
  /** Diff mode: the removed areas of snapshot A, drawn as outlined ghosts at their exact addresses. */
  ghosts?: ReadonlyArray<Ghost>;
}

/** An area that is not in the model on screen, drawn as an outline where it was. */
export interface Ghost {
  start: bigint;
  end: bigint;
}

/** How many named callers, modules or nodes get a colour of their own. */
export const TOP = 10;

const same = (c: string): Swatch => ({ light: c, dark: c });

/** By kind: hues people can tell apart, lazily freed areas in grey (they are on their way out). */
export const KIND_SWATCH: Record<(typeof AREA_KINDS)[number], Swatch> = {
  vmalloc: { light: '#4e79a7', dark: '#6d9bd3' },
  ioremap: { light: '#e8730c', dark: '#f59a3c' },
  vmap: { light: '#3f9a4a', dark: '#6cc070' },
  vm_map_ram: { light: '#9b5fc0', dark: '#c193e0' },
  unpurged: { light: '#b9bcc2', dark: '#5d636b' },
  sparse: same('#d4b21e'),
  'dma-coherent': { light: '#d62f4b', dark: '#ff6b81' },
  other: { light: '#8c6d5a', dark: '#b8927b' },
};

/** Ten categorical colours (Tableau 10 with its grey swapped for a dark blue, so grey means "the rest"). */
export const CATEGORICAL: readonly Swatch[] = schemeTableau10.map((c) => (c.toLowerCase() === '#bab0ac' ? '#1f4e79' : c)).map(same);
const REST: Swatch = { light: '#a3a8b0', dark: '#6b7179' };
const NONE: Swatch = { light: '#d5d8dd', dark: '#3d4249' };

function entry(key: number, label: string, swatch: Swatch, note: string | null = null): LegendEntry {
  return { key, label, note, swatch, count: 0, bytes: 0 };
}

/** Colour keys by the areas' kind, caller, module or NUMA node. */
export function colourAreas(model: Model, mode: ColourMode, modules: ModuleColumn | null = null): Colouring {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const keyOf = new Uint8Array(n);
  const legend: LegendEntry[] = [];

  if (mode === 'kind') {
    AREA_KINDS.forEach((kind, k) => legend.push(entry(k, kind, KIND_SWATCH[kind], KIND_DESCRIPTION[kind])));
    for (let i = 0; i < n; i++) keyOf[i] = c.kind[i];
  } else if (mode === 'module') {
    // Every area of a module: its [module] tags, and its loader areas once /proc/modules is known.
    const m = modules ?? moduleColumn(model);
    const bytes = new Float64Array(m.names.length);
    for (let i = 0; i < n; i++) if (m.ids[i] >= 0) bytes[m.ids[i]] += c.size[i];
    const top = m.names
      .map((name, id) => ({ name, id, bytes: bytes[id] }))
      .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, TOP);
    top.forEach((t, k) => legend.push(entry(k, t.name, CATEGORICAL[k])));
    const rest = legend.length;
    legend.push(entry(rest, 'other modules', REST));
    const none = legend.length;
    legend.push(entry(none, 'built-in', NONE, 'allocated by code built into the kernel image'));
    const keyOfId = new Uint8Array(m.names.length).fill(rest);
    top.forEach((t, k) => (keyOfId[t.id] = k));
    for (let i = 0; i < n; i++) keyOf[i] = m.ids[i] < 0 ? none : keyOfId[m.ids[i]];
  } else if (mode === 'caller') {
    const byName = model.totals.byCaller;
    const top = topEntries(byName, TOP).map(([name]) => name);
    top.forEach((name, k) => legend.push(entry(k, name, CATEGORICAL[k])));
    const rest = legend.length;
    legend.push(entry(rest, 'other callers', REST));
    const none = legend.length;
    legend.push(entry(none, 'no caller', NONE, 'vm_map_ram blocks, lazily freed areas and early areas print no caller'));
    // Key per interned string id, so the per-area loop is two array reads.
    const keyOfString = new Uint8Array(s.strings.length).fill(rest);
    top.forEach((name, k) => {
      const id = s.strings.indexOf(name);
      if (id >= 0) keyOfString[id] = k;
    });
    for (let i = 0; i < n; i++) keyOf[i] = c.symbol[i] < 0 ? none : keyOfString[c.symbol[i]];
  } else if (mode === 'diff') {
    return diffColouring(model, null);
  } else {
    const nodes = [...model.totals.byNode.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP);
    nodes.forEach(([node], k) => legend.push(entry(k, `node ${node}`, CATEGORICAL[k])));
    const rest = legend.length;
    legend.push(entry(rest, 'other nodes', REST));
    const none = legend.length;
    legend.push(entry(none, 'no pages', NONE, 'areas with no N<node>= counts: ioremaps, vm_map_ram, lazily freed'));
    const keyOfNode = new Map(nodes.map(([node], k) => [node, k]));
    for (let i = 0; i < n; i++) {
      // The node holding most of the area's pages.
      let best = -1;
      let bestPages = 0;
      for (let j = c.nodeStart[i]; j < c.nodeStart[i + 1]; j++) {
        if (c.nodePages[j] > bestPages) {
          bestPages = c.nodePages[j];
          best = c.nodeId[j];
        }
      }
      keyOf[i] = best < 0 ? none : (keyOfNode.get(best) ?? rest);
    }
  }
  for (let i = 0; i < n; i++) {
    const e = legend[keyOf[i]];
    e.count++;
    e.bytes += c.size[i];
  }
  return { mode, keyOf, legend };
}

/** The colour of every key in one scheme, indexed by key. */
export function keyColours(colouring: Colouring, scheme: Scheme): string[] {
  return colouring.legend.map((e) => e.swatch[scheme]);
}

/** Diff colours, keyed by status in the library's DIFF_STATUS order: same, added, removed, resized. */
export const DIFF_SWATCH: readonly Swatch[] = [
  { light: '#c9cdd3', dark: '#4a5058' },
  { light: '#2e9e4f', dark: '#4cc46e' },
  { light: '#d62f4b', dark: '#ff6b81' },
  { light: '#e09400', dark: '#f2b33d' },
];
const DIFF_LABEL = ['unchanged', 'added', 'removed (in A only)', 'resized'];
const DIFF_NOTE = [
  'in both snapshots, same size',
  'only in B, the snapshot on screen',
  'only in A: drawn as red outlines where they were',
  'same start and caller (or caller) in both, another size',
];

/**
 * The colouring of snapshot B by diff status (`statusB` per area, a DIFF_STATUS index; null: no
 * comparison yet, all unchanged). `removed` counts A's removed areas for the legend; `ghosts` are
 * their address ranges when both dumps are raw.
 */
export function diffColouring(
  model: Model,
  statusB: Uint8Array | null,
  ghosts: ReadonlyArray<Ghost> = [],
  removed: { count: number; bytes: number } = { count: 0, bytes: 0 },
): Colouring {
  const s = model.snapshot;
  const keyOf = new Uint8Array(s.count);
  const legend = DIFF_SWATCH.map((swatch, k) => entry(k, DIFF_LABEL[k], swatch, DIFF_NOTE[k]));
  for (let i = 0; i < s.count; i++) {
    const k = statusB && statusB[i] < 4 ? statusB[i] : 0;
    keyOf[i] = k;
    legend[k].count++;
    legend[k].bytes += s.columns.size[i];
  }
  legend[2].count = removed.count;
  legend[2].bytes = removed.bytes;
  return { mode: 'diff', keyOf, legend, ghosts };
}
