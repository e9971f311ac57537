// Which vmalloc areas belong to which module, from /proc/modules.
//
//   e1000 163840 0 - Live 0xffffc24dd6289000                        <- /proc/modules (arm64 6.12)
//   0xffffc24dd6289000-0xffffc24dd62a1000   98304 load_module+0x1a38/0x1e70 pages=23 vmalloc   <- text
//   0xffffc24dd62a1000-0xffffc24dd62ab000   40960 load_module+0x1a38/0x1e70 pages=9 vmalloc
//   0xffffc24dd62ab000-0xffffc24dd62b3000   32768 load_module+0x1a38/0x1e70 pages=7 vmalloc
//   0xffffc24dd62b3000-0xffffc24dd62b5000    8192 load_module+0x1a38/0x1e70 pages=1 vmalloc
//   (98304 + 40960 + 32768 + 8192) − 4 × 4096 guard pages = 163840 = lsmod's size
//
// Two ways an area is a module's:
// - its caller carries the module's `[name]` tag (memory the module allocated while running);
// - it is one of the loader's areas for the module's code and data (callers load_module,
//   move_module, module_alloc, module_memory_alloc, execmem_alloc …, never tagged):
//   - the text area is the untagged area whose [start, end) holds the base address /proc/modules
//     prints (unless it is bigger than lsmod's size or holds two bases: a shared area, such as an
//     execmem cache of huge pages, is no one module's);
//   - up to 6.3 that area is the whole module (one area: lsmod's size rounded to pages + a guard
//     page; the init area is freed once the module is Live);
//   - since 6.4 each section type (text, data, rodata, ro_after_init; init ones too while Loading)
//     has an area of its own. The loader maps them one after another at the lowest free address
//     that fits, so most often they follow the text back to back: when the loader areas right
//     after the text add up exactly to lsmod's size minus the text area's (each minus its guard
//     page), they are taken. Otherwise sections.ts searches the unclaimed loader areas near the
//     text (and those above every text, where sections too big for any hole land) for a set that
//     adds up exactly, no area given to two modules. When no such set can be found, the module
//     "cannot be made to agree" (e.g. /proc/modules and the dump read at different moments), and
//     only its text area, which is certain, is credited. Loader areas left over (init sections of
//     a module still Loading, BPF packs and kprobe pages from the same allocator) stay no one's.
// lsmod's size is the sum of the sections' sizes (each rounded to pages with STRICT_MODULE_RWX).
// Hashed, masked and zeroed dumps carry no addresses to compare: only the tags count there.

import { formatBytes, formatCount } from '../format.ts';
import { compare, hexBig, toBigInt } from '../addr.ts';
import { lowerBound } from '../lowerBound.ts';
import { LOADER_CALLERS, firstAtOrAbove } from '../model/layout.ts';
import type { Model } from '../model/model.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { PAGE_SIZE } from '../types.ts';
import { assignSections } from './sections.ts';
import type { SectionModule, SectionResult } from './sections.ts';

/** How a module's credited loader areas compare with lsmod's size. */
export type ModuleAgreement =
  /** Its loader areas minus one guard page each add up exactly to lsmod's size. */
  | 'exact'
  /** No set adds up (or no area holds its base, or it is shared): only what is certain is credited. */
  | 'disagrees'
  /** Addresses hidden (zeroed /proc/modules, or a dump that is not raw): nothing to compare. */
  | 'unknown';

