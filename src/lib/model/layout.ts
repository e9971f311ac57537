// Which address layout a raw dump comes from, inferred from where its areas lie, and the exact
// vmalloc range (VMALLOC_START … VMALLOC_END) within it. Layouts differ by architecture, by paging
// mode and by kernel release, so every family (families.ts) lists its variants with the releases they
// belong to, and the range is fixed by the best evidence at hand, which the layout reports:
//
//   meminfo   /proc/meminfo's VmallocTotal = (VMALLOC_END − VMALLOC_START) in kB: exact size
//   release   the kernel release, when the input names it (uname -r): picks the era of a family
//   areas     the areas themselves: the lowest one sits at VMALLOC_START (first fit from the
//             start), the percpu chunk at the top ends exactly at VMALLOC_END (pcpu_get_vm_areas
//             allocates from the end), KASLR bases are the lowest area rounded down
//   preset    the documented defaults of the family, when nothing else decides
//
// The families and their variants, with the sources of every bound, are in families.ts.

import { compare, hiOf, hexBig, loOf, toBigInt } from '../addr.ts';
import { lowerBound } from '../lowerBound.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import { KIND_INDEX } from '../parse/snapshot.ts';
import { ARM_CALLERS, FAMILIES, LOADER_CALLERS, MODULE_REGION_CALLERS, MiB, X86_CALLERS, v } from './families.ts';
import type { Family, Variant, Window } from './families.ts';

export { LOADER_CALLERS } from './families.ts';

export type RegionId = 'vmalloc' | 'modules';

/** What fixed a bound of the range. */
export type Evidence = 'meminfo' | 'release' | 'areas' | 'preset';

export const EVIDENCE_WORDS: Record<Evidence, string> = {
  meminfo: '/proc/meminfo (VmallocTotal)',
  release: 'the kernel version',
  areas: 'the areas in the dump',
  preset: 'the documented layout',
};

export interface Region {
  id: RegionId;
  label: string;
  start: bigint;
  /** Exclusive. */
  end: bigint;
  /** True when a bound was derived from the areas (KASLR, 32-bit starts), not taken from a table. */
  inferred: boolean;
  /** What fixed the start and the end. */
  startFrom: Evidence;
  endFrom: Evidence;
}

export interface Layout {
  id: string;
  name: string;
  /** The kernel releases this variant of the layout belongs to ("6.9+"), or null when it does not vary. */
  era: string | null;
  regions: Region[];
  /** What fixed the vmalloc range, strongest first (e.g. ['meminfo', 'areas']). */
  evidence: Evidence[];
  /** Why, in sentences: which family and era matched and how the range's bounds were found. */
  notes: string[];
}

/** What is known about the dump besides its areas. */
export interface LayoutHints {
  /** /proc/meminfo's VmallocTotal in kB. */
  vmallocTotalKb?: number | bigint | null;
  /** The kernel release (uname -r), e.g. "6.1.0-50-686". */
  release?: string | null;
  /** The machine (uname -m), e.g. "x86_64", "aarch64", "i686", "armv7l": keeps the families of that architecture only. */
  arch?: string | null;
}

/** The family ids' prefix an architecture name (uname -m, or a report's) stands for, or null. */
export function archFamilyPrefix(arch: string | null | undefined): 'x86_64' | 'arm64' | 'riscv64' | 'i386' | 'armhf' | null {
  const a = (arch ?? '').toLowerCase();
  if (a === 'x86_64' || a === 'amd64') return 'x86_64';
  if (a === 'aarch64' || a === 'arm64') return 'arm64';
  if (a === 'riscv64') return 'riscv64';
  if (/^i[3-6]86$/.test(a)) return 'i386';
  if (/^arm(?:v\d+\w*|hf|el)?$/.test(a)) return 'armhf';
  return null;
}

/** Region codes per area in the model. */
export const REGION_NONE = 0;
export const REGION_VMALLOC = 1;
export const REGION_MODULES = 2;

/** A window as exact halves, for comparisons in the per-area loops without BigInt. */
export interface HalfWindow {
  sHi: number;
  sLo: number;
  eHi: number;
  eLo: number;
}

