// The summary of a snapshot as one plain object: what `vmscope summary --json` prints and what
// the app's summary shows. Field names are part of the CLI's contract (see README).

import { hexBig } from './addr.ts';
import { fragmentation } from './analysis/fragmentation.ts';
import type { Evidence } from './model/layout.ts';
import { attributeModules, moduleColumn } from './analysis/modules.ts';
import type { ModuleAgreement } from './analysis/modules.ts';
import type { ModuleEntry } from './input/capture.ts';
import type { Model } from './model/model.ts';
import { topEntries } from './model/model.ts';
import { KIND_INDEX } from './parse/snapshot.ts';
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
  /** Free bytes of the vmalloc range (between areas and at its two ends), or null without a range. */
  vmallocFreeBytes: number | null;
  /** Free holes of the vmalloc range, its two ends included, or null without a range. */
  vmallocHoles: number | null;
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
  /** The kernel releases the detected variant belongs to ("6.9+"), or null. */
  layoutEra: string | null;
  /** What fixed the vmalloc range, strongest first: meminfo, release, areas, preset. */
  layoutEvidence: Evidence[];
  /** Why, in sentences. */
  layoutNotes: string[];
  regions: Array<{ id: string; label: string; start: string; end: string; inferred: boolean; startFrom: Evidence; endFrom: Evidence }>;
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
  const frag = fragmentation(model);
  const hasRange = model.byAddress && (model.layout?.regions.some((r) => r.id === 'vmalloc') ?? false);
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
    largestFreeVmallocBytes: frag.largest?.bytes ?? null,
    vmallocFreeBytes: hasRange ? frag.freeBytes : null,
    vmallocHoles: hasRange ? frag.holeCount : null,
    modules,
    ...(moduleCheck ? { moduleCheck } : {}),
    topCallers: topEntries(t.byCaller, topCallers).map(([fn, tally]) => ({ function: fn, count: tally.count, bytes: tally.bytes })),
    nodes,
    layout: model.layout ? model.layout.name : null,
    layoutId: model.layout ? model.layout.id : null,
    layoutEra: model.layout?.era ?? null,
    layoutEvidence: model.layout?.evidence ?? [],
    layoutNotes: model.layout?.notes ?? [],
    regions: (model.layout?.regions ?? []).map((r) => ({
      id: r.id,
      label: r.label,
      start: hexBig(r.start, digits),
      end: hexBig(r.end, digits),
      inferred: r.inferred,
      startFrom: r.startFrom,
      endFrom: r.endFrom,
    })),
  };
}

/** A byte or page count that may have gone past 2^53 in a Number sum. */
type Exact = number | bigint;

/**
 * The summary as `vmscope summary --json` prints it (with exactJson): every count exact. Gaps and
 * free space are taken from the addresses as BigInt (a riscv64 Sv57 range is 2^54 bytes); totals
 * are summed again as BigInt when the Number sum went past 2^53 (only hostile input gets there:
 * every single size is below 2^53, the parser refuses more).
 */
export function summaryForJson(model: Model, summary: Summary = summarize(model), moduleList: ModuleEntry[] = []): Record<string, unknown> {
  const frag = fragmentation(model);
  const exactGapOf = (h: Model['largestGap']) => (h ? h.exactBytes : null);
  const out: Record<string, unknown> = {
    ...summary,
    largestGapBytes: model.largestGap ? model.largestGap.exactBytes : summary.largestGapBytes === null ? null : 0n,
    largestVmallocHoleBytes: exactGapOf(model.largestVmallocHole),
    largestFreeVmallocBytes: frag.largest ? frag.largest.end - frag.largest.start : null,
    vmallocFreeBytes: summary.vmallocFreeBytes === null ? null : frag.free,
  };
  const t = model.totals;
  if (t.all.bytes > Number.MAX_SAFE_INTEGER || t.all.pages > Number.MAX_SAFE_INTEGER || t.guardBytes > Number.MAX_SAFE_INTEGER) Object.assign(out, exactTotals(model, summary, moduleList));
  return out;
}

/** bytes, pages, guardBytes, kinds, modules and topCallers summed as BigInt. */
function exactTotals(model: Model, summary: Summary, moduleList: ModuleEntry[]): Record<string, unknown> {
  const s = model.snapshot;
  const c = s.columns;
  let bytes = 0n;
  let pages = 0n;
  let guard = 0n;
  const kinds = new Map<number, bigint>();
  const bySym = new Map<number, bigint>();
  const byMod = new Map<number, bigint>();
  // Modules as summarize() counts them: [module] tags, and loader areas when /proc/modules is given.
  const mods = moduleColumn(model, moduleList.length > 0 ? attributeModules(model, moduleList) : null);
  for (let i = 0; i < s.count; i++) {
    const size = BigInt(c.size[i]);
    bytes += size;
    pages += BigInt(c.pages[i]);
    guard += BigInt(s.guardOf(i));
    kinds.set(c.kind[i], (kinds.get(c.kind[i]) ?? 0n) + size);
    if (c.symbol[i] >= 0) bySym.set(c.symbol[i], (bySym.get(c.symbol[i]) ?? 0n) + size);
    if (mods.ids[i] >= 0) byMod.set(mods.ids[i], (byMod.get(mods.ids[i]) ?? 0n) + size);
  }
  const id = (name: string) => s.strings.indexOf(name);
  const kindsOut: Record<string, { count: number; bytes: Exact }> = {};
  for (const [k, v] of Object.entries(summary.kinds)) kindsOut[k] = { count: v.count, bytes: kinds.get(KIND_INDEX[k as keyof typeof KIND_INDEX]) ?? 0n };
  const modulesOut: Record<string, { count: number; bytes: Exact }> = {};
  for (const [m, v] of Object.entries(summary.modules)) modulesOut[m] = { count: v.count, bytes: byMod.get(mods.names.indexOf(m)) ?? BigInt(v.bytes) };
  return {
    bytes,
    pages,
    guardBytes: guard,
    kinds: kindsOut,
    modules: modulesOut,
    topCallers: summary.topCallers.map((x) => ({ ...x, bytes: bySym.get(id(x.function)) ?? BigInt(x.bytes) })),
  };
}