/** One module from /proc/modules and the vmalloc areas that hold it. */
export interface ModuleFootprint {
  name: string;
  /** lsmod's size (bytes), as printed in /proc/modules. */
  lsmodSize: number;
  /** Load address as printed (hex), or null when zeroed. */
  address: string | null;
  /** Area indices (file order) attributed to this module: its loader areas and its [module]-tagged areas. */
  areas: number[];
  /** Bytes of its loader areas (size column, guard pages included). */
  loaderBytes: number;
  /** Bytes of the [module]-tagged areas (allocations the module made at run time). */
  taggedBytes: number;
  /** What lsmod's size should occupy: rounded up to pages, plus one guard page per loader area. */
  expectedLoaderBytes: number;
  /** Its loader areas: the text area (holding the base address) first, then its other sections
   *  (kernels since 6.4) in address order. */
  loaderAreas: number[];
  /** The loader area holding the base address, or null. */
  textArea: number | null;
  /** The tagged areas alone (file order). */
  taggedAreas: number[];
  /** Exact range of the text area, as hex, or null. */
  loaderStart: string | null;
  loaderEnd: string | null;
  /** expectedLoaderBytes − loaderBytes: lsmod bytes not found in the credited areas, 0 when they
   *  agree (and when nothing was found). */
  unaccountedBytes: number;
  /** The check of the loader areas against lsmod's size. */
  agreement: ModuleAgreement;
  /** That check in a few words, for a table cell ("4 areas add up to lsmod's size"). */
  agreementText: string;
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
  /** Loader areas credited to no module (init sections of a module still loading, BPF programs,
   *  kprobe pages, sections of a module that cannot be made to agree), file order. */
  unattributedLoaderAreas: number[];
  /** Sum of lsmod sizes. */
  lsmodBytes: number;
  /** Sentences about the whole picture (e.g. loader areas minus guard pages vs lsmod sizes). */
  notes: string[];
}