export function halves(w: { start: bigint; end: bigint }): HalfWindow {
  return { sHi: hiOf(w.start), sLo: loOf(w.start), eHi: hiOf(w.end), eLo: loOf(w.end) };
}

/** start <= (hi, lo) < end */
export function insideHalves(w: HalfWindow, hi: number, lo: number): boolean {
  return compare(hi, lo, w.sHi, w.sLo) >= 0 && (compare(hi, lo, w.eHi, w.eLo) < 0 || (w.eHi === 0 && w.eLo === 0));
}

/** First position k in `order` whose area starts at or above (hi, lo). `order` is by address. */
export function firstAtOrAbove(snapshot: Snapshot, order: Uint32Array, hi: number, lo: number): number {
  const sh = snapshot.columns.startHi;
  const sl = snapshot.columns.startLo;
  return lowerBound(order.length, (m) => {
    const i = order[m];
    return sh[i] < hi || (sh[i] === hi && sl[i] < lo);
  });
}

/** Positions [from, to) of `order` whose areas start inside the window (an end of 2^64 halves to 0:0, the top). */
export function positionsIn(snapshot: Snapshot, order: Uint32Array, w: HalfWindow): [number, number] {
  const top = w.eHi === 0 && w.eLo === 0;
  return [firstAtOrAbove(snapshot, order, w.sHi, w.sLo), top ? order.length : firstAtOrAbove(snapshot, order, w.eHi, w.eLo)];
}

/** "6.1.0-50-686" → 6001; null when it names no release. */
export function releaseNumber(release: string | null | undefined): number | null {
  const m = /(\d+)\.(\d+)/.exec(release ?? '');
  return m ? v(Number(m[1]), Number(m[2])) : null;
}

/** VmallocTotal (kB) as the range's size in bytes. The kernel prints (END − START) >> 10; where
 *  VMALLOC_END is inclusive (x86_64) that is a KiB short of a page multiple, so round up to a page. */
export function sizeFromVmallocTotal(kb: number | bigint): bigint {
  const bytes = BigInt(kb) * 1024n;
  return ((bytes + PAGE - 1n) / PAGE) * PAGE;
}

/** True when a range of `size` bytes prints as VmallocTotal `kb` (inclusive or exclusive end). */
function sizeMatches(size: bigint, kb: bigint): boolean {
  return size >> 10n === kb || (size - 1n) >> 10n === kb;
}

const PAGE = 4096n;
const hex = (x: bigint, digits: number) => hexBig(x, digits);

interface Facts {
  /** Areas in the family's vmalloc window, order positions [from, to). */
  from: number;
  to: number;
  /** Lowest start of an area in the window that is neither module memory nor lazily freed, or null. */
  lowest: bigint | null;
  /** Highest end of an area in the window, or null. */
  top: bigint | null;
  /** Number of areas inside the window. */
  count: number;
}

function factsIn(snapshot: Snapshot, order: Uint32Array, w: Window, isModuleCaller: Uint8Array): Facts {
  const c = snapshot.columns;
  const [from, to] = positionsIn(snapshot, order, halves(w));
  let lowest: bigint | null = null;
  let topHi = -1;
  let topLo = 0;
  const unpurged = KIND_INDEX.unpurged;
  for (let k = from; k < to; k++) {
    const i = order[k];
    const sym = c.symbol[i];
    if (lowest === null && c.kind[i] !== unpurged && (sym < 0 || isModuleCaller[sym] === 0)) lowest = toBigInt(c.startHi[i], c.startLo[i]);
    if (topHi < 0 || compare(c.endHi[i], c.endLo[i], topHi, topLo) > 0) {
      topHi = c.endHi[i];
      topLo = c.endLo[i];
    }
  }
  return { from, to, lowest, top: topHi < 0 ? null : toBigInt(topHi, topLo), count: to - from };
}

/** Count of areas starting inside a window. */
function countIn(snapshot: Snapshot, order: Uint32Array, w: Window | null): number {
  if (!w) return 0;
  const [a, b] = positionsIn(snapshot, order, halves(w));
  return b - a;
}

