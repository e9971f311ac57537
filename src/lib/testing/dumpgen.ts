// Generated dumps for property tests: area descriptions with exact BigInt addresses, and a printer
// that formats them the way mm/vmalloc.c does ("0x%px-0x%px %7ld", then the optional fields).

import fc from 'fast-check';
import type { AreaKind } from '../types.ts';

export interface GenArea {
  start: bigint;
  size: number;
  caller: { symbol: string; offset: number; length: number; module: string | null } | null;
  pages: number;
  phys: bigint | null;
  flags: string[];
  nodes: Array<{ node: number; pages: number }>;
  special: 'vm_map_ram' | 'unpurged' | null;
}

const FLAG_ORDER = ['ioremap', 'sparse', 'vmalloc', 'vmap', 'user', 'dma-coherent', 'vpages'];

export function kindOf(a: GenArea): AreaKind {
  if (a.special === 'unpurged') return 'unpurged';
  if (a.special === 'vm_map_ram') return 'vm_map_ram';
  for (const k of ['ioremap', 'sparse', 'vmalloc', 'vmap', 'dma-coherent'] as const) if (a.flags.includes(k)) return k;
  return 'other';
}

export function printArea(a: GenArea): string {
  const end = a.start + BigInt(a.size);
  const head = `0x${a.start.toString(16).padStart(16, '0')}-0x${end.toString(16).padStart(16, '0')} ${String(a.size).padStart(7)}`;
  if (a.special === 'vm_map_ram') return `${head} vm_map_ram`;
  if (a.special === 'unpurged') return `${head} unpurged vm_area`;
  const parts = [head];
  if (a.caller) {
    parts.push(`${a.caller.symbol}+0x${a.caller.offset.toString(16)}/0x${a.caller.length.toString(16)}`);
    if (a.caller.module) parts.push(`[${a.caller.module}]`);
  }
  if (a.pages) parts.push(`pages=${a.pages}`);
  if (a.phys !== null) parts.push(`phys=0x${a.phys.toString(16).padStart(16, '0')}`);
  parts.push(...a.flags);
  for (const n of a.nodes) parts.push(`N${n.node}=${n.pages}`);
  return parts.join(' ');
}

export function printDump(areas: GenArea[]): string {
  return areas.map((a) => printArea(a) + '\n').join('');
}

const symbol = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}(\.(constprop|isra|part)\.[0-9])?$/);
const module = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);

/** One area (its start is set by `dumpArb`). */
const areaArb: fc.Arbitrary<Omit<GenArea, 'start'>> = fc.oneof(
  { weight: 8, arbitrary: fc
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
    }) },
  { weight: 1, arbitrary: fc.constantFrom<Omit<GenArea, 'start'>>(
    { size: 1 << 20, caller: null, pages: 0, phys: null, flags: [], nodes: [], special: 'vm_map_ram' },
    { size: 20480, caller: null, pages: 0, phys: null, flags: [], nodes: [], special: 'unpurged' },
  ) },
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
    // Deterministic shuffle from the seed, as 6.9+ kernels print areas per vmap node.
    const shuffled = [...areas];
    let s = seed >>> 0;
    for (let i = shuffled.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return { areas, shuffled };
  });
