// A parsed dump, stored column by column (struct of arrays) so a million areas cost a few typed
// arrays rather than a million objects, and so the columns can be transferred from a Web Worker
// without copying. `area(i)` builds the plain record for one line when someone asks.

import { toBigInt } from '../addr.ts';
import { AREA_KINDS, KNOWN_FLAGS, PAGE_SIZE } from '../types.ts';
import type { Area, AreaKind, Diagnostic, NodePages, PointerMode } from '../types.ts';

/** Bits of `flagBits`: one per KNOWN_FLAGS word (bit i = KNOWN_FLAGS[i]), then markers. */
export const FLAG_BIT: Record<string, number> = Object.fromEntries(KNOWN_FLAGS.map((f, i) => [f, 1 << i]));
export const BIT_PHYS = 1 << 8; //       phys= present
export const BIT_MASKED = 1 << 9; //     0x(____ptrval____)

export const KIND_INDEX: Record<AreaKind, number> = Object.fromEntries(AREA_KINDS.map((k, i) => [k, i])) as Record<
  AreaKind,
  number
>;

export interface AreaColumns {
  startHi: Uint32Array;
  startLo: Uint32Array;
  endHi: Uint32Array;
  endLo: Uint32Array;
  /** The size column in bytes (exact up to 2^53). */
  size: Float64Array;
  pages: Float64Array;
  /** Index into AREA_KINDS. */
  kind: Uint8Array;
  flagBits: Uint16Array;
  /** Index into `strings`, or -1. */
  symbol: Int32Array;
  /** Index into `strings`, or -1. */
  module: Int32Array;
  callerOffset: Float64Array;
  callerLength: Float64Array;
  physHi: Uint32Array;
  physLo: Uint32Array;
  line: Uint32Array;
  /** Areas i's node counts are nodeId/nodePages[nodeStart[i] .. nodeStart[i+1]). */
  nodeStart: Uint32Array;
  nodeId: Uint16Array;
  nodePages: Float64Array;
}

export interface SnapshotFacts {
  count: number;
  lineCount: number;
  pointerMode: PointerMode;
  /** Hex digits of the addresses: 16 on 64-bit, 8 on 32-bit, 0 if masked or none. */
  addressDigits: number;
  /** Raw mode only: whether the file listed areas in address order. null when addresses mean nothing. */
  sorted: boolean | null;
  /** Every diagnostic the parser raised; `diagnostics` keeps the first MAX_DIAGNOSTICS of them. */
  diagnosticCount: number;
  errorCount: number;
  warningCount: number;
}

export const MAX_DIAGNOSTICS = 1000;

