// Which vmalloc areas belong to which module, from /proc/modules.
//
//   erofs 110592 1 - Live 0xffffffffc0b75000                       <- /proc/modules
//   0xffffffffc0b75000-0xffffffffc0b91000  114688 load_module+0xbb7/0x21a0 pages=27 vmalloc
//
// Two ways an area is a module's:
// - its caller carries the module's `[name]` tag (memory the module allocated while running);
// - it is not tagged and its [start, end) holds the module's base address (the loader's area:
//   load_module / move_module / module_alloc on x86_64 6.1, execmem_alloc and friends on 6.x).
// lsmod's size counts whole pages; the loader's area adds one guard page, so on a kernel with one
// area per module (x86_64 6.1) the area's size is lsmod's size + 4096. Since 6.4 a module gets one
// area per section type (text, data, rodata, ro_after_init); only the text area holds the base,
// so the others cannot be told apart by address and stay unattributed (counted in the totals).
// Hashed, masked and zeroed dumps carry no addresses to compare: only the tags count there.

import { formatBytes, formatCount } from '../format.ts';
import { hexBig } from '../addr.ts';
import { LOADER_CALLERS, lowerBound } from '../model/layout.ts';
import type { Model } from '../model/model.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { PAGE_SIZE } from '../types.ts';

/** One module from /proc/modules and the vmalloc areas that hold it. */
export interface ModuleFootprint {
  name: string;
  /** lsmod's size (bytes), as printed in /proc/modules. */
  lsmodSize: number;
  /** Load address as printed (hex), or null when zeroed. */
  address: string | null;
  /** Area indices (file order) attributed to this module: [module]-tagged areas plus loader areas
   *  whose range holds the module's base address. */
  areas: number[];
  /** Bytes of the loader areas only (size column, guard page included). */
  loaderBytes: number;
  /** Bytes of the [module]-tagged areas (allocations the module made at run time). */
  taggedBytes: number;
  /** What lsmod's size should occupy: round up to pages, plus one guard page per loader area. */
  expectedLoaderBytes: number;
  /** The loader areas alone (file order): normally one, the area holding the base address. */
  loaderAreas: number[];
  /** The tagged areas alone (file order). */
  taggedAreas: number[];
  /** Exact range of the loader area holding the base, as hex, or null. */
  loaderStart: string | null;
  loaderEnd: string | null;
  /** expectedLoaderBytes − loaderBytes: lsmod bytes not found in the area holding the base
   *  (sections in separate areas on 6.4+), 0 when they match. */
  unaccountedBytes: number;
  /** One sentence a kernel engineer reads: where the module is and how its size adds up. */
  note: string;
}

export interface ModuleAttribution {
  /** Per area (file order): the module name it is attributed to, or null. */
  moduleOf: (string | null)[];
  modules: ModuleFootprint[];
  /** Modules whose base address was zero or no loader area held it. */
  unmatched: string[];
  /** [module] tags on areas whose module is NOT in /proc/modules (possible leaks after rmmod). */
  orphanTags: Array<{ module: string; areas: number[]; bytes: number }>;
  /** Areas whose caller is a module loader (load_module, execmem_alloc, ...), file order. */
  loaderAreas: number[];
  /** Sum of their size column. */
  loaderAreaBytes: number;
  /** Loader areas that hold no module's base address (other sections of 6.4+ modules, init
   *  sections still mapped, BPF programs), file order. */
  unattributedLoaderAreas: number[];
  /** Sum of lsmod sizes. */
  lsmodBytes: number;
  /** Sentences about the whole picture (e.g. loader areas minus guard pages vs lsmod sizes). */
  notes: string[];
}

function pagesUp(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;
}

/** The module's base address, or null when zeroed or unreadable. */
export function moduleBase(entry: ModuleEntry): bigint | null {
  try {
    const v = BigInt(entry.address);
    return v === 0n ? null : v;
  } catch {
    return null;
  }
}

