// Generated dumps for property tests: area descriptions with exact BigInt addresses, and a printer
// that formats them the way mm/vmalloc.c does:
//
//   seq_printf(m, "0x%pK-0x%pK %7ld", v->addr, v->addr + v->size, v->size);
//   " %pS"  (sym+0xoff/0xlen [module])   " pages=%d"   " phys=%pa" (bare %llx before 4.11)
//   " ioremap" " sparse" " vmalloc" " vmap" " user" " dma-coherent" " vpages"   " N%u=%u" …
//   "0x…-0x… %7ld vm_map_ram"   "0x…-0x… %7ld unpurged vm_area"
//
// `dumpArb` is the small everyday generator (one 64-bit layout, random file order); `genDumpArb`
// varies everything the format allows: 8- and 16-digit addresses anywhere in the address space up
// to its last page, both phys= styles, huge and sparse sizes, pages= independent of the size,
// sparse NUMA node ids, and the file orders of every kernel era.

import fc from 'fast-check';
import { KNOWN_FLAGS } from '../types.ts';
import type { AreaKind } from '../types.ts';

export interface GenCaller {
  symbol: string;
  offset: number;
  length: number;
  module: string | null;
}

export interface GenArea {
  start: bigint;
  size: number;
  caller: GenCaller | null;
  pages: number;
  phys: bigint | null;
  /** Flag words in the kernel's fixed order. */
  flags: string[];
  nodes: Array<{ node: number; pages: number }>;
  special: 'vm_map_ram' | 'unpurged' | null;
}

export interface PrintOptions {
  /** Hex digits of an address: 16 on 64-bit kernels, 8 on 32-bit ones. */
  digits?: 8 | 16;
  /** `pa`: phys=0x%0Nx (4.11+); `bare`: phys=%llx (older kernels). */
  physStyle?: 'pa' | 'bare';
}

/** The primary kind the issue defines: vm_map_ram, unpurged, else the first of these flags. */
export function kindOf(a: GenArea): AreaKind {
  if (a.special === 'unpurged') return 'unpurged';
  if (a.special === 'vm_map_ram') return 'vm_map_ram';
  for (const k of ['ioremap', 'sparse', 'vmalloc', 'vmap', 'dma-coherent'] as const) if (a.flags.includes(k)) return k;
  return 'other';
}

/**
 * Guard bytes by docs/format.md: none for vm_map_ram, unpurged and the arm64 image (vmap with phys=),
 * nor for percpu chunks and early areas (vmalloc without pages=, caller pcpu_get_vm_areas or none).
 */
export function guardOf(a: GenArea): number {
  if (a.special !== null) return 0;
  if (a.flags.includes('vmap') && a.phys !== null && !a.flags.includes('ioremap')) return 0;
  if (kindOf(a) === 'vmalloc' && a.pages === 0 && (a.caller === null || a.caller.symbol === 'pcpu_get_vm_areas')) return 0;
  return 4096;
}

export const endOf = (a: GenArea): bigint => a.start + BigInt(a.size);

const hexN = (v: bigint, digits: number) => '0x' + v.toString(16).padStart(digits, '0');

export function printArea(a: GenArea, options: PrintOptions = {}): string {
  const digits = options.digits ?? 16;
  const head = `${hexN(a.start, digits)}-${hexN(endOf(a), digits)} ${String(a.size).padStart(7)}`;
  if (a.special === 'vm_map_ram') return `${head} vm_map_ram`;
  if (a.special === 'unpurged') return `${head} unpurged vm_area`;
  const parts = [head];
  if (a.caller) {
    parts.push(`${a.caller.symbol}+0x${a.caller.offset.toString(16)}/0x${a.caller.length.toString(16)}`);
    if (a.caller.module) parts.push(`[${a.caller.module}]`);
  }
  if (a.pages) parts.push(`pages=${a.pages}`);
  if (a.phys !== null) parts.push(options.physStyle === 'bare' ? `phys=${a.phys.toString(16)}` : `phys=${hexN(a.phys, digits)}`);
  parts.push(...a.flags);
  for (const n of a.nodes) parts.push(`N${n.node}=${n.pages}`);
  return parts.join(' ');
}

export function printDump(areas: GenArea[], options: PrintOptions = {}): string {
  return areas.map((a) => printArea(a, options) + '\n').join('');
}

