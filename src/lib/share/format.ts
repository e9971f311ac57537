// The payload's vocabulary, shared by its encoder and decoders (docs/share-format.md, "Payload"):
// the version, the flag bits, the tables that are part of version 4 (KIND_TABLE, REFERENCE_BASES,
// and SHARE_DICTIONARY in dictionary.ts), the public types, and the small rules more than one
// section uses. Changing any table changes what old links decode to: it needs a new version.

import type { Snapshot } from '../parse/snapshot.ts';
import { FLAG_BIT, KIND_INDEX, BIT_PHYS } from '../parse/snapshot.ts';
import { AREA_KINDS, PAGE_SIZE } from '../types.ts';
import type { AreaKind, KnownFlag, PointerMode } from '../types.ts';
import { broken } from './bits.ts';
import type { Reader, Varints, Writer } from './bits.ts';

export const SHARE_VERSION = 4;
/** The oldest version this vmscope still reads (legacy/v3.ts). */
export const OLDEST_VERSION = 3;
/** Longest string (caller, module, flag word) a link may hold, in UTF-8 bytes. */
export const MAX_STRING = 4096;

/** Pointer modes by their code in the flags' bits 0-2. */
export const MODES: readonly PointerMode[] = ['raw', 'hashed', 'masked', 'zero', 'unknown'];
export const FLAG_ABSOLUTE = 1 << 3;
export const FLAG_BYTES = 1 << 4;
export const FLAG_PHYS_BYTES = 1 << 5;
export const FLAG_NARROW = 1 << 6;
export const FLAG_ALIGNED = 1 << 7;
/** Largest site alignment a link may state (2^15 units) and the largest the encoder picks (2^4). */
export const ALIGN_MAX = 15;
export const ALIGN_CHOSEN = 4;
/** The address widths a packed body can name (two bits). */
export const ADDRESS_DIGITS = [0, 8, 16];

/** A call site's kind and flag bits as one number: kind | flagBits << 3. */
function kindFlags(kind: AreaKind, flags: KnownFlag[], phys = false): number {
  let bits = phys ? BIT_PHYS : 0;
  for (const f of flags) bits |= FLAG_BIT[f];
  return KIND_INDEX[kind] | (bits << 3);
}

/**
 * Version 4: the kinds and flag sets the kernel prints most, coded by their index here; any other
 * combination is KIND_TABLE.length + kind | flagBits << 3.
 */
export const KIND_TABLE = [
  kindFlags('vmalloc', ['vmalloc']),
  kindFlags('ioremap', ['ioremap'], true),
  kindFlags('vmap', ['vmap']),
  kindFlags('unpurged', []),
  kindFlags('vm_map_ram', []),
  kindFlags('vmalloc', ['vmalloc', 'vpages']),
  kindFlags('vmalloc', ['vmalloc', 'user']),
  kindFlags('vmalloc', ['vmalloc', 'user', 'vpages']),
  kindFlags('vmap', ['vmap', 'user']),
  kindFlags('dma-coherent', ['dma-coherent']),
  kindFlags('ioremap', ['ioremap']),
  kindFlags('other', []),
];
export const KIND_CODE = new Map(KIND_TABLE.map((kf, k) => [kf, k]));

/**
 * Version 4: the base address is coded from the nearest of these, the usual starts of the vmalloc
 * and module areas without KASLR (then from 0), so a link's base costs a few bytes less.
 */
export const REFERENCE_BASES: readonly bigint[] = [
  0xffffc90000000000n, // x86_64 4-level: VMALLOC_START
  0xffff800080000000n, // arm64, 48-bit VA, 6.x: VMALLOC_START (after 2 GiB of modules)
  0xffffffffa0000000n, // x86_64: MODULES_VADDR
  0xffa0000000000000n, // x86_64 5-level: VMALLOC_START
  0xffff800000000000n, // arm64, 48-bit VA: MODULES_VADDR (and VMALLOC_START before 6.5)
  0xffffffc080000000n, // arm64, 39-bit VA, 6.x: VMALLOC_START
  0xffffffc000000000n, // arm64, 39-bit VA: MODULES_VADDR
  0xffffffc600000000n, // riscv64 Sv39: VMALLOC_START
  0xffff8f8000000000n, // riscv64 Sv48: VMALLOC_START
  0xf0000000n, //         32-bit ARM: VMALLOC_START
  0n,
];