/** Section types whose areas stay mapped once a module is Live: text, data, rodata, ro_after_init. */
export const CORE_SECTION_TYPES = 4;
/** All section types, init ones included (mapped while the module is Loading). */
export const ALL_SECTION_TYPES = 7;
/** Loader areas on each side of a module's text (address order) that may hold its other sections. */
export const SECTION_WINDOW = 16;
/** …and at most this far from its text: the module regions are at most 2 GiB. */
const SECTION_REACH = 1n << 31n;
/** Cost of a candidate that does not continue the text, before its distance: above any gapless one. */
const CHAIN_COST = 1000;

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

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

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
  const start = (i: number) => toBigInt(c.startHi[i], c.startLo[i]);
  const end = (i: number) => toBigInt(c.endHi[i], c.endLo[i]);
  const net = (i: number) => c.size[i] - PAGE_SIZE;

  // The text area of each module: the untagged area holding its base.
  const raw = model.byAddress !== null && model.byAddress !== undefined && s.pointerMode === 'raw';
  const holder: Array<number | null> = modules.map((entry) => {
    const base = moduleBase(entry);
    if (!raw || base === null) return null;
    const hi = Number(base >> 32n);
    const lo = Number(base & 0xffffffffn);
    // The area with the greatest start at or below the base.
    let k = firstAtOrAbove(s, model.order, hi, lo);
    if (k >= n || c.startHi[model.order[k]] !== hi || c.startLo[model.order[k]] !== lo) k--;
    const i = k >= 0 ? model.order[k] : -1;
    return i >= 0 && c.module[i] < 0 && base < end(i) ? i : null;
  });
  const holders = new Map<number, number>();
  for (const i of holder) if (i !== null) holders.set(i, (holders.get(i) ?? 0) + 1);
  // An area holding two bases, or bigger than the module, is shared (an execmem cache): no one's.
  const shared = modules.map((entry, k) => {
    const i = holder[k];
    return i !== null && (holders.get(i)! > 1 || net(i) > pagesUp(entry.size));
  });
  const text = holder.map((i, k) => (shared[k] ? null : i));

  // The other sections: an exact search over the unclaimed loader areas near each text.
  const claimed = new Set(holder.filter((i): i is number => i !== null));
  const byStart = (x: number, y: number) => compare(c.startHi[x], c.startLo[x], c.startHi[y], c.startLo[y]);
  const unclaimed = loaderAreas.filter((i) => !claimed.has(i)).sort(byStart);
  /** Position of the first of `list` (address order) starting at or above area t's start. */
  const positionOf = (list: number[], t: number) => lowerBound(list.length, (j) => byStart(list[j], t) < 0);
  const maxOthers = (entry: ModuleEntry) => (entry.state === 'Loading' ? ALL_SECTION_TYPES : CORE_SECTION_TYPES) - 1;
  const remainderOf = (entry: ModuleEntry, t: number | null) => (t === null || entry.size % PAGE_SIZE !== 0 ? 0 : entry.size - net(t));
  // The common case first: the loader put the other sections right after the text, back to back
  // (no lower hole fitted them), and those areas add up exactly. Taken as they are.
  const gapless = new Map<number, number[]>();
  modules.forEach((entry, k) => {
    const t = text[k];
    const remainder = remainderOf(entry, t);
    if (t === null || remainder <= 0) return;
    let left = remainder;
    const run: number[] = [];
    for (let j = positionOf(unclaimed, t), at = end(t); j < unclaimed.length && run.length < maxOthers(entry) && left > 0; j++) {
      if (start(unclaimed[j]) !== at || net(unclaimed[j]) > left) break;
      run.push(unclaimed[j]);
      left -= net(unclaimed[j]);
      at = end(unclaimed[j]);
    }
    if (left === 0) gapless.set(k, run);
  });
  for (const run of gapless.values()) for (const i of run) claimed.add(i);
  const free = unclaimed.filter((i) => !claimed.has(i));
  // Position in `free` of the first free loader area above the highest text area.
  let above = free.length;
  {
    let top = -1;
    for (const t of text) if (t !== null && (top < 0 || compare(c.startHi[t], c.startLo[t], c.startHi[top], c.startLo[top]) > 0)) top = t;
    if (top >= 0) while (above > 0 && compare(c.startHi[free[above - 1]], c.startLo[free[above - 1]], c.startHi[top], c.startLo[top]) > 0) above--;
  }
  const problems: SectionModule[] = [];
  const problemOf = new Map<number, number>();
  modules.forEach((entry, k) => {
    const t = text[k];
    const remainder = remainderOf(entry, t);
    if (t === null || remainder <= 0 || gapless.has(k)) return;
    // Nearest first: alternate after and before the text's position among the free loader areas.
    const at = positionOf(free, t);
    const candidates: number[] = [];
    const costs: number[] = [];
    const near = (i: number) => {
      const d = start(i) - start(t);
      return (d < 0n ? -d : d) < SECTION_REACH;
    };
    // The free loader areas that continue the text without a gap: where the loader puts the other
    // sections when no lower hole fits them. Cheapest, in order.
    let after = at;
    for (let endT = end(t); after < free.length && start(free[after]) === endT && candidates.length < CORE_SECTION_TYPES * 2; after++) {
      candidates.push(free[after]);
      costs.push(candidates.length);
      endT = end(free[after]);
    }
    // Then the nearest others, alternating after and before.
    for (let d = 0; d < SECTION_WINDOW; d++) {
      for (const j of [after + d, at - 1 - d]) {
        if (j >= 0 && j < free.length && near(free[j])) {
          candidates.push(free[j]);
          costs.push(CHAIN_COST + 2 * d + (j < at ? 1 : 0));
        }
      }
    }
    // And the free loader areas above every text: sections too big for any hole left lower down
    // land at the top of the region, whoever they belong to.
    for (let j = Math.max(after + SECTION_WINDOW, above); j < free.length && j < above + SECTION_WINDOW; j++) {
      if (near(free[j])) {
        candidates.push(free[j]);
        costs.push(CHAIN_COST + 2 * (j - after));
      }
    }
    const maxAreas = maxOthers(entry);
    problemOf.set(k, problems.length);
    problems.push({ remainder, candidates, costs, maxAreas });
  });
  const solved = assignSections(problems, net);

  const credited = new Set<number>();
  const footprints: ModuleFootprint[] = [];
  const unmatched: string[] = [];
  let lsmodBytes = 0;
  modules.forEach((entry, k) => {
    lsmodBytes += entry.size;
    const base = moduleBase(entry);
    const t = text[k];
    const p = problemOf.get(k);
    const run = gapless.get(k);
    const result: SectionResult | null = run ? { status: 'certain', areas: run, options: 1 } : p === undefined ? null : solved[p];
    const others = (result?.areas ?? []).slice().sort((x, y) => compare(c.startHi[x], c.startLo[x], c.startHi[y], c.startLo[y]));
    const loader = t === null ? [] : [t, ...others];
    const tags = tagged.get(entry.name) ?? [];
    for (const i of loader) {
      moduleOf[i] = entry.name;
      credited.add(i);
    }
    if (holder[k] === null) unmatched.push(entry.name);
    const loaderBytes = loader.reduce((sum, i) => sum + c.size[i], 0);
    const taggedBytes = tags.reduce((sum, i) => sum + c.size[i], 0);
    const expectedLoaderBytes = pagesUp(entry.size) + PAGE_SIZE * Math.max(1, loader.length);
    const loaderStart = t === null ? null : hexBig(start(t), digits);
    const loaderEnd = t === null ? null : hexBig(end(t), digits);
    const unaccountedBytes = t === null ? 0 : expectedLoaderBytes - loaderBytes;
    const check = agreementOf(entry, base, raw, holder[k], shared[k], result, loader.length, unaccountedBytes);
    const tagNote = tags.length > 0 ? ` It allocated ${plural(tags.length, 'more area')} (${formatBytes(taggedBytes)}) tagged [${entry.name}].` : '';
    const where = loaderStart === null ? '' : `${formatBytes(loaderBytes)} (${formatCount(loaderBytes)} bytes) of vmalloc space ${loader.length === 1 ? `at ${loaderStart}–${loaderEnd}` : `in ${formatCount(loader.length)} areas (its text at ${loaderStart}–${loaderEnd})`}: `;
    footprints.push({
      name: entry.name,
      lsmodSize: entry.size,
      address: base === null ? null : entry.address,
      areas: [...loader, ...tags].sort((a, b) => a - b),
      loaderBytes,
      taggedBytes,
      expectedLoaderBytes,
      loaderAreas: loader,
      textArea: t,
      taggedAreas: tags,
      loaderStart,
      loaderEnd,
      unaccountedBytes,
      agreement: check.agreement,
      agreementText: check.text,
      note: (where ? `${entry.name} took ${where}${check.sentence}` : `${entry.name}: ${check.sentence}`) + tagNote,
    });
  });

  const names = new Set(modules.map((m) => m.name));
  const orphanTags: ModuleAttribution['orphanTags'] = [];
  if (modules.length > 0) {
    for (const [module, areas] of tagged) {
      if (!names.has(module)) orphanTags.push({ module, areas, bytes: areas.reduce((sum, i) => sum + c.size[i], 0) });
    }
    orphanTags.sort((a, b) => b.bytes - a.bytes || (a.module < b.module ? -1 : 1));
  }
  const unattributedLoaderAreas = loaderAreas.filter((i) => !credited.has(i));

  const notes: string[] = [];
  if (modules.length > 0 && !raw) {
    notes.push(`Addresses in this dump are ${s.pointerMode === 'unknown' ? 'absent' : s.pointerMode}, so only [module] tags tie areas to modules; the loader's areas cannot be matched to base addresses.`);
  }
  if (modules.length > 0 && raw && loaderAreas.length > 0) {
    const netAll = loaderAreaBytes - PAGE_SIZE * loaderAreas.length;
    const same = netAll === lsmodBytes;
    notes.push(
      `${plural(loaderAreas.length, 'loader area')} hold ${formatBytes(loaderAreaBytes)}; without their guard pages that is ${formatBytes(netAll)}, ` +
        (same
          ? `exactly the sum of lsmod sizes of the ${plural(modules.length, 'module')}.`
          : `against ${formatBytes(lsmodBytes)} of lsmod sizes for ${plural(modules.length, 'module')} (${formatBytes(Math.abs(netAll - lsmodBytes))} ${netAll > lsmodBytes ? 'more in the areas' : 'missing from the areas'}).`),
    );
    const exact = footprints.filter((f) => f.agreement === 'exact');
    const multi = exact.filter((f) => f.loaderAreas.length > 1);
    if (exact.length > 0) {
      notes.push(
        `${exact.length === footprints.length ? `All ${plural(exact.length, 'module')}` : `${formatCount(exact.length)} of ${plural(footprints.length, 'module')}`}: their loader areas minus one guard page each add up exactly to lsmod's size` +
          (multi.length > 0
            ? `; ${multi.length === exact.length ? 'each has' : `${formatCount(multi.length)} have`} several areas (kernels since 6.4 map text, data, rodata and ro_after_init apart, and only the text is at the address /proc/modules prints).`
            : ' (one area per module).'),
      );
    }
    const off = footprints.filter((f) => f.agreement === 'disagrees' && f.textArea !== null);
    if (off.length > 0) {
      notes.push(
        `${off.map((f) => f.name).join(', ')}: ${off.length === 1 ? 'its' : 'their'} loader areas cannot be made to agree with lsmod's size (no set of unclaimed areas near the text adds up, or the ones that do are needed by other modules), so only the text area is credited. Were /proc/modules and the dump read at different moments?`,
      );
    }
    if (unattributedLoaderAreas.length > 0) {
      const bytes = unattributedLoaderAreas.reduce((sum, i) => sum + c.size[i], 0);
      notes.push(
        `${plural(unattributedLoaderAreas.length, 'loader area')} (${formatBytes(bytes)}) ${unattributedLoaderAreas.length === 1 ? 'is' : 'are'} credited to no module: init sections of a module still loading, BPF programs or kprobe pages from the same allocator, or sections of a module whose size does not add up.`,
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

/** The check of a module's credited loader areas against lsmod's size, as a state, a cell and a sentence. */
function agreementOf(
  entry: ModuleEntry,
  base: bigint | null,
  raw: boolean,
  holder: number | null,
  shared: boolean,
  result: SectionResult | null,
  areas: number,
  unaccounted: number,
): { agreement: ModuleAgreement; text: string; sentence: string } {
  const lsmod = `lsmod's ${formatCount(entry.size)} bytes`;
  if (base === null) return { agreement: 'unknown', text: 'address hidden', sentence: '/proc/modules printed a zero address (no CAP_SYSLOG), so its loader areas cannot be found.' };
  if (!raw) return { agreement: 'unknown', text: 'dump not raw', sentence: `this dump's addresses are not raw, so the areas at ${entry.address} cannot be found.` };
  if (holder === null) return { agreement: 'disagrees', text: 'no area holds its address', sentence: `no area holds its base address ${entry.address}.` };
  if (shared) {
    return {
      agreement: 'disagrees',
      text: 'its text is in a shared area',
      sentence: `the area holding its base address ${entry.address} is bigger than ${lsmod} or holds another module's base too (a shared area, such as an execmem cache), so it is credited to no module.`,
    };
  }
  if (unaccounted === 0) {
    return areas === 1
      ? { agreement: 'exact', text: 'adds up', sentence: `${lsmod} rounded to pages plus one guard page.` }
      : {
          agreement: 'exact',
          text: `${formatCount(areas)} areas add up`,
          sentence:
            `${lsmod} in ${formatCount(areas)} sections, each rounded to pages plus its own guard page (since 6.4 text, data, rodata and ro_after_init are mapped apart).` +
            (result !== null && result.options > 1 ? ` Other sets of loader areas of the same total also fit; the nearest that fits with the other modules is credited.` : ''),
        };
  }
  if (unaccounted < 0) return { agreement: 'disagrees', text: 'differs from lsmod', sentence: `${formatBytes(-unaccounted)} more than ${lsmod} plus a guard page.` };
  const why =
    entry.size % PAGE_SIZE !== 0
      ? `${lsmod} are not a whole number of pages, so its other sections cannot be matched exactly`
      : result?.status === 'unsearched'
        ? `the search's step budget ran out (a very large /proc/modules) before a set of loader areas adding up to the ${formatBytes(unaccounted)} beside its text was found`
      : result?.status === 'conflict'
        ? `the sets of loader areas that add up to the ${formatBytes(unaccounted)} beside its text are all given to other modules in the best assignment found`
        : `no set of loader areas near its text adds up to the ${formatBytes(unaccounted)} beside it (were /proc/modules and the dump read at different moments?)`;
  return { agreement: 'disagrees', text: 'cannot be made to agree', sentence: `only its text is credited: ${why}.` };
}

/** Per area, its module as an id into `names` (−1: none): a column the map, the bars and the search share. */
export interface ModuleColumn {
  ids: Int32Array;
  names: string[];
}

/**
 * The module of every area: its [module] tag, else (when an attribution is given) the module whose
 * loader area it is. Without one, only the tags.
 */
export function moduleColumn(model: Model, attribution: Pick<ModuleAttribution, 'moduleOf'> | null = null): ModuleColumn {
  const s = model.snapshot;
  const ids = new Int32Array(s.count).fill(-1);
  const names: string[] = [];
  const idOf = new Map<string, number>();
  for (let i = 0; i < s.count; i++) {
    const name = attribution?.moduleOf[i] ?? s.moduleOf(i);
    if (name === null) continue;
    let id = idOf.get(name);
    if (id === undefined) {
      idOf.set(name, (id = names.length));
      names.push(name);
    }
    ids[i] = id;
  }
  return { ids, names };
}