/** Deterministic Fisher–Yates shuffle from a seed (an LCG), so shrinking stays reproducible. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---- the everyday generator ----------------------------------------------------------------------

const FLAG_ORDER = [...KNOWN_FLAGS];

const symbol = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}(\.(constprop|isra|part)\.[0-9])?$/);
const module = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);

/** One area (its start is set by `dumpArb`). */
const areaArb: fc.Arbitrary<Omit<GenArea, 'start'>> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        pages: fc.integer({ min: 0, max: 1 << 20 }),
        caller: fc.option(
          fc.record({
            symbol,
            offset: fc.integer({ min: 0, max: 0xffff }),
            length: fc.integer({ min: 1, max: 0xffff }),
            module: fc.option(module, { nil: null }),
          }),
          { nil: null },
        ),
        phys: fc.option(fc.bigInt({ min: 1n, max: (1n << 52n) - 1n }), { nil: null }),
        flagMask: fc.integer({ min: 0, max: 127 }),
        nodeSplit: fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 3 }),
      })
      .map(({ pages, caller, phys, flagMask, nodeSplit }) => {
        const flags = FLAG_ORDER.filter((_, i) => flagMask & (1 << i));
        const nodes = nodeSplit.map((p, node) => ({ node, pages: p }));
        return { size: (pages + 1) * 4096, caller, pages, phys, flags, nodes, special: null };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Omit<GenArea, 'start'>>(
      { size: 1 << 20, caller: null, pages: 0, phys: null, flags: [], nodes: [], special: 'vm_map_ram' },
      { size: 20480, caller: null, pages: 0, phys: null, flags: [], nodes: [], special: 'unpurged' },
    ),
  },
);

/** A raw dump: non-overlapping areas from a page-aligned base, with holes, in any order. */
export const dumpArb: fc.Arbitrary<{ areas: GenArea[]; shuffled: GenArea[] }> = fc
  .record({
    base: fc.bigInt({ min: 0xffff800000000000n >> 12n, max: 0xfffff00000000000n >> 12n }).map((p) => p << 12n),
    items: fc.array(fc.tuple(areaArb, fc.integer({ min: 0, max: 64 })), { minLength: 1, maxLength: 60 }),
    seed: fc.integer(),
  })
  .map(({ base, items, seed }) => {
    let at = base;
    const areas: GenArea[] = items.map(([a, holePages]) => {
      const area = { ...a, start: at };
      at += BigInt(a.size) + BigInt(holePages) * 4096n;
      return area;
    });
    // 6.9+ kernels print areas per vmap node, so any file order must be read.
    return { areas, shuffled: shuffle(areas, seed) };
  });

// ---- the wide generator --------------------------------------------------------------------------

export type Ordering = 'sorted' | 'shuffled' | 'vmap-nodes';

export interface GenDump {
  digits: 8 | 16;
  physStyle: 'pa' | 'bare';
  ordering: Ordering;
  /** Areas in address order. */
  areas: GenArea[];
  /** Areas in the order the file lists them. */
  printed: GenArea[];
}

export function printGenDump(d: GenDump): string {
  return printDump(d.printed, d.physStyle === 'bare' ? { digits: d.digits, physStyle: 'bare' } : { digits: d.digits });
}

const wideSymbol = fc
  .tuple(
    fc.oneof(
      { weight: 9, arbitrary: fc.stringMatching(/^[a-z_][A-Za-z0-9_]{0,24}$/) },
      { weight: 1, arbitrary: fc.constantFrom('SyS_finit_module', 'ZSTD_createCCtx_advanced', 'LZ4_decompress_safe', 'HUF_readDTableX2_wksp') },
    ),
    fc.boolean(),
    fc.constantFrom('', '', '', '.constprop.0', '.isra.17', '.part.3', '.cold', '.constprop.0.isra.0'),
  )
  .map(([base, noprof, suffix]) => `${base}${noprof ? '_noprof' : ''}${suffix}`);

const wideCaller: fc.Arbitrary<GenCaller | null> = fc.option(
  fc.record({
    symbol: wideSymbol,
    offset: fc.integer({ min: 0, max: 0xfffff }),
    length: fc.integer({ min: 1, max: 0xfffff }),
    module: fc.option(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), { nil: null, freq: 3 }),
  }),
  { nil: null, freq: 6 },
);

/** Sizes (bytes, guard included) of the everyday kinds; `small` keeps a 32-bit dump inside 4 GiB. */
function sizeArb(small: boolean): fc.Arbitrary<number> {
  const page = 4096;
  const huge = 2 * 1024 * 1024;
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: small ? 64 : 1024 }).map((p) => (p + 1) * page) },
    // VM_ALLOW_HUGE_VMAP: whole 2 MiB pages plus the guard, e.g. 2101248.
    { weight: 2, arbitrary: fc.integer({ min: 1, max: small ? 2 : 64 }).map((h) => h * huge + page) },
    // Big and sparse areas (a BPF arena is 4 GiB + guard): 8 and more digits, one space before.
    { weight: small ? 0 : 1, arbitrary: fc.integer({ min: 2442, max: 1 << 24 }).map((p) => (p + 1) * page) },
  );
}

