// The vocabulary of vmscope's model of /proc/vmallocinfo. See docs/format.md
// (copied facts are quoted where they matter) and src/lib/parse/scanner.ts for the printer.

export const PAGE_SIZE = 4096;

/** How the kernel printed addresses (%pK under kptr_restrict), detected per file. */
export type PointerMode =
  | 'raw' //     real addresses: end - start == size on (almost) every line
  | 'hashed' //  0x00000000xxxxxxxx: a keyed 32-bit hash; only equality means anything
  | 'masked' //  0x(____ptrval____): printed before the hash key was ready
  | 'zero' //    0x0000000000000000: kptr_restrict=2 or no CAP_SYSLOG
  | 'unknown'; // no area line at all

/** Primary kind of an area, in the order the issue defines it. */
export const AREA_KINDS = [
  'vmalloc',
  'ioremap',
  'vmap',
  'vm_map_ram',
  'unpurged',
  'sparse',
  'dma-coherent',
  'other',
] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** Flag words the kernel prints, in the fixed order it prints them (mm/vmalloc.c, show_numa_info). */
export const KNOWN_FLAGS = ['ioremap', 'sparse', 'vmalloc', 'vmap', 'user', 'dma-coherent', 'vpages'] as const;
export type KnownFlag = (typeof KNOWN_FLAGS)[number];

/** `symbol+0xoff/0xlen [module]` as printed by %pS. */
export interface Caller {
  symbol: string;
  /** Byte offset into the symbol; NaN when the kernel printed no offset (bare address). */
  offset: number;
  /** Length of the symbol; NaN when not printed. */
  length: number;
  /** The `[module]` tag without brackets, or null for built-in code. */
  module: string | null;
}

export interface NodePages {
  node: number;
  pages: number;
}

/** One area line as a plain record. Built on demand from the snapshot's columns. */
export interface Area {
  /** Position among the area lines, in file order (0-based). */
  index: number;
  /** 1-based line number in the input. */
  line: number;
  /** Exact start address; null when masked. In hashed mode this is the hash value. */
  start: bigint | null;
  /** Exact end address (exclusive, includes the guard page); null when masked. */
  end: bigint | null;
  /** The size column: bytes, including the guard page where there is one. */
  size: number;
  /** pages= (base pages backing the area), 0 when not printed. */
  pages: number;
  caller: Caller | null;
  /** phys= of an ioremap, or null. */
  phys: bigint | null;
  /** Flag words in printed order, unknown ones kept ('vm_map_ram' and 'unpurged' lines have none). */
  flags: string[];
  /** Per-NUMA-node page counts (N<node>=<count>), in printed order. */
  nodes: NodePages[];
  kind: AreaKind;
  /** Bytes of the trailing guard page: 4096, or 0 for vm_map_ram, unpurged and VM_NO_GUARD areas. */
  guard: number;
}

export type Severity = 'warning' | 'error';

/** A line the parser could not read fully (error: skipped) or read with a caveat (warning: kept). */
export interface Diagnostic {
  line: number;
  severity: Severity;
  reason: string;
  /** The line's text, cut to 200 characters. */
  text: string;
}

/** Tally of a group of areas. `bytes` sums the size column. */
export interface Tally {
  count: number;
  bytes: number;
  pages: number;
}
