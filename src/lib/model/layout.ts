// Which address layout a raw dump comes from, inferred from where its areas lie. KASLR moves
// bases (x86_64 moves the vmalloc base by whole GiBs; arm64 and 6.x kernels place modules next to
// the randomised kernel image), so presets are windows to match, and the regions reported are
// derived from the areas themselves, flagged `inferred` where they are.
//
// Sources: Documentation/arch/x86/x86_64/mm.rst, Documentation/arch/arm64/memory.rst,
// Documentation/arch/riscv/vm-layout.rst, summarised in ../shared/design/FORMAT.md.

import { compare, hiOf, loOf, toBigInt } from '../addr.ts';
import type { Snapshot } from '../parse/snapshot.ts';

export type RegionId = 'vmalloc' | 'modules';

export interface Region {
  id: RegionId;
  label: string;
  start: bigint;
  /** Exclusive. */
  end: bigint;
  /** True when the bounds were derived from the areas (KASLR), not taken from the preset. */
  inferred: boolean;
}

export interface Layout {
  id: string;
  name: string;
  regions: Region[];
}

/** Region codes per area in the model. */
export const REGION_NONE = 0;
export const REGION_VMALLOC = 1;
export const REGION_MODULES = 2;

interface Window {
  start: bigint;
  end: bigint;
}

interface Preset {
  id: string;
  name: string;
  digits: 8 | 16;
  /** Where vmalloc areas may lie (the whole KASLR range for the base). */
  vmallocWindow: Window;
  /** Size of the vmalloc range when its base is randomised; null when fixed at vmallocWindow. */
  vmallocSize: bigint | null;
  /** Alignment of the randomised base. */
  align: bigint;
  modules: Window | null;
}

/** x86_64's vmalloc base without KASLR (VMALLOC_START), by preset. */
const FIXED_VMALLOC_BASE: Record<string, bigint> = {
  'x86_64-4level': 0xffffc90000000000n,
  'x86_64-5level': 0xffa0000000000000n,
};

const GiB = 1n << 30n;
const TiB = 1n << 40n;

const PRESETS: Preset[] = [
  {
    id: 'x86_64-4level',
    name: 'x86_64, 4-level paging',
    digits: 16,
    vmallocWindow: { start: 0xffff888000000000n, end: 0xfffffe0000000000n },
    vmallocSize: 32n * TiB,
    align: GiB,
    modules: { start: 0xffffffffa0000000n, end: 0xffffffffff000000n },
  },
  {
    id: 'arm64-48',
    name: 'arm64, 48-bit VA',
    digits: 16,
    vmallocWindow: { start: 0xffff800080000000n, end: 0xfffffdffbf800000n },
    vmallocSize: null,
    align: GiB,
    modules: { start: 0xffff800000000000n, end: 0xffff800080000000n },
  },
  {
    id: 'x86_64-5level',
    name: 'x86_64, 5-level paging',
    digits: 16,
    vmallocWindow: { start: 0xff11000000000000n, end: 0xfffe000000000000n },
    vmallocSize: 0x32000000000000n, // 12.5 PiB
    align: GiB,
    modules: { start: 0xffffffffa0000000n, end: 0xffffffffff000000n },
  },
  {
    id: 'arm64-39',
    name: 'arm64, 39-bit VA',
    digits: 16,
    vmallocWindow: { start: 0xffffffc080000000n, end: 0xfffffffdbf800000n },
    vmallocSize: null,
    align: GiB,
    modules: { start: 0xffffffc000000000n, end: 0xffffffc080000000n },
  },
  {
    id: 'riscv64-sv48',
    name: 'riscv64, Sv48',
    digits: 16,
    vmallocWindow: { start: 0xffff8f8000000000n, end: 0xffffaf8000000000n },
    vmallocSize: null,
    align: GiB,
    modules: { start: 0xffffffff00000000n, end: 0xffffffff80000000n },
  },
  {
    id: 'riscv64-sv39',
    name: 'riscv64, Sv39',
    digits: 16,
    vmallocWindow: { start: 0xffffffc600000000n, end: 0xffffffd600000000n },
    vmallocSize: null,
    align: GiB,
    modules: { start: 0xffffffff00000000n, end: 0xffffffff80000000n },
  },
  {
    id: 'riscv64-sv57',
    name: 'riscv64, Sv57',
    digits: 16,
    vmallocWindow: { start: 0xff20000000000000n, end: 0xff40000000000000n },
    vmallocSize: null,
    align: GiB,
    modules: { start: 0xffffffff00000000n, end: 0xffffffff80000000n },
  },
  {
    id: '32bit',
    name: '32-bit (x86 or arm)',
    digits: 8,
    vmallocWindow: { start: 0x80000000n, end: 0x100000000n },
    vmallocSize: null,
    align: 1n << 20n,
    modules: null,
  },
];