/** Attribute areas to modules. Works with raw addresses; in hashed/zero mode only [module] tags count. */
export function attributeModules(model: Model, modules: ModuleEntry[]): ModuleAttribution {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const digits = s.addressDigits || 16;
  const moduleOf: (string | null)[] = new Array<string | null>(n).fill(null);
  const isLoader = s.strings.map((name) => LOADER_CALLERS.has(name));
  const loaderAreas: number[] = [];
  let loaderAreaBytes = 0;
  const tagged = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const m = c.module[i];
    if (m >= 0) {
      const name = s.strings[m];
      moduleOf[i] = name;
      let list = tagged.get(name);
      if (!list) tagged.set(name, (list = []));
      list.push(i);
    } else if (c.symbol[i] >= 0 && isLoader[c.symbol[i]]) {
      loaderAreas.push(i);
      loaderAreaBytes += c.size[i];
    }
  }

  const raw = model.byAddress && s.pointerMode === 'raw';
  const holding = new Set<number>();
  const footprints: ModuleFootprint[] = [];
  const unmatched: string[] = [];
  let lsmodBytes = 0;
  for (const entry of modules) {
    lsmodBytes += entry.size;
    const base = moduleBase(entry);
    const loader: number[] = [];
    if (raw && base !== null) {
      const hi = Number(base >> 32n);
      const lo = Number(base & 0xffffffffn);
      // The area with the greatest start at or below the base.
      let k = lowerBound(s, model.order, hi, lo);
      if (k >= n || c.startHi[model.order[k]] !== hi || c.startLo[model.order[k]] !== lo) k--;
      const i = k >= 0 ? model.order[k] : -1;
      if (i >= 0 && c.module[i] < 0) {
        const end = (BigInt(c.endHi[i]) << 32n) | BigInt(c.endLo[i]);
        if (base < end) loader.push(i);
      }
    }
    const tags = tagged.get(entry.name) ?? [];
    for (const i of loader) {
      moduleOf[i] = entry.name;
      holding.add(i);
    }
    const loaderBytes = loader.reduce((sum, i) => sum + c.size[i], 0);
    const taggedBytes = tags.reduce((sum, i) => sum + c.size[i], 0);
    const expectedLoaderBytes = pagesUp(entry.size) + PAGE_SIZE * Math.max(1, loader.length);
    if (loader.length === 0) unmatched.push(entry.name);
    const first = loader[0];
    const loaderStart = first === undefined ? null : hexBig((BigInt(c.startHi[first]) << 32n) | BigInt(c.startLo[first]), digits);
    const loaderEnd = first === undefined ? null : hexBig((BigInt(c.endHi[first]) << 32n) | BigInt(c.endLo[first]), digits);
    const unaccountedBytes = loader.length === 0 ? 0 : expectedLoaderBytes - loaderBytes;
    footprints.push({
      name: entry.name,
      lsmodSize: entry.size,
      address: base === null ? null : entry.address,
      areas: [...loader, ...tags].sort((a, b) => a - b),
      loaderBytes,
      taggedBytes,
      expectedLoaderBytes,
      loaderAreas: loader,
      taggedAreas: tags,
      loaderStart,
      loaderEnd,
      unaccountedBytes,
      note: footprintNote(entry, base, raw, loaderStart, loaderEnd, loaderBytes, unaccountedBytes, tags.length, taggedBytes),
    });
  }

  const names = new Set(modules.map((m) => m.name));
  const orphanTags: ModuleAttribution['orphanTags'] = [];
  if (modules.length > 0) {
    for (const [module, areas] of tagged) {
      if (!names.has(module)) orphanTags.push({ module, areas, bytes: areas.reduce((sum, i) => sum + c.size[i], 0) });
    }
    orphanTags.sort((a, b) => b.bytes - a.bytes || (a.module < b.module ? -1 : 1));
  }
  const unattributedLoaderAreas = loaderAreas.filter((i) => !holding.has(i));

  const notes: string[] = [];
  if (modules.length > 0 && !raw) {
    notes.push(`Addresses in this dump are ${s.pointerMode === 'unknown' ? 'absent' : s.pointerMode}, so only [module] tags tie areas to modules; the loader's areas cannot be matched to base addresses.`);
  }
  if (modules.length > 0 && raw && loaderAreas.length > 0) {
    const net = loaderAreaBytes - PAGE_SIZE * loaderAreas.length;
    const same = net === lsmodBytes;
    notes.push(
      `${formatCount(loaderAreas.length)} loader areas hold ${formatBytes(loaderAreaBytes)}; without their guard pages that is ${formatBytes(net)}, ` +
        (same ? `exactly the sum of lsmod sizes of the ${formatCount(modules.length)} modules.` : `against ${formatBytes(lsmodBytes)} of lsmod sizes for ${formatCount(modules.length)} modules (${formatBytes(Math.abs(net - lsmodBytes))} ${net > lsmodBytes ? 'more in the areas' : 'missing from the areas'}).`),
    );
    if (unattributedLoaderAreas.length > 0 && loaderAreas.length > modules.length) {
      notes.push(
        `${formatCount(unattributedLoaderAreas.length)} loader areas hold no module's base address: kernels since 6.4 give each module one area per section (text, data, rodata, ro_after_init) and only the text area is at the address /proc/modules prints.`,
      );
    }
  }
  if (unmatched.length > 0 && raw) {
    notes.push(`No area holds the base address of ${unmatched.join(', ')}: zeroed addresses (no CAP_SYSLOG) or the two files were read at different moments.`);
  }
  if (orphanTags.length > 0) {
    notes.push(`${orphanTags.map((o) => `[${o.module}]`).join(', ')} still tag${orphanTags.length === 1 ? 's' : ''} areas but ${orphanTags.length === 1 ? 'is' : 'are'} not in /proc/modules: possible leak after rmmod.`);
  }
  return { moduleOf, modules: footprints, unmatched, orphanTags, loaderAreas, loaderAreaBytes, unattributedLoaderAreas, lsmodBytes, notes };
}

function footprintNote(
  entry: ModuleEntry,
  base: bigint | null,
  raw: boolean,
  start: string | null,
  end: string | null,
  loaderBytes: number,
  unaccounted: number,
  taggedCount: number,
  taggedBytes: number,
): string {
  const tagged = taggedCount > 0 ? ` It allocated ${formatCount(taggedCount)} more area${taggedCount === 1 ? '' : 's'} (${formatBytes(taggedBytes)}) tagged [${entry.name}].` : '';
  if (base === null) return `${entry.name}: /proc/modules printed a zero address (no CAP_SYSLOG), so its loader area cannot be found.${tagged}`;
  if (!raw) return `${entry.name}: this dump's addresses are not raw, so the area at ${entry.address} cannot be found.${tagged}`;
  if (start === null) return `${entry.name}: no area holds its base address ${entry.address}.${tagged}`;
  const size = `${formatBytes(loaderBytes)} (${formatCount(loaderBytes)} bytes) of vmalloc space at ${start}–${end}`;
  const fit =
    unaccounted === 0
      ? `lsmod's ${formatCount(entry.size)} bytes rounded to pages plus one guard page`
      : unaccounted > 0
        ? `its text; ${formatBytes(unaccounted)} more of lsmod's ${formatCount(entry.size)} bytes sit in separate areas for its other sections (kernels 6.4+), each with its own guard page, which /proc/vmallocinfo does not tie to the module`
        : `${formatBytes(-unaccounted)} more than lsmod's ${formatCount(entry.size)} bytes plus a guard page`;
  return `${entry.name} took ${size}: ${fit}.${tagged}`;
}