/** i386 or armhf, by evidence, with the reasons. Both explain 8-digit dumps. */
function thirtyTwoBit(snapshot: Snapshot, order: Uint32Array, top: bigint | null): { id: 'i386' | 'armhf'; why: string } {
  const arm: string[] = [];
  const x86: string[] = [];
  const below = countIn(snapshot, order, { start: 0xbf000000n, end: 0xc0000000n });
  if (below > 0) arm.push(`${below} area${below === 1 ? '' : 's'} in 0xbf000000–0xbfffffff, arm's module region below PAGE_OFFSET`);
  if (top !== null && top > 0xfeffe000n) arm.push(`areas reach ${hex(top, 8)}, above i386's highest VMALLOC_END (0xfeffe000)`);
  if (top === 0xff800000n) arm.push('the top area ends exactly at 0xff800000, arm\'s VMALLOC_END');
  if (top === 0xfebfe000n || top === 0xfeffe000n) x86.push(`the top area ends exactly at ${hex(top, 8)}, i386's VMALLOC_END (PKMAP_BASE − 2 pages)`);
  // Caller names of the areas (the string table also holds modules and flag words).
  const usedSym = new Uint8Array(snapshot.strings.length);
  for (let i = 0; i < snapshot.count; i++) if (snapshot.columns.symbol[i] >= 0) usedSym[snapshot.columns.symbol[i]] = 1;
  const a: string[] = [];
  const x: string[] = [];
  snapshot.strings.forEach((name, id) => {
    if (usedSym[id] === 0) return;
    if (ARM_CALLERS.has(name)) a.push(name);
    if (X86_CALLERS.has(name) || name.startsWith('__ia32_sys_')) x.push(name);
  });
  if (a.length > 0) arm.push(`arm-only callers (${a.slice(0, 3).join(', ')})`);
  if (x.length > 0) x86.push(`x86-only callers (${x.slice(0, 3).join(', ')})`);
  // Address facts outweigh caller names; with neither, i386's layout is the narrower claim.
  const armScore = arm.length + (below > 0 || (top !== null && top > 0xfeffe000n) ? 10 : 0);
  const x86Score = x86.length + (x86.some((w) => w.startsWith('the top')) ? 10 : 0);
  if (armScore > x86Score) return { id: 'armhf', why: `armhf, not i386: ${arm.join('; ')}.` };
  if (x86Score > 0) return { id: 'i386', why: `i386, not armhf: ${x86.join('; ')}.` };
  return { id: 'i386', why: 'i386 or armhf cannot be told apart from these areas (no module region, no telling caller, no top area at a known VMALLOC_END); i386 assumed.' };
}

const fmtSize = (bytes: bigint) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  let x = bytes;
  while (u < units.length - 1 && x >= 1024n && x % 1024n === 0n) {
    x /= 1024n;
    u++;
  }
  return `${x.toLocaleString('en-US')} ${units[u]}`;
};

/**
 * Detect the layout of a raw-address snapshot from its areas in address order, and fix its vmalloc
 * range with the hints when given; null when addresses carry no layout (hashed, masked, zero) or
 * no family explains half of the areas.
 */