/** Callers that allocate module memory; on 6.x arm64 the BPF JIT allocates from the vmalloc range. */
export const LOADER_CALLERS: ReadonlySet<string> = new Set([
  'load_module',
  'move_module',
  'module_alloc',
  'module_memory_alloc',
  'execmem_alloc',
  'execmem_vmalloc',
]);

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
export function lowerBound(snapshot: Snapshot, order: Uint32Array, hi: number, lo: number): number {
  const sh = snapshot.columns.startHi;
  const sl = snapshot.columns.startLo;
  let a = 0;
  let b = order.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    const i = order[m];
    if (sh[i] < hi || (sh[i] === hi && sl[i] < lo)) a = m + 1;
    else b = m;
  }
  return a;
}

/** Positions [from, to) of `order` whose areas start inside the window. */
export function positionsIn(snapshot: Snapshot, order: Uint32Array, w: HalfWindow): [number, number] {
  return [lowerBound(snapshot, order, w.sHi, w.sLo), lowerBound(snapshot, order, w.eHi, w.eLo)];
}

/**
 * Detect the layout of a raw-address snapshot from its areas in address order; null when
 * addresses carry no layout (hashed, masked, zero) or no preset explains half of the areas.
 */
export function detectLayout(snapshot: Snapshot, order: Uint32Array): Layout | null {
  const n = snapshot.count;
  if (snapshot.pointerMode !== 'raw' || n === 0) return null;
  const c = snapshot.columns;
  let best: Preset | null = null;
  let bestScore = 0;
  for (const preset of PRESETS) {
    if (preset.digits !== snapshot.addressDigits) continue;
    const [v0, v1] = positionsIn(snapshot, order, halves(preset.vmallocWindow));
    let score = v1 - v0;
    if (preset.modules) {
      const [m0, m1] = positionsIn(snapshot, order, halves(preset.modules));
      score += m1 - m0 - Math.max(0, Math.min(m1, v1) - Math.max(m0, v0));
    }
    if (score > bestScore) {
      best = preset;
      bestScore = score;
    }
  }
  if (!best || bestScore * 2 < n) return null;

  const regions: Region[] = [];
  // vmalloc: the preset's range, or for a randomised base, [lowest area aligned down, + size).
  const mw = best.modules ? halves(best.modules) : null;
  const [v0, v1] = positionsIn(snapshot, order, halves(best.vmallocWindow));
  let k = v0;
  if (mw) while (k < v1 && insideHalves(mw, c.startHi[order[k]], c.startLo[order[k]])) k++;
  if (k < v1) {
    const lowest = toBigInt(c.startHi[order[k]], c.startLo[order[k]]);
    if (best.vmallocSize !== null) {
      const base = lowest - (lowest % best.align);
      regions.push({ id: 'vmalloc', label: 'vmalloc range', start: base, end: base + best.vmallocSize, inferred: true });
    } else if (best.id === '32bit') {
      let high = order[v1 - 1];
      for (let j = k; j < v1; j++) {
        const i = order[j];
        if (compare(c.endHi[i], c.endLo[i], c.endHi[high], c.endLo[high]) > 0) high = i;
      }
      regions.push({ id: 'vmalloc', label: 'vmalloc range', start: lowest, end: toBigInt(c.endHi[high], c.endLo[high]), inferred: true });
    } else {
      regions.push({ id: 'vmalloc', label: 'vmalloc range', ...best.vmallocWindow, inferred: false });
    }
  }

  // Modules: the preset window when loader areas lie in it, else the span of the loader areas
  // (6.x arm64 keeps modules within 2 GiB of the randomised kernel image, inside vmalloc space).
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
  if (best.modules && (loaderInPreset || loaderLow < 0)) {
    let start = best.modules.start;
    // x86_64 built with KASLR (CONFIG_RANDOMIZE_BASE: a 1 GiB kernel image) starts modules at
    // 0xffffffffc0000000. Telling signs: the vmalloc base is not the fixed one, or the lowest area
    // of the module window (a module, or a BPF program pack) lies at or above that address.
    if (best.id.startsWith('x86_64')) {
      const vm = regions.find((r) => r.id === 'vmalloc');
      let lowest: bigint | null = null;
      for (let j = 0; j < n && lowest === null; j++) {
        const i = order[j];
        if (mw !== null && insideHalves(mw, c.startHi[i], c.startLo[i])) lowest = toBigInt(c.startHi[i], c.startLo[i]);
      }
      const randomisedBase = vm !== undefined && vm.start !== FIXED_VMALLOC_BASE[best.id];
      if (randomisedBase || (lowest !== null && lowest >= 0xffffffffc0000000n)) start = 0xffffffffc0000000n;
    }
    regions.push({ id: 'modules', label: 'modules / BPF', start, end: best.modules.end, inferred: false });
  } else if (loaderLow >= 0) {
    regions.push({
      id: 'modules',
      label: 'modules / BPF',
      start: toBigInt(c.startHi[loaderLow], c.startLo[loaderLow]),
      end: toBigInt(c.endHi[loaderHigh], c.endLo[loaderHigh]),
      inferred: true,
    });
  }
  return { id: best.id, name: best.name, regions };
}