function normalAreaArb(digits: 8 | 16): fc.Arbitrary<Omit<GenArea, 'start'>> {
  const small = digits === 8;
  return fc
    .record({
      size: sizeArb(small),
      pagesRule: fc.constantFrom('mapped', 'mapped', 'none', 'any'),
      anyPages: fc.integer({ min: 1, max: 1 << 22 }),
      caller: wideCaller,
      phys: fc.option(fc.bigInt({ min: 1n, max: small ? 0xffffffffn : (1n << 52n) - 1n }), { nil: null, freq: 4 }),
      flags: fc.subarray(FLAG_ORDER),
      nodeIds: fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1023 })), { maxLength: 4 }),
      nodePages: fc.array(fc.integer({ min: 1, max: 1 << 20 }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ size, pagesRule, anyPages, caller, phys, flags, nodeIds, nodePages }) => {
      const mapped = size / 4096 - 1;
      const pages = pagesRule === 'mapped' ? mapped : pagesRule === 'none' ? 0 : anyPages;
      // The kernel walks nodes in ascending order and prints only the non-zero ones.
      const nodes = [...nodeIds].sort((a, b) => a - b).map((node, k) => ({ node, pages: nodePages[k] }));
      return { size, caller, pages, phys, flags, nodes, special: null };
    });
}

function specialAreaArb(digits: 8 | 16): fc.Arbitrary<Omit<GenArea, 'start'>> {
  const blank = { caller: null, pages: 0, phys: null, flags: [], nodes: [] };
  return fc.oneof(
    // vm_map_ram blocks: 1 MiB on x86_64, 4 MiB on arm64; no guard page.
    fc.constantFrom(1 << 20, 4 << 20).map((size) => ({ ...blank, size, special: 'vm_map_ram' as const })),
    // Lazily freed areas keep the size they had, guard included.
    fc.integer({ min: 1, max: digits === 8 ? 64 : 2048 }).map((p) => ({ ...blank, size: (p + 1) * 4096, special: 'unpurged' as const })),
  );
}

export interface GenDumpOptions {
  digits?: 8 | 16;
  minAreas?: number;
  maxAreas?: number;
}

/**
 * A raw dump of non-overlapping areas with holes (none, a page, or up to 2^40 bytes on 64-bit),
 * placed anywhere from the bottom of the address space up to its last page, printed in address
 * order, shuffled, or as a 6.9+ kernel prints it: each vmap node's busy areas, then each node's
 * lazily freed ones.
 */
export function genDumpArb(options: GenDumpOptions = {}): fc.Arbitrary<GenDump> {
  const digitsArb: fc.Arbitrary<8 | 16> = options.digits ? fc.constant(options.digits) : fc.constantFrom<8 | 16>(16, 16, 16, 8);
  return digitsArb.chain((digits) => {
    const hole = fc.oneof(
      { weight: 4, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }) },
      { weight: digits === 8 ? 0 : 1, arbitrary: fc.integer({ min: 1, max: 1 << 28 }) },
    );
    const area = fc.oneof({ weight: 6, arbitrary: normalAreaArb(digits) }, { weight: 1, arbitrary: specialAreaArb(digits) });
    return fc.record({
      digits: fc.constant(digits),
      physStyle: fc.constantFrom<'pa' | 'bare'>('pa', 'bare'),
      ordering: fc.constantFrom<Ordering>('sorted', 'shuffled', 'vmap-nodes'),
      items: fc.array(fc.tuple(area, hole), { minLength: options.minAreas ?? 1, maxLength: options.maxAreas ?? 40 }),
      // Where the dump sits: a fraction of the room left, or flush against the last page.
      where: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constant(-1n)),
      seed: fc.integer(),
      vmapNodes: fc.integer({ min: 2, max: 4 }),
    });
  }).map(({ digits, physStyle, ordering, items, where, seed, vmapNodes }) => {
    const top = (1n << BigInt(digits * 4)) - 4096n; // the last page stays free: end never wraps to 0
    const span = items.reduce((s, [a, h], k) => s + BigInt(a.size) + (k + 1 < items.length ? BigInt(h) * 4096n : 0n), 0n);
    const low = 0x1000n;
    const roomPages = (top - span - low) / 4096n;
    const base = where < 0n ? top - span : low + (roomPages > 0n ? (where % (roomPages + 1n)) * 4096n : 0n);
    let at = base;
    const areas: GenArea[] = items.map(([a, h]) => {
      const area = { ...a, start: at };
      at += BigInt(a.size) + BigInt(h) * 4096n;
      return area;
    });
    let printed: GenArea[];
    if (ordering === 'sorted') printed = areas;
    else if (ordering === 'shuffled') printed = shuffle(areas, seed);
    else {
      // vmap nodes partition the address space in interleaved blocks; each prints its busy list in
      // address order, then each prints its lazy (unpurged) list.
      const nodeOf = (a: GenArea) => Number((a.start >> 22n) % BigInt(vmapNodes));
      printed = [];
      for (const lazy of [false, true])
        for (let n = 0; n < vmapNodes; n++) printed.push(...areas.filter((a) => (a.special === 'unpurged') === lazy && nodeOf(a) === n));
    }
    return { digits, physStyle, ordering, areas, printed };
  });
}