export function detectLayout(snapshot: Snapshot, order: Uint32Array, hints: LayoutHints = {}): Layout | null {
  const n = snapshot.count;
  if (snapshot.pointerMode !== 'raw' || n === 0) return null;
  const c = snapshot.columns;
  const isModuleCaller = new Uint8Array(snapshot.strings.length);
  snapshot.strings.forEach((name, id) => (isModuleCaller[id] = MODULE_REGION_CALLERS.has(name) ? 1 : 0));

  // Family: the one whose windows hold the most areas (ties: the first listed).
  let best: Family | null = null;
  let bestScore = 0;
  // The architecture a report names (uname -m) settles overlapping windows (arm64 39-bit and
  // riscv64 Sv39) as long as its families hold as many areas as the best other one.
  let archPrefix = archFamilyPrefix(hints.arch);
  let archBest: Family | null = null;
  let archScore = 0;
  for (const f of FAMILIES) {
    if (f.digits !== snapshot.addressDigits) continue;
    if (f.id === 'armhf') continue; // i386 and armhf share 8-digit space: decided by evidence below
    const inVm = countIn(snapshot, order, f.vmallocWindow);
    let score = inVm;
    if (f.modulesWindow) {
      const [m0, m1] = positionsIn(snapshot, order, halves(f.modulesWindow));
      const [v0, v1] = positionsIn(snapshot, order, halves(f.vmallocWindow));
      score += m1 - m0 - Math.max(0, Math.min(m1, v1) - Math.max(m0, v0));
    }
    if (f.id === 'i386') score = countIn(snapshot, order, { start: 0x80000000n, end: 0x100000000n });
    // Windows overlap (arm64 39-bit and riscv64 Sv39; x86_64 and arm64 48-bit): an area sitting
    // exactly on one of the family's VMALLOC_STARTs (early boot allocations do) settles a tie.
    if (f.kind === 'fixed' && inVm > 0) {
      const [v0] = positionsIn(snapshot, order, halves(f.vmallocWindow));
      const lowest = toBigInt(c.startHi[order[v0]], c.startLo[order[v0]]);
      if (f.variants.some((x) => x.start === lowest)) score += 0.5;
    }
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
    if (archPrefix && f.id.startsWith(archPrefix === 'armhf' ? 'i386' : archPrefix) && score > archScore) {
      archBest = f;
      archScore = score;
    }
  }
  const notes: string[] = [];
  if (archPrefix && archBest && Math.floor(archScore) >= Math.floor(bestScore)) {
    best = archBest;
    bestScore = archScore;
  } else if (archPrefix && best && best.digits === 16) {
    notes.push(`The report names ${hints.arch}, but the areas fit ${best.name} better; the areas decide.`);
    archPrefix = null;
  }
  if (!best || bestScore * 2 < n) return null;
  if (best.digits === 8) {
    const all = factsIn(snapshot, order, { start: 0x80000000n, end: 0x100000000n }, isModuleCaller);
    let which = thirtyTwoBit(snapshot, order, all.top);
    if (archPrefix === 'i386' || archPrefix === 'armhf') {
      // The areas' own evidence outweighs the report's word; where they cannot tell, the report decides.
      const undecided = which.why.includes('cannot be told apart');
      if (which.id === archPrefix || undecided) which = { id: archPrefix, why: `${archPrefix}: the architecture the report names (${hints.arch})${undecided ? '' : `, as the areas say too (${which.why.replace(/^[^:]*: /, '').replace(/\.$/, '')})`}.` };
      else which = { ...which, why: `${which.why} The report names ${hints.arch}; the areas decide.` };
    }
    best = FAMILIES.find((f) => f.id === which.id)!;
    notes.push(which.why);
  }
  const family = best;
  const digits = family.digits;
  const facts = factsIn(snapshot, order, family.vmallocWindow, isModuleCaller);
  const given = hints.vmallocTotalKb;
  let totalKb = typeof given === 'bigint' ? given : typeof given === 'number' && Number.isSafeInteger(given) ? BigInt(given) : null;
  const release = releaseNumber(hints.release);
  // A VmallocTotal the areas contradict (from another machine or boot, or not a number a kernel
  // prints) is left out, and the notes say so.
  const firstInWindow = facts.count > 0 ? toBigInt(c.startHi[order[facts.from]], c.startLo[order[facts.from]]) : null;
  if (totalKb !== null) {
    const size = sizeFromVmallocTotal(totalKb);
    const room = family.kind === 'i386' || family.kind === 'armhf' ? family.vmallocWindow.end - 0x80000000n : family.vmallocWindow.end - family.vmallocWindow.start;
    // The areas that must fit: on 32-bit all of the window's, elsewhere the ordinary ones (old arm64
    // eras keep modules below VMALLOC_START, inside the family's window).
    const bottom = family.kind === 'i386' || family.kind === 'armhf' ? firstInWindow : facts.lowest;
    const tooSmall = facts.top !== null && bottom !== null && size < facts.top - bottom;
    if (totalKb <= 0n || size > room || tooSmall) {
      notes.push(`VmallocTotal (${totalKb} kB) cannot be this dump's: its areas ${tooSmall ? 'span more than that' : 'lie in a range of another size'}; it is left out.`);
      totalKb = null;
    }
  }

  let start: bigint;
  let end: bigint;
  let startFrom: Evidence;
  let endFrom: Evidence;
  let variant: Variant;
  let inferred = false;

  if (family.kind === 'kaslr') {
    variant = family.variants[0];
    const size = family.size!;
    if (facts.lowest !== null || facts.count > 0) {
      const lowest = facts.lowest ?? toBigInt(c.startHi[order[facts.from]], c.startLo[order[facts.from]]);
      start = lowest - (lowest % family.align!);
      startFrom = 'areas';
      inferred = true;
      notes.push(`VMALLOC_START is the lowest area rounded down to 1 GiB (${hex(start, digits)}): KASLR moves it by whole GiBs.`);
    } else {
      start = family.fixedBase!;
      startFrom = 'preset';
    }
    end = start + size;
    endFrom = 'preset';
    if (totalKb !== null) {
      if (sizeMatches(size, totalKb)) {
        endFrom = 'meminfo';
        notes.push(`VmallocTotal (${totalKb} kB) confirms the ${fmtSize(size)} range.`);
      } else if (start + sizeFromVmallocTotal(totalKb) <= 0xfffffffffffff000n) {
        end = start + sizeFromVmallocTotal(totalKb);
        endFrom = 'meminfo';
        notes.push(`VmallocTotal (${totalKb} kB) sets the size, not the preset's ${fmtSize(size)}.`);
      } else notes.push(`VmallocTotal (${totalKb} kB) cannot be this dump's: from ${hex(start, digits)} it would run past the address space; it is left out.`);
    }
  } else if (family.kind === 'fixed') {
    const chosen = chooseVariant(family, facts, totalKb, release, notes, digits);
    variant = chosen.variant;
    start = variant.start!;
    end = variant.end;
    startFrom = chosen.startFrom;
    endFrom = chosen.endFrom;
    if (totalKb !== null && !sizeMatches(end - start, totalKb)) {
      if (start + sizeFromVmallocTotal(totalKb) > family.vmallocWindow.end) {
        notes.push(`VmallocTotal (${totalKb} kB) cannot be this dump's: from ${hex(start, digits)} it would run past ${family.name}'s address space; it is left out.`);
      } else {
        end = start + sizeFromVmallocTotal(totalKb);
        endFrom = 'meminfo';
        notes.push(`VmallocTotal (${totalKb} kB) fits no known ${family.name} layout: the range is VMALLOC_START + VmallocTotal.`);
      }
    }
  } else {
    // 32-bit: the end is a constant of the kernel build, the start follows the amount of lowmem.
    variant = family.variants[0];
    endFrom = 'preset';
    if (family.kind === 'i386') {
      const exact = family.variants.find((x) => x.end === facts.top);
      if (exact) {
        variant = exact;
        endFrom = 'areas';
        notes.push(`VMALLOC_END is ${hex(variant.end, 8)}: the top area (the percpu chunk) ends exactly there${variant.end === 0xfeffe000n ? ' (a PAE kernel)' : ''}.`);
      } else if (facts.top !== null && facts.top > 0xfebfe000n) {
        variant = family.variants[1];
        endFrom = 'areas';
        notes.push(`VMALLOC_END is 0xfeffe000 (a PAE kernel): areas reach above the non-PAE 0xfebfe000.`);
      } else notes.push('VMALLOC_END is taken as 0xfebfe000 (non-PAE; PKMAP_BASE − 2 pages); a PAE kernel ends at 0xfeffe000.');
    } else if (facts.top === variant.end) {
      endFrom = 'areas';
      notes.push('VMALLOC_END is 0xff800000, and the top area (the percpu chunk) ends exactly there.');
    }
    end = variant.end;
    const fromMeminfo = totalKb === null ? null : end - sizeFromVmallocTotal(totalKb);
    if (fromMeminfo !== null && firstInWindow !== null && fromMeminfo > firstInWindow) {
      notes.push(`VmallocTotal (${totalKb} kB) cannot be this dump's: it would start the range at ${hex(fromMeminfo, 8)}, above its lowest area; it is left out.`);
      totalKb = null;
    }
    if (totalKb !== null && fromMeminfo !== null) {
      start = fromMeminfo;
      startFrom = 'meminfo';
      notes.push(`VMALLOC_START is VMALLOC_END − VmallocTotal (${totalKb} kB): ${hex(start, 8)}.`);
    } else if (facts.count > 0) {
      // Modules and lazily freed areas lie inside the range too: the lowest area of any kind.
      const lowest = toBigInt(c.startHi[order[facts.from]], c.startLo[order[facts.from]]);
      start = family.kind === 'armhf' ? lowest - (lowest % (8n * MiB)) : lowest;
      startFrom = 'areas';
      inferred = true;
      notes.push(
        family.kind === 'armhf'
          ? `VMALLOC_START is the lowest area rounded down to 8 MiB (${hex(start, 8)}); /proc/meminfo's VmallocTotal would fix it.`
          : `VMALLOC_START is the lowest area (${hex(start, 8)}; high_memory + 8 MiB depends on RAM and vmalloc=); /proc/meminfo's VmallocTotal would fix it.`,
      );
    } else {
      start = end - 240n * MiB;
      startFrom = 'preset';
    }
  }

  const regions: Region[] = [{ id: 'vmalloc', label: 'vmalloc range', start, end, inferred, startFrom, endFrom }];
  regions.push(...moduleRegion(snapshot, order, variant.modules, family, regions[0]));
  const evidence = [...new Set<Evidence>([startFrom, endFrom].sort((a, b) => RANK[a] - RANK[b]))];
  const name = variant.era ? `${family.name}, ${variant.era} layout` : family.name;
  return { id: family.id, name, era: variant.era, regions, evidence, notes };
}