export class Snapshot implements SnapshotFacts {
  readonly count: number;
  readonly lineCount: number;
  readonly pointerMode: PointerMode;
  readonly addressDigits: number;
  readonly sorted: boolean | null;
  readonly diagnosticCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly columns: AreaColumns;
  /** Interned caller symbols and module names. */
  readonly strings: readonly string[];
  /** Flag words per area where the bit set does not tell them: unknown words or unusual order. */
  readonly flagWords: ReadonlyMap<number, readonly string[]>;
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    facts: SnapshotFacts,
    columns: AreaColumns,
    strings: readonly string[],
    flagWords: ReadonlyMap<number, readonly string[]>,
    diagnostics: readonly Diagnostic[],
  ) {
    this.count = facts.count;
    this.lineCount = facts.lineCount;
    this.pointerMode = facts.pointerMode;
    this.addressDigits = facts.addressDigits;
    this.sorted = facts.sorted;
    this.diagnosticCount = facts.diagnosticCount;
    this.errorCount = facts.errorCount;
    this.warningCount = facts.warningCount;
    this.columns = columns;
    this.strings = strings;
    this.flagWords = flagWords;
    this.diagnostics = diagnostics;
    this.percpuSymbol = strings.indexOf(PERCPU_CALLER);
  }

  /** The string id of PERCPU_CALLER, or -1 (the guard rule asks for it once per area). */
  private readonly percpuSymbol: number;

  /** Whether area i's size is exact by how it was made: a percpu chunk or an early area (see guardBytes). */
  exactSizeCaller(i: number): boolean {
    const s = this.columns.symbol[i];
    return s < 0 || s === this.percpuSymbol;
  }

  /** The file-wide facts as a plain object (for transfer and comparison). */
  facts(): SnapshotFacts {
    return {
      count: this.count,
      lineCount: this.lineCount,
      pointerMode: this.pointerMode,
      addressDigits: this.addressDigits,
      sorted: this.sorted,
      diagnosticCount: this.diagnosticCount,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
    };
  }

  kindOf(i: number): AreaKind {
    return AREA_KINDS[this.columns.kind[i]];
  }

  symbolOf(i: number): string | null {
    const s = this.columns.symbol[i];
    return s < 0 ? null : this.strings[s];
  }

  moduleOf(i: number): string | null {
    const m = this.columns.module[i];
    return m < 0 ? null : this.strings[m];
  }

  /** Guard page bytes inside area i (see guardBytes). */
  guardOf(i: number): number {
    const c = this.columns;
    return guardBytes(c.kind[i], c.flagBits[i], c.size[i], c.pages[i], this.exactSizeCaller(i));
  }

  flagsOf(i: number): string[] {
    const words = this.flagWords.get(i);
    if (words) return [...words];
    const bits = this.columns.flagBits[i];
    const out: string[] = [];
    for (let b = 0; b < KNOWN_FLAGS.length; b++) if (bits & (1 << b)) out.push(KNOWN_FLAGS[b]);
    return out;
  }

  nodesOf(i: number): NodePages[] {
    const c = this.columns;
    const out: NodePages[] = [];
    for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) out.push({ node: c.nodeId[k], pages: c.nodePages[k] });
    return out;
  }

  area(i: number): Area {
    const c = this.columns;
    const bits = c.flagBits[i];
    const masked = (bits & BIT_MASKED) !== 0;
    const symbol = this.symbolOf(i);
    return {
      index: i,
      line: c.line[i],
      start: masked ? null : toBigInt(c.startHi[i], c.startLo[i]),
      end: masked ? null : toBigInt(c.endHi[i], c.endLo[i]),
      size: c.size[i],
      pages: c.pages[i],
      caller:
        symbol === null
          ? null
          : { symbol, offset: c.callerOffset[i], length: c.callerLength[i], module: this.moduleOf(i) },
      phys: bits & BIT_PHYS ? toBigInt(c.physHi[i], c.physLo[i]) : null,
      flags: this.flagsOf(i),
      nodes: this.nodesOf(i),
      kind: this.kindOf(i),
      guard: this.guardOf(i),
    };
  }

  *areas(): IterableIterator<Area> {
    for (let i = 0; i < this.count; i++) yield this.area(i);
  }
}

const VM_MAP_RAM = KIND_INDEX.vm_map_ram;
const UNPURGED = KIND_INDEX.unpurged;
const VMALLOC = KIND_INDEX.vmalloc;
const NO_GUARD_VMAP = FLAG_BIT.vmap | BIT_PHYS;

/** The caller of percpu chunks' areas, which are exactly the chunk's size. */
export const PERCPU_CALLER = 'pcpu_get_vm_areas';

/**
 * The guard page rule. Only areas made through __get_vm_area_node() get one, so none for:
 * - vm_map_ram blocks and lazily freed areas;
 * - arm64's kernel-image segments (VM_NO_GUARD), printed as `vmap` with `phys=`, e.g.
 *     0xffff800080000000-0xffff800081000000 16777216 paging_init+0x… phys=0x0000000040200000 vmap
 * - percpu chunks, which pcpu_get_vm_areas() places itself at exactly the chunk's size, and the
 *   early areas registered before vmalloc works (the percpu first chunk, no caller): both print
 *   `vmalloc` without `pages=`, e.g.
 *     0xffffe8ffffc00000-0xffffe8ffffe00000 2097152 pcpu_get_vm_areas+0x0/0x1080 vmalloc
 *   (`exactSizeCaller`: the caller is PERCPU_CALLER, or there is none);
 * - an area smaller than a page, which cannot hold one.
 */
export function guardBytes(kind: number, flagBits: number, size: number, pages = 0, exactSizeCaller = false): number {
  if (kind === VM_MAP_RAM || kind === UNPURGED) return 0;
  if ((flagBits & NO_GUARD_VMAP) === NO_GUARD_VMAP && !(flagBits & FLAG_BIT.ioremap)) return 0;
  if (exactSizeCaller && kind === VMALLOC && pages === 0) return 0;
  return size >= PAGE_SIZE ? PAGE_SIZE : 0;
}