export const VMALLOC_KIND = AREA_KINDS.indexOf('vmalloc');
export const PAGE = BigInt(PAGE_SIZE);
/** The colour mode a link without one shows (the app's default). */
export const DEFAULT_COLOUR_MODE = 'kind';

/** The view that travels with a link. */
export interface ShareView {
  /** Visible range: exact addresses (raw mode) or display positions on the packed track. */
  range: { kind: 'address'; start: bigint; end: bigint } | { kind: 'display'; start: number; end: number } | null;
  /** Selected area as a snapshot index, or null. */
  selected: number | null;
  colourMode: string;
  collapse: boolean;
}

export interface ShareOptions {
  /** Keep absolute kernel addresses (they defeat KASLR). Off: the layout starts at address 0. */
  includeAddresses: boolean;
}

export interface DecodedShare {
  snapshot: Snapshot;
  view: ShareView;
  /** True when the link kept only the relative layout (raw mode without absolute addresses). */
  addressesHidden: boolean;
}

/** How a payload is written: its varints, and whether sites carry alignments (raw mode only). */
export interface PayloadForm {
  varints?: Varints;
  aligned?: boolean;
}

/**
 * What a payload's version changes in the reading of it: the current one (payload.ts) and the
 * legacy one (legacy/v3.ts) each supply these.
 */
export interface Dialect {
  /** The base address above its low 12 bits, as a signed value (ref + pages << 12). */
  baseHigh(r: Reader): bigint;
  /** A call site's kind | flagBits << 3 from its kind code. */
  kind(r: Reader, masked: boolean): number;
  /** An area's page count from its page code (range checked by the caller). */
  pages(r: Reader, predicted: number): number;
}

export const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8, or a `broken` error naming what it was. */
export function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    throw broken(`${what} is not valid UTF-8`);
  }
}

export function addressOf(hi: Uint32Array, lo: Uint32Array, i: number): bigint {
  return (BigInt(hi[i]) << 32n) | BigInt(lo[i]);
}

/** ⌊offset / unit⌋ rounded up to a multiple of 2^j. */
export function alignedUp(offset: bigint, unit: bigint, j: number): bigint {
  const units = offset >= 0n ? offset / unit : -((-offset + unit - 1n) / unit);
  const a = 1n << BigInt(j);
  const r = ((units % a) + a) % a;
  return r === 0n ? units : units + a - r;
}

/** The pages an area is expected to have: all but the guard page for vmalloc areas of two pages or more. */
export function predictedPages(kind: number, size: number): number {
  const pages = Math.floor(size / PAGE_SIZE);
  return kind === VMALLOC_KIND && pages >= 2 ? pages - 1 : 0;
}

/** An exception list: varint E, then E × (varint index delta from the previous, the value). */
export function writeExceptions<T>(w: Writer, list: Array<[number, T]>, put: (w: Writer, v: T) => void): void {
  w.uint(list.length);
  let prev = 0;
  for (const [k, v] of list) {
    w.uint(k - prev);
    prev = k;
    put(w, v);
  }
}

export function readExceptions(r: Reader, n: number, what: string, each: (i: number) => void): void {
  const count = r.uint(`the count of ${what}s`, n);
  let i = 0;
  let prev = -1;
  for (let k = 0; k < count; k++) {
    i += r.uint(what, n);
    if (i >= n || i <= prev) throw broken(`${what} points nowhere`);
    prev = i;
    each(i);
  }
}