const RANK: Record<Evidence, number> = { meminfo: 0, release: 1, areas: 2, preset: 3 };

/** A fixed family's variant, by the strongest evidence: VmallocTotal, then the release, then the areas. */
function chooseVariant(
  family: Family,
  facts: Facts,
  totalKb: bigint | null,
  release: number | null,
  notes: string[],
  digits: number,
): { variant: Variant; startFrom: Evidence; endFrom: Evidence } {
  const all = family.variants;
  if (all.length === 1) {
    const only = all[0];
    const bySize = totalKb !== null && sizeMatches(only.end - only.start!, totalKb);
    const topExact = facts.top === only.end;
    if (bySize) notes.push(`VmallocTotal (${totalKb} kB) confirms the ${fmtSize(only.end - only.start!)} range.`);
    else notes.push(`The documented ${fmtSize(only.end - only.start!)} range of ${family.name}${topExact ? `; the top area ends exactly at its end, ${hex(only.end, digits)}` : ''}.`);
    return { variant: only, startFrom: bySize ? 'meminfo' : 'preset', endFrom: bySize ? 'meminfo' : topExact ? 'areas' : 'preset' };
  }
  // Variants the areas allow: every ordinary area at or above VMALLOC_START, none past VMALLOC_END.
  const allowed = all.filter((x) => (facts.lowest === null || facts.lowest >= x.start!) && (facts.top === null || facts.top <= x.end));
  const pool = allowed.length > 0 ? allowed : all;
  if (totalKb !== null) {
    const bySize = pool.filter((x) => sizeMatches(x.end - x.start!, totalKb));
    if (bySize.length >= 1) {
      const pick = bySize[bySize.length - 1];
      notes.push(`VmallocTotal (${totalKb} kB) is the ${pick.era} layout's range (${hex(pick.start!, digits)}–${hex(pick.end, digits)}).`);
      return { variant: pick, startFrom: 'meminfo', endFrom: 'meminfo' };
    }
  }
  if (release !== null) {
    const byRelease = pool.find((x) => release >= x.from && release < x.to) ?? all.find((x) => release >= x.from && release < x.to);
    if (byRelease) {
      notes.push(`The kernel version puts it in the ${byRelease.era} layout.`);
      return { variant: byRelease, startFrom: 'release', endFrom: 'release' };
    }
  }
  // The areas: VMALLOC_START is the highest candidate start at or below the lowest ordinary area
  // (allocation is first fit from the start, so early boot areas sit right on it); VMALLOC_END the
  // candidate end the top area (a percpu chunk, allocated from the end) reaches exactly, else the
  // newest end that holds the areas.
  if (facts.lowest === null) {
    const newest = all[all.length - 1];
    notes.push(`No area tells the era apart; the newest (${newest.era}) layout is assumed.`);
    return { variant: newest, startFrom: 'preset', endFrom: 'preset' };
  }
  const starts = [...new Set(pool.map((x) => x.start!))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const startsBelow = starts.filter((s) => s <= facts.lowest!);
  const s = startsBelow.length > 0 ? startsBelow[startsBelow.length - 1] : starts[0];
  const sameStart = pool.filter((x) => x.start === s);
  const exact = sameStart.find((x) => x.end === facts.top);
  const pick = exact ?? sameStart[sameStart.length - 1];
  // The areas fix the start when the lowest one sits on it (early boot allocations do: within a
  // few MiB), and the end when the top one ends exactly on it.
  const onStart = facts.lowest - s < 16n * MiB && new Set(all.map((x) => x.start)).size > 1;
  const era = pick.era;
  notes.push(
    `The ${era} layout: the lowest area other than module memory lies at ${hex(facts.lowest, digits)}` +
      (onStart ? `, on VMALLOC_START ${hex(s, digits)}` : `; nothing sits on an era's VMALLOC_START, so the newest that holds the areas is assumed`) +
      (exact ? `; the top area ends exactly at VMALLOC_END ${hex(pick.end, digits)}` : '') +
      '.',
  );
  return { variant: pick, startFrom: onStart ? 'areas' : 'preset', endFrom: exact ? 'areas' : 'preset' };
}

/**
 * Modules: the variant's window when loader areas lie in it (or none are loaded), else the span
 * of the loader areas (6.x arm64 keeps modules within 2 GiB of the randomised kernel image, inside
 * vmalloc space; i386 allocates them inside the vmalloc range).
 */
function moduleRegion(snapshot: Snapshot, order: Uint32Array, window: Window | null, family: Family, vm: Region): Region[] {
  const n = snapshot.count;
  const c = snapshot.columns;
  const mw = window ? halves(window) : null;
  const isLoader = new Uint8Array(snapshot.strings.length);
  snapshot.strings.forEach((name, id) => (isLoader[id] = LOADER_CALLERS.has(name) ? 1 : 0));
  let loaderLow = -1;
  let loaderHigh = -1;
  let loaderInPreset = false;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    const sym = c.symbol[i];
    if (sym < 0 || isLoader[sym] === 0) continue;
    if (mw !== null && insideHalves(mw, c.startHi[i], c.startLo[i])) loaderInPreset = true;
    if (loaderLow < 0) loaderLow = i;
    if (loaderHigh < 0 || compare(c.endHi[i], c.endLo[i], c.endHi[loaderHigh], c.endLo[loaderHigh]) > 0) loaderHigh = i;
  }
  if (window && (loaderInPreset || loaderLow < 0)) {
    let start = window.start;
    // x86_64 built with KASLR (CONFIG_RANDOMIZE_BASE: a 1 GiB kernel image) starts modules at
    // 0xffffffffc0000000. Telling signs: the vmalloc base is not the fixed one, or the lowest area
    // of the module window (a module, or a BPF program pack) lies at or above that address.
    if (family.kind === 'kaslr') {
      let lowest: bigint | null = null;
      for (let j = 0; j < n && lowest === null; j++) {
        const i = order[j];
        if (mw !== null && insideHalves(mw, c.startHi[i], c.startLo[i])) lowest = toBigInt(c.startHi[i], c.startLo[i]);
      }
      const randomisedBase = vm.start !== family.fixedBase;
      if (randomisedBase || (lowest !== null && lowest >= 0xffffffffc0000000n)) start = 0xffffffffc0000000n;
    }
    return [{ id: 'modules', label: 'modules / BPF', start, end: window.end, inferred: false, startFrom: 'preset', endFrom: 'preset' }];
  }
  if (loaderLow >= 0) {
    return [
      {
        id: 'modules',
        label: 'modules / BPF',
        start: toBigInt(c.startHi[loaderLow], c.startLo[loaderLow]),
        end: toBigInt(c.endHi[loaderHigh], c.endLo[loaderHigh]),
        inferred: true,
        startFrom: 'areas',
        endFrom: 'areas',
      },
    ];
  }
  return [];
}

/** "the areas in the dump and /proc/meminfo (VmallocTotal)" */
export function evidenceWords(evidence: readonly Evidence[]): string {
  const words = evidence.map((e) => EVIDENCE_WORDS[e]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
