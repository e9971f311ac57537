// The summary of a snapshot as one plain object: what `vmscope summary --json` prints and what
// the app's summary shows. Field names are part of the CLI's contract (see README).

import { hexBig } from './addr.ts';
import { fragmentation } from './analysis/fragmentation.ts';
import { attributeModules, moduleColumn } from './analysis/modules.ts';
import type { ModuleAgreement } from './analysis/modules.ts';
import type { ModuleEntry } from './input/capture.ts';
import type { Model } from './model/model.ts';
import { topEntries } from './model/model.ts';
import { AREA_KINDS } from './types.ts';
import type { AreaKind, PointerMode } from './types.ts';

export interface CountBytes {
  count: number;
  bytes: number;
}

export interface Summary {
  /** Area lines parsed. */
  areas: number;
  /** Sum of the size column. */
  bytes: number;
  /** Sum of pages=. */
  pages: number;
  guardBytes: number;
  pointerMode: PointerMode;
  lines: number;
  /** Raw mode: whether the file came in address order; null otherwise. */
  sorted: boolean | null;
  kinds: Record<AreaKind, CountBytes>;
  /** Lines not understood (skipped). */
  diagnostics: number;
  warnings: number;
  largestGapBytes: number | null;
  /** Largest hole between two areas inside the vmalloc range (model.largestVmallocHole). */
  largestVmallocHoleBytes: number | null;
  /**
   * Largest free stretch of the vmalloc range, its two edges included (from the range's start to
   * the first area, from the last area to the range's end): what VmallocChunk meant. Null without a
   * recognised range.
   */
  largestFreeVmallocBytes: number | null;
  /**
   * Bytes per module, largest first: its [module]-tagged areas and, when /proc/modules is given, its
   * loader areas (the one holding its base address and, since 6.4, its other sections').
   */
  modules: Record<string, CountBytes>;
  /** Only with /proc/modules: each module's loader areas against lsmod's size (see modules.ts). */
  moduleCheck?: Record<string, { lsmodBytes: number; loaderAreas: number; loaderBytes: number; agreement: ModuleAgreement }>;
  topCallers: Array<{ function: string; count: number; bytes: number }>;
  nodes: Record<string, number>;
  /** The detected layout's name, or null. */
  layout: string | null;
  layoutId: string | null;
  regions: Array<{ id: string; label: string; start: string; end: string; inferred: boolean }>;
}

export function summarize(model: Model, topCallers = 10, moduleList: ModuleEntry[] = []): Summary {
  const s = model.snapshot;
  const t = model.totals;
  const kinds = {} as Record<AreaKind, CountBytes>;
  for (const k of AREA_KINDS) kinds[k] = { count: t.byKind[k].count, bytes: t.byKind[k].bytes };
  const modules: Record<string, CountBytes> = {};
  let moduleCheck: Summary['moduleCheck'];
  if (moduleList.length > 0) {
    const att = attributeModules(model, moduleList);
    const col = moduleColumn(model, att);
    const acc = col.names.map(() => ({ count: 0, bytes: 0 }));
    for (let i = 0; i < s.count; i++) {
      if (col.ids[i] < 0) continue;
      acc[col.ids[i]].count++;
      acc[col.ids[i]].bytes += s.columns.size[i];
    }
    col.names
      .map((name, id) => ({ name, ...acc[id] }))
      .sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .forEach((m) => (modules[m.name] = { count: m.count, bytes: m.bytes }));
    moduleCheck = {};
    for (const f of att.modules) {
      moduleCheck[f.name] = { lsmodBytes: f.lsmodSize, loaderAreas: f.loaderAreas.length, loaderBytes: f.loaderBytes, agreement: f.agreement };
    }
  } else {
    for (const [name, tally] of topEntries(t.byModule)) modules[name] = { count: tally.count, bytes: tally.bytes };
  }
  const nodes: Record<string, number> = {};
  for (const [node, pages] of [...t.byNode.entries()].sort((a, b) => a[0] - b[0])) nodes[`N${node}`] = pages;
  const digits = s.addressDigits || 16;
  return {
    areas: s.count,
    bytes: t.all.bytes,
    pages: t.all.pages,
    guardBytes: t.guardBytes,
    pointerMode: s.pointerMode,
    lines: s.lineCount,
    sorted: s.sorted,
    kinds,
    diagnostics: s.errorCount,
    warnings: s.warningCount,
    // null when there is no pair of address-consecutive areas to measure between.
    largestGapBytes: model.largestGap ? model.largestGap.bytes : model.byAddress && s.count >= 2 ? 0 : null,
    largestVmallocHoleBytes: model.largestVmallocHole ? model.largestVmallocHole.bytes : null,
    largestFreeVmallocBytes: fragmentation(model).largest?.bytes ?? null,
    modules,
    ...(moduleCheck ? { moduleCheck } : {}),
    topCallers: topEntries(t.byCaller, topCallers).map(([fn, tally]) => ({ function: fn, count: tally.count, bytes: tally.bytes })),
    nodes,
    layout: model.layout ? model.layout.name : null,
    layoutId: model.layout ? model.layout.id : null,
    regions: (model.layout?.regions ?? []).map((r) => ({
      id: r.id,
      label: r.label,
      start: hexBig(r.start, digits),
      end: hexBig(r.end, digits),
      inferred: r.inferred,
    })),
  };
}
