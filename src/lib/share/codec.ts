// Share links: a whole snapshot plus the view, in a URL fragment. Structure is encoded, not text:
// varints, deltas and a string table, laid out column by column so deflate finds the repeats,
// then deflate-raw (CompressionStream) and base64url. Pure: runs in browsers, workers and Node 20.
//
// ---- Layout, version 4 ---------------------------------------------------------------------------
// Link text      base64url (RFC 4648 §5, no padding) of the body, then its check: CRC-16/CCITT-
//                FALSE of the body, 2 bytes, most significant first. Any changed character of a
//                link changes a burst of at most 6 bits, which CRC-16 always catches.
// body           deflate-raw(payload), or the byte 0x06 (STORED_MARKER) then the payload as is,
//                or a packed body (below). 0x06 and a packed body's first byte have BTYPE = 11 in
//                bits 1-2, which no deflate-raw stream starts with, so the three cannot be
//                confused. The encoder sends the shortest (the stored and packed forms win only for
//                payloads of a few dozen bytes, which deflate makes longer).
// packed body    The payload below with every varint in a bit code and no version byte (it is
//                version 4), for dumps of a few dozen areas, where deflate has nothing to find.
//                Bits are read most significant first; the last byte is padded with zero bits
//                (anything else, or a byte more, is refused).
//                byte 0: bits 0-2 = 111 (PACKED_MARK), bits 3-5 pointer mode, bit 6 absolute
//                addresses included, bit 7 site alignments follow; then 1 bit byte units (flag
//                bit 4 below), 1 bit physical addresses in bytes (flag bit 5), 2 bits address
//                digits (0, 1, 2 for 0, 8, 16), then from N on as below, with
//                  varint / zigzag values: v < 2^64 as b = its bit length (0 for 0), written as
//                    Elias gamma of b + 1 (⌊log2(b + 1)⌋ zero bits, then b + 1 in binary), then
//                    the b − 1 bits of v below its leading 1: 0 → "1", 1 → "010", 2 → "0110", 5 → "0010001";
//                  u8 fields: 8 bits, except the view flags: 5 bits (bits 5-7 do not exist);
//                  string and colour-mode bytes, the view's float64s: 8 bits each.
// varint         unsigned, least significant digit first, value < 2^64 (counts, lengths < 2^53).
//                Base 128 (LEB128: 7-bit digits, 0x80 set when more follow), or base 32 with flag
//                bit 6 (5-bit digits, 0x20 set when more follow; a byte ≥ 0x40 is refused).
//                Base 32 spends more bytes but uses fewer distinct byte values, which deflate's
//                Huffman codes (and their tables) reward; the encoder tries both.
// zigzag         signed value s as varint (s << 1) ^ (s >> 63): 0, -1, 1, -2 … → 0, 1, 2, 3 …
//
// payload
//   u8      version = 4 (3 is still read; anything else is refused; see "Versions" below)
//   u8      flags   bits 0-2  pointer mode: 0 raw, 1 hashed, 2 masked, 3 zero, 4 unknown
//                   bit 3     absolute addresses included (else the layout starts at address 0)
//                   bit 4     byte units: start deltas count bytes, not 4096-byte pages
//                   bit 5     physical addresses in bytes, not 4096-byte pages
//                   bit 6     varints in base 32 (else base 128), from the next byte on
//                   bit 7     site alignments follow the sites (raw mode only)
//   u8      addressDigits (0, 8 or 16)
//   varint  N, the area count. Areas are listed in the model's order: address order in raw mode,
//           file order otherwise; area i of the link is area i of the decoded snapshot.
//   The string table (callers, modules, odd flag words), in two parts:
//   varint  D, then D × varint (index − previous index − 1, the first from −1): strings of the
//           built-in dictionary (SHARE_DICTIONARY in dictionary.ts), in ascending index order.
//   varint  L, then L × (varint bytes shared with the previous literal's UTF-8, varint length of
//           the rest, the rest): the other strings, sorted.
//           String ids: 0 … D − 1 are the dictionary strings in that order, then the literals.
//   [bit 3] base, the first area's start, from the nearest reference r of REFERENCE_BASES (the
//           usual VMALLOC_START and MODULES_VADDR of x86_64, arm64, riscv64 and 32-bit ARM
//           without KASLR, then 0): varint index of r; with v = zigzag((base − r) as signed
//           64-bit values >> 12): varint 0 if v = 0, else, with v = m · 2^e and m odd, varint
//           e + 1 and varint (m − 1) / 2 (kernel addresses are often aligned far beyond a page);
//           then varint(base & 0xfff). 3-6 bytes (2-4 in the packed body).
//   then eleven sections, back to back with no lengths; each is read in full before the next:
//   1 sites    varint T, then T call sites sorted by (symbol, offset, length, module, kind), stored
//              column by column: T × varint(symbol − previous site's symbol) (the first from −1;
//              −1 = no caller); for the sites with a caller, varint offset code (offset + 1, 0 =
//              not printed; minus the previous site's code when it has the same symbol); for the
//              same sites, a length code (0 = as the previous site, which has the same symbol;
//              1 = not printed; else length + 2); T × varint(module + 1) (0 = none);
//              T × varint kind code: with kf = kind | flagBits << 3 (kind indexes AREA_KINDS;
//              flagBits as in Snapshot: KNOWN_FLAGS bits, BIT_PHYS, BIT_MASKED) and BIT_MASKED
//              flipped in masked mode (a masked dump may hold unmasked lines), its index in
//              KIND_TABLE (the dozen combinations kernels print most), else KIND_TABLE.length + kf;
//              [flag bit 7] T × varint j ≤ 15:
//              start − base is a multiple of 2^j units (pages, or bytes with bit 4) for every
//              area of the site (the encoder picks the largest j ≤ 4 that holds).
//   2 areas    per area varint: its call site.
//   3 sizes    per area varint: 0 = as many pages as the previous area of the same call site,
//              else ⌊size / 4096⌋ + 1; then varint E and E × (varint index delta from the
//              previous exception, varint size mod 4096): sizes that are not whole pages.
//   4 ends     varint E and E × (varint index delta, zigzag(end − start − size) in bytes, taken
//              as a signed 64-bit value, i.e. modulo 2^64): raw lines whose end is not start +
//              size. E = 0 in other modes.
//   5 starts   raw: per area, with e = the previous area's start + size (the base for the first
//              area; the base is 0 when addresses are hidden) and j its site's alignment (0 without
//              flag bit 7): j = 0: zigzag(start − e) in units (pages, or bytes with bit 4; in
//              bytes taken as a signed 64-bit value, modulo 2^64: a gap past 2^63 bytes fits);
//              j > 0: zigzag of (start − base)/unit − u, over 2^j, where u is ⌊(e − base)/unit⌋
//              rounded up to a multiple of 2^j: thread stacks and other aligned areas after a hole
//              cost 0. Other modes: nothing.
//   6 chains   hashed: per area varint, 0 = no adjacency, else zigzag(next − i) + 1 where next is
//              the area whose start hash equals this one's end hash. No hash value is kept.
//              Other modes: nothing.
//   7 pages    per area varint: 0 = as predicted, 1 = no pages= (percpu chunks print vmalloc
//              without one), else zigzag(pages − predicted) + 1; predicted = ⌊size/4096⌋ − 1 for
//              vmalloc-kind areas of at least two pages (the guard page), else 0.
//   8 phys     per area with BIT_PHYS, in order: zigzag(phys − the previous phys, first from 0),
//              in pages (bytes with bit 5; in bytes taken as a signed 64-bit value, modulo 2^64).
//   9 nodes    per area varint: 0 = as predicted (one N<node>=pages for the node of the last
//              single-node area, starting at node 0, when pages > 0; none otherwise), else K + 1
//              and K × (varint node, varint pages).
//  10 words    varint E and E × (varint index delta, varint W, W × varint string): areas whose
//              flag words their bits do not tell (unknown words, unusual order).
//  11 view     u8 bit 0 collapse, bit 1 a selection follows, bit 2 a range follows, bit 3 the
//              range is addresses (else display positions), bit 4 a colour mode follows (else
//              'kind', the default), bits 5-7 zero; [bit 4] varint colour mode length (≤ 64) and
//              UTF-8; [bit 1] varint selected area (index into the link's areas);
//              [bit 2 and 3] zigzag(start − base), zigzag(end − base), addresses in bytes;
//              [bit 2 only] two float64 little-endian: display positions on the packed track.
//   nothing may follow.
//
// Versions: 1 differed in having no dictionary, an 8-byte big-endian base, phys in bytes, sites
// stored site by site, and a varint byte length before each section. 2 differed from 3 in having
// no stored form, only base-128 varints and no site alignments (flag bits 6-7 zero). Both only
// ever existed in unreleased development builds, so neither is read: such a link gets the
// "format version" message. 3 differed from 4 in having no check after the body, no packed
// body, the base as zigzag(base >> 12) from 0, kf itself as the kind code (BIT_MASKED set
// exactly in masked mode), and zigzag(pages − predicted) as the page code; 3 landed on main, so
// its links are still read: a body whose last two bytes are not its check is read as version 3,
// and refused as damaged unless it is one (src/lib/share/v3-links.json holds some for the tests). The dictionary, KIND_TABLE and
// REFERENCE_BASES are part of version 4; changing them needs version 5.
//
// Decoding trusts nothing: the decompressed payload is capped (MAX_PAYLOAD, the reader stops as
// soon as it is exceeded), so are strings (MAX_STRING each, MAX_PAYLOAD together), every count is
// checked against the bytes left before anything is allocated, every index against its table, and
// the payload must be used up exactly. Decoding is linear in the payload, and what it keeps is
// bounded by it: an area costs at least 4 payload bytes (4 bits of a packed body) and takes 79 bytes
// of columns, a node count beyond the predicted one costs 2 and takes 10. Every size, page count,
// node count, caller offset and length up to 2^53 − 1 is carried exactly (their codes may pass
// 2^53 and are then read as bigints), every address and phys up to 2^64 − 1. A packed body is read bit
// by bit, so one over MAX_PACKED (256 KiB, far above any the encoder makes) is refused unread.

import { BIT_MASKED, BIT_PHYS, FLAG_BIT, KIND_INDEX, Snapshot } from '../parse/snapshot.ts';
import type { AreaColumns, SnapshotFacts } from '../parse/snapshot.ts';
import type { Model } from '../model/model.ts';
import { AREA_KINDS, PAGE_SIZE } from '../types.ts';
import type { AreaKind, KnownFlag } from '../types.ts';
import { DICTIONARY_INDEX, SHARE_DICTIONARY } from './dictionary.ts';
import type { PointerMode } from '../types.ts';

export const SHARE_VERSION = 4;
/** The oldest version this vmscope still reads. */
const OLDEST_VERSION = 3;
/** Largest decompressed payload a link may carry. */
export const MAX_PAYLOAD = 64 << 20;
/** Longest string (caller, module, flag word) a link may hold, in UTF-8 bytes. */
export const MAX_STRING = 4096;
/** Largest link text accepted (base64url of a compressed payload). */
export const MAX_LINK_CHARS = 96 << 20;

const MODES: readonly PointerMode[] = ['raw', 'hashed', 'masked', 'zero', 'unknown'];
const FLAG_ABSOLUTE = 1 << 3;
const FLAG_BYTES = 1 << 4;
const FLAG_PHYS_BYTES = 1 << 5;
const FLAG_NARROW = 1 << 6;
const FLAG_ALIGNED = 1 << 7;
/** Largest site alignment a link may state (2^15 units) and the largest the encoder picks (2^4). */
const ALIGN_MAX = 15;
const ALIGN_CHOSEN = 4;
/** The address widths a packed body can name (two bits). */
const ADDRESS_DIGITS = [0, 8, 16];

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
const KIND_TABLE = [
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
const KIND_CODE = new Map(KIND_TABLE.map((kf, k) => [kf, k]));

/**
 * Version 4: the base address is coded from the nearest of these, the usual starts of the vmalloc
 * and module areas without KASLR (then from 0), so a link's base costs a few bytes less.
 */
const REFERENCE_BASES: readonly bigint[] = [
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

/** Zigzag of a signed value: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
function zigzagOf(v: bigint): bigint {
  return v < 0n ? -2n * v - 1n : 2n * v;
}

function unzigzag(u: bigint): bigint {
  return u & 1n ? -((u + 1n) >> 1n) : u >> 1n;
}

/**
 * Version 4's code for the base address: v = 0 as varint 0; else with v = m · 2^e, m odd,
 * varint e + 1 then varint (m − 1) / 2. Kernel addresses are often aligned far beyond a page
 * (VMALLOC_START, KASLR's 1 GiB steps, large ioremaps), so their base costs a few bits.
 */
function writeAligned(w: Writer, v: bigint): void {
  if (v === 0n) return w.uint(0);
  let e = 0;
  while (((v >> BigInt(e)) & 1n) === 0n) e++;
  w.uint(e + 1);
  w.big((v >> BigInt(e)) >> 1n);
}

function readAligned(r: Reader, what: string): bigint {
  const c = r.uint(what, 64);
  if (c === 0) return 0n;
  const v = ((r.big(what) << 1n) | 1n) << BigInt(c - 1);
  if (v > U64) throw broken(`${what} is out of range`);
  return v;
}

/** As a signed 64-bit value. */
function signed64(v: bigint): bigint {
  return v >= 1n << 63n ? v - (1n << 64n) : v;
}
const VMALLOC_KIND = AREA_KINDS.indexOf('vmalloc');
const PAGE = BigInt(PAGE_SIZE);
/** The colour mode a link without one shows (the app's default). */
export const DEFAULT_COLOUR_MODE = 'kind';
const U64 = (1n << 64n) - 1n;

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

// ---- bytes -------------------------------------------------------------------------------------

/**
 * How varints are written: base-128 digits (LEB128), base-32 digits (FLAG_NARROW), or the bit
 * code of the packed form (see "packed body" above).
 */
type Varints = 'base128' | 'base32' | 'bits';

class Writer {
  private buf = new Uint8Array(256);
  /** Bytes written, or in the bit form bits written (one array entry per bit). */
  length = 0;
  constructor(private readonly varints: Varints = 'base128') {}

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** `width` bits of v, most significant first (the bit form only). */
  private bits(v: bigint, width: number): void {
    this.room(width);
    for (let k = width - 1; k >= 0; k--) this.buf[this.length++] = Number((v >> BigInt(k)) & 1n);
  }

  /** A field of at most `width` bits: a byte in the byte forms, `width` bits in the bit form. */
  field(v: number, width: number): void {
    if (this.varints === 'bits') this.bits(BigInt(v), width);
    else this.byte(v);
  }

  byte(b: number): void {
    if (this.varints === 'bits') return this.bits(BigInt(b), 8);
    this.room(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned integer below 2^53. */
  uint(v: number): void {
    if (!(v >= 0 && Number.isSafeInteger(v))) throw new Error(`share: cannot encode ${v}`);
    if (this.varints === 'bits') return this.code(BigInt(v));
    const base = this.varints === 'base32' ? 32 : 128;
    this.room(14);
    while (v >= base) {
      this.buf[this.length++] = (v % base) + base;
      v = Math.floor(v / base);
    }
    this.buf[this.length++] = v;
  }

  /** Unsigned integer below 2^64, given as a number when it is at most 2^53 − 1 (exact) and a bigint otherwise. */
  wide(v: number | bigint): void {
    if (typeof v === 'bigint') this.big(v);
    else this.uint(v);
  }

  /** a + b exactly, for a and b safe integers whose sum is not negative (it may reach 2^54). */
  sum(a: number, b: number): void {
    const v = a + b;
    if (Number.isSafeInteger(v)) this.uint(v);
    else this.big(BigInt(a) + BigInt(b));
  }

  big(v: bigint): void {
    if (v < 0n || v > U64) throw new Error(`share: cannot encode ${v}`);
    if (this.varints === 'bits') return this.code(v);
    const base = this.varints === 'base32' ? 32n : 128n;
    this.room(14);
    while (v >= base) {
      this.buf[this.length++] = Number(v % base + base);
      v /= base;
    }
    this.buf[this.length++] = Number(v);
  }

  /** The bit code of v < 2^64: its bit length b as Elias gamma of b + 1, then v's bits below the leading 1. */
  private code(v: bigint): void {
    const b = v === 0n ? 0 : v.toString(2).length;
    const g = (b + 1).toString(2).length;
    this.bits(0n, g - 1);
    this.bits(BigInt(b + 1), g);
    if (b > 1) this.bits(v, b - 1);
  }

  zigzag(v: number): void {
    this.uint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  zigzagBig(v: bigint): void {
    this.big(v < 0n ? -2n * v - 1n : 2n * v);
  }

  bytes(b: Uint8Array): void {
    if (this.varints === 'bits') {
      for (const x of b) this.bits(BigInt(x), 8);
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Everything another writer of the same form wrote, after what this one holds. */
  append(w: Writer): void {
    if (w.varints !== this.varints) throw new Error('share: writers of different forms');
    this.room(w.length);
    this.buf.set(w.buf.subarray(0, w.length), this.length);
    this.length += w.length;
  }

  /** The bytes (the bit form packs its bits most significant first and pads the last byte with zeros). */
  done(): Uint8Array {
    if (this.varints !== 'bits') return this.buf.subarray(0, this.length);
    const out = new Uint8Array(Math.ceil(this.length / 8));
    for (let k = 0; k < this.length; k++) out[k >> 3] |= this.buf[k] << (7 - (k & 7));
    return out;
  }
}

function broken(what: string): Error {
  return new Error(`This share link is damaged: ${what}. It may have been cut short or altered.`);
}

class Reader {
  /** Position and end in bytes, or in bits for the bit form. */
  at: number;
  readonly end: number;
  /** Varint digit base (128 or 32) and the digits a 64-bit value may take in it. */
  private base = 128;
  private digits = 10;
  constructor(
    private readonly buf: Uint8Array,
    private readonly bitForm = false,
  ) {
    this.at = 0;
    this.end = bitForm ? buf.length * 8 : buf.length;
  }

  /** Switch to base-32 varints (FLAG_NARROW): digits 0-31, plus 32 when more follow. */
  narrow(): void {
    this.base = 32;
    this.digits = 13;
  }

  /** One varint digit byte: [digit, more]. */
  private digit(what: string): [number, boolean] {
    const b = this.byte(what);
    if (b >= 2 * this.base) throw broken(`${what} is not a valid number`);
    return [b % this.base, b >= this.base];
  }

  /** Units (bytes, or bits in the bit form) not read yet. Every value takes at least one. */
  get left(): number {
    return this.end - this.at;
  }

  private bits(width: number, what: string): number {
    if (width > this.left) throw broken(`${what} is missing`);
    let v = 0;
    for (let k = 0; k < width; k++, this.at++) v = v * 2 + ((this.buf[this.at >> 3] >> (7 - (this.at & 7))) & 1);
    return v;
  }

  /** A field written by Writer.field(v, width). */
  field(width: number, what: string): number {
    return this.bitForm ? this.bits(width, what) : this.byte(what);
  }

  byte(what: string): number {
    if (this.bitForm) return this.bits(8, what);
    if (this.at >= this.end) throw broken(`${what} is missing`);
    return this.buf[this.at++];
  }

  /** A value of the bit code (see Writer.code), at most 2^64 − 1. */
  private code(what: string): bigint {
    let zeros = 0;
    while (this.bits(1, what) === 0) if (++zeros > 6) throw broken(`${what} is not a valid number`);
    const b = (2 ** zeros + this.bits(zeros, what)) - 1;
    if (b > 64) throw broken(`${what} is not a valid number`);
    if (b <= 1) return BigInt(b);
    let v = 1n;
    for (let k = 0; k < b - 1; k++) v = (v << 1n) | BigInt(this.bits(1, what));
    return v;
  }

  big(what: string): bigint {
    if (this.bitForm) return this.code(what);
    let v = 0n;
    let scale = 1n;
    const base = BigInt(this.base);
    for (let k = 0; k < this.digits; k++) {
      const [d, more] = this.digit(what);
      v += BigInt(d) * scale;
      if (!more) {
        if (v > U64) break;
        return v;
      }
      scale *= base;
    }
    throw broken(`${what} is not a valid number`);
  }

  /**
   * Unsigned integer up to 2^64 − 1: a number when it is at most 2^53 − 1, else a bigint (fields
   * whose codes pass 2^53 for values that do not: caller offsets and lengths, page counts).
   */
  wide(what: string): number | bigint {
    const at = this.at;
    try {
      return this.uint(what);
    } catch (err) {
      this.at = at;
      const v = this.big(what);
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) throw err;
      return v;
    }
  }

  /** Unsigned integer, at most `max` (≤ 2^53 − 1). */
  uint(what: string, max = Number.MAX_SAFE_INTEGER): number {
    if (this.bitForm) {
      const v = this.code(what);
      if (v > BigInt(max)) throw broken(`${what} is out of range`);
      return Number(v);
    }
    let v = 0;
    let scale = 1;
    while (scale <= 2 ** 56) {
      const [d, more] = this.digit(what);
      v += d * scale;
      if (!more) {
        if (v > max) throw broken(`${what} is out of range`);
        return v;
      }
      scale *= this.base;
    }
    throw broken(`${what} is out of range`);
  }

  zigzag(what: string): number {
    const u = this.uint(what);
    return u % 2 ? -(u + 1) / 2 : u / 2;
  }

  zigzagBig(what: string): bigint {
    const u = this.big(what);
    return u & 1n ? -((u + 1n) >> 1n) : u >> 1n;
  }

  take(n: number, what: string): Uint8Array {
    if (this.bitForm) {
      if (n * 8 > this.left) throw broken(`${what} runs past the end`);
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k++) out[k] = this.bits(8, what);
      return out;
    }
    if (n > this.left) throw broken(`${what} runs past the end`);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** The end: nothing may follow, except in the bit form the zero bits padding the last byte. */
  finish(what: string): void {
    if (!this.bitForm) {
      if (this.left !== 0) throw broken(`${what} has ${this.left} unexpected bytes`);
      return;
    }
    if (this.left >= 8 || this.bits(this.left, what) !== 0) throw broken(`${what} has unexpected bits`);
  }
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function addressOf(hi: Uint32Array, lo: Uint32Array, i: number): bigint {
  return (BigInt(hi[i]) << 32n) | BigInt(lo[i]);
}

// ---- encode ------------------------------------------------------------------------------------

/** How a payload is written: its varints, and whether sites carry alignments (raw mode only). */
export interface PayloadForm {
  varints?: Varints;
  aligned?: boolean;
}

/**
 * The payload before compression (exported for tests and the benchmark). In the bit form it is a
 * whole packed body, marker byte included.
 */
export function encodePayload(model: Model, view: ShareView, options: ShareOptions, form: PayloadForm = {}): Uint8Array {
  const varints = form.varints ?? 'base128';
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const order = model.order;
  const raw = s.pointerMode === 'raw';
  checkRepresentable(s);
  const positionOf = new Int32Array(n);
  for (let k = 0; k < n; k++) positionOf[order[k]] = k;

  const starts: bigint[] = [];
  const ends: bigint[] = [];
  let pageUnits = true;
  if (raw) {
    for (let k = 0; k < n; k++) {
      starts.push(addressOf(c.startHi, c.startLo, order[k]));
      ends.push(addressOf(c.endHi, c.endLo, order[k]));
    }
    let prev = starts[0] ?? 0n;
    for (let k = 0; k < n; k++) {
      if ((starts[k] - prev) % PAGE !== 0n) pageUnits = false;
      prev = starts[k] + BigInt(c.size[order[k]]);
    }
  }
  const base = raw && n > 0 ? starts[0] : 0n;
  const absolute = raw && options.includeAddresses && n > 0;

  // The string table: every caller, module and odd flag word. Those in the built-in dictionary come
  // first, by dictionary index; the rest are spelled out, sorted so neighbours share prefixes.
  const all = new Set<string>(s.strings);
  for (const words of s.flagWords.values()) for (const w of words) all.add(w);
  const fromDictionary = [...all].filter((str) => DICTIONARY_INDEX.has(str)).sort((a, b) => DICTIONARY_INDEX.get(a)! - DICTIONARY_INDEX.get(b)!);
  const literals = [...all].filter((str) => !DICTIONARY_INDEX.has(str)).sort();
  const table = [...fromDictionary, ...literals];
  const idOf = new Map<string, number>(table.map((str, k) => [str, k]));
  const remap = s.strings.map((str) => idOf.get(str)!);

  // Physical addresses count pages unless one of them is not page-aligned.
  let physPages = true;
  for (let i = 0; i < n && physPages; i++) if (c.flagBits[i] & BIT_PHYS && c.physLo[i] % PAGE_SIZE) physPages = false;

  const aligned = (form.aligned ?? false) && raw;
  const out = new Writer(varints);
  if (varints === 'bits') {
    out.byte(PACKED_MARK | (MODES.indexOf(s.pointerMode) << 3) | (absolute ? 0x40 : 0) | (aligned ? 0x80 : 0));
    out.field(pageUnits ? 0 : 1, 1);
    out.field(physPages ? 0 : 1, 1);
    out.field(ADDRESS_DIGITS.indexOf(s.addressDigits), 2);
  } else {
    out.byte(SHARE_VERSION);
    out.byte(MODES.indexOf(s.pointerMode) | (absolute ? FLAG_ABSOLUTE : 0) | (pageUnits ? 0 : FLAG_BYTES) | (physPages ? 0 : FLAG_PHYS_BYTES) | (varints === 'base32' ? FLAG_NARROW : 0) | (aligned ? FLAG_ALIGNED : 0));
    out.byte(s.addressDigits);
  }
  out.uint(n);
  out.uint(fromDictionary.length);
  let prevIndex = -1;
  for (const str of fromDictionary) {
    const index = DICTIONARY_INDEX.get(str)!;
    out.uint(index - prevIndex - 1);
    prevIndex = index;
  }
  out.uint(literals.length);
  let prevBytes = new Uint8Array(0);
  for (const str of literals) {
    const b = utf8.encode(str);
    if (b.length > MAX_STRING) throw new Error(`A name of ${b.length} bytes cannot be shared (at most ${MAX_STRING}): ${str.slice(0, 40)}…`);
    let shared = 0;
    while (shared < b.length && shared < prevBytes.length && b[shared] === prevBytes[shared]) shared++;
    out.uint(shared);
    out.uint(b.length - shared);
    out.bytes(b.subarray(shared));
    prevBytes = b;
  }
  if (absolute) {
    const b = signed64(base);
    let ref = 0;
    const distance = (k: number) => (b - signed64(REFERENCE_BASES[k]) < 0n ? signed64(REFERENCE_BASES[k]) - b : b - signed64(REFERENCE_BASES[k]));
    for (let k = 1; k < REFERENCE_BASES.length; k++) if (distance(k) < distance(ref)) ref = k;
    out.uint(ref);
    writeAligned(out, zigzagOf((b - signed64(REFERENCE_BASES[ref])) >> 12n));
    out.uint(Number(base & 0xfffn));
  }

  // 2 chains
  const wChains = new Writer(varints);
  if (s.pointerMode === 'hashed') {
    for (let k = 0; k < n; k++) {
      const next = model.chainNext[order[k]];
      if (next < 0) wChains.uint(0);
      else {
        const d = positionOf[next] - k;
        wChains.uint((d < 0 ? -2 * d - 1 : 2 * d) + 1);
      }
    }
  }

  // Call sites: what areas from one site share, sorted so that neighbours differ little.
  interface Site {
    kf: number;
    sym: number;
    off: number;
    len: number;
    mod: number;
    id: number;
  }
  const siteOf = new Map<string, Site>();
  const areaSite: Site[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const sym = c.symbol[i] < 0 ? -1 : remap[c.symbol[i]];
    const mod = c.module[i] < 0 ? -1 : remap[c.module[i]];
    // The offset and length as printed, −1 when not (their codes add 1 and 2, and may pass 2^53).
    const off = Number.isNaN(c.callerOffset[i]) || sym < 0 ? -1 : c.callerOffset[i];
    const len = Number.isNaN(c.callerLength[i]) || sym < 0 ? -1 : c.callerLength[i];
    const kf = c.kind[i] | (c.flagBits[i] << 3);
    const key = `${kf},${sym},${off},${len},${mod}`;
    let site = siteOf.get(key);
    if (!site) siteOf.set(key, (site = { kf, sym, off, len, mod, id: 0 }));
    areaSite.push(site);
  }
  const masked = s.pointerMode === 'masked';
  const sites = [...siteOf.values()].sort((x, y) => x.sym - y.sym || x.off - y.off || x.len - y.len || x.mod - y.mod || x.kf - y.kf);
  // Column by column: symbols, offsets, lengths, modules, kinds.
  const wSites = new Writer(varints);
  const siteCols = [new Writer(varints), new Writer(varints), new Writer(varints), new Writer(varints), new Writer(varints)];
  wSites.uint(sites.length);
  let prevSite: Site | null = null;
  for (const [id, site] of sites.entries()) {
    site.id = id;
    const sameSym = prevSite !== null && prevSite.sym === site.sym;
    siteCols[0].uint(site.sym - (prevSite?.sym ?? -1));
    if (site.sym >= 0) {
      // offset code (offset + 1, 0 = not printed), less the previous one's with the same symbol
      siteCols[1].sum(site.off, sameSym ? -prevSite!.off : 1);
      // length code: 0 = as the previous, 1 = not printed, else length + 2
      if (sameSym && prevSite!.len === site.len) siteCols[2].uint(0);
      else siteCols[2].sum(site.len, 2);
    }
    siteCols[3].uint(site.mod + 1);
    const kf = masked ? site.kf ^ (BIT_MASKED << 3) : site.kf;
    siteCols[4].uint(KIND_CODE.get(kf) ?? KIND_TABLE.length + kf);
    prevSite = site;
  }
  for (const col of siteCols) wSites.append(col);

  // Alignment (raw mode): the largest 2^j units, j ≤ ALIGN_CHOSEN, dividing start − base for every
  // area of the site; then starts count steps of 2^j from the previous end rounded up to 2^j.
  const unit = pageUnits ? PAGE : 1n;
  const siteAlign = new Map<Site, number>();
  const wStarts = new Writer(varints);
  if (raw) {
    for (let k = 0; k < n; k++) {
      const off = starts[k] - base;
      let j = siteAlign.get(areaSite[k]) ?? (aligned ? ALIGN_CHOSEN : 0);
      while (j > 0 && off % (unit << BigInt(j)) !== 0n) j--;
      siteAlign.set(areaSite[k], j);
    }
    if (aligned) for (const site of sites) wSites.uint(siteAlign.get(site)!);
    let prev = base;
    for (let k = 0; k < n; k++) {
      const j = siteAlign.get(areaSite[k])!;
      // In bytes a gap can pass 2^63 (an area at 0x1000, the next at the top): modulo 2^64, signed.
      if (j === 0) wStarts.zigzagBig(pageUnits ? (starts[k] - prev) / unit : BigInt.asIntN(64, starts[k] - prev));
      else wStarts.zigzagBig(((starts[k] - base) / unit - alignedUp(prev - base, unit, j)) >> BigInt(j));
      prev = starts[k] + BigInt(c.size[order[k]]);
    }
  }
  const wAreaSites = new Writer(varints);
  const areaTemplate = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    areaTemplate[k] = areaSite[k].id;
    wAreaSites.uint(areaSite[k].id);
  }
  const templateOf = siteOf;

  // sizes
  const wSizes = new Writer(varints);
  const lastSize = new Float64Array(templateOf.size).fill(-1);
  const sizeExceptions: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) {
    const size = c.size[order[k]];
    const pages = Math.floor(size / PAGE_SIZE);
    const t = areaTemplate[k];
    wSizes.uint(lastSize[t] === pages ? 0 : pages + 1);
    lastSize[t] = pages;
    if (size % PAGE_SIZE) sizeExceptions.push([k, size % PAGE_SIZE]);
  }
  exceptions(wSizes, sizeExceptions, (w, v) => w.uint(v));

  // ends
  const wEnds = new Writer(varints);
  const endExceptions: Array<[number, bigint]> = [];
  if (raw) {
    for (let k = 0; k < n; k++) {
      // modulo 2^64 as a signed value, so that an end far from start + size still fits
      const d = BigInt.asIntN(64, ends[k] - starts[k] - BigInt(c.size[order[k]]));
      if (d !== 0n) endExceptions.push([k, d]);
    }
  }
  exceptions(wEnds, endExceptions, (w, v) => w.zigzagBig(v));

  // pages, phys, nodes
  const wPages = new Writer(varints);
  const wPhys = new Writer(varints);
  const wNodes = new Writer(varints);
  let lastPhys = 0n;
  let lastNode = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    wPages.wide(pageCode(c.pages[i], predictedPages(c.kind[i], c.size[i])));
    if (c.flagBits[i] & BIT_PHYS) {
      const phys = addressOf(c.physHi, c.physLo, i);
      // In bytes, the step modulo 2^64 as a signed value: from 0x1000 to 2^64 − 4096 is −8192.
      wPhys.zigzagBig(physPages ? (phys - lastPhys) / PAGE : BigInt.asIntN(64, phys - lastPhys));
      lastPhys = phys;
    }
    const from = c.nodeStart[i];
    const to = c.nodeStart[i + 1];
    const predicted = c.pages[i] > 0 ? to - from === 1 && c.nodeId[from] === lastNode && c.nodePages[from] === c.pages[i] : to === from;
    if (predicted) wNodes.uint(0);
    else {
      wNodes.uint(to - from + 1);
      for (let j = from; j < to; j++) {
        wNodes.uint(c.nodeId[j]);
        wNodes.uint(c.nodePages[j]);
      }
    }
    if (to - from === 1) lastNode = c.nodeId[from];
  }

  // words
  const wordExceptions: Array<[number, number[]]> = [];
  for (const [i, words] of s.flagWords) wordExceptions.push([positionOf[i], words.map((w) => idOf.get(w)!)]);
  wordExceptions.sort((a, b) => a[0] - b[0]);
  const wWords = new Writer(varints);
  exceptions(wWords, wordExceptions, (w, ids) => {
    w.uint(ids.length);
    for (const id of ids) w.uint(id);
  });

  // view
  const wView = new Writer(varints);
  const selected = view.selected !== null && view.selected >= 0 && view.selected < n ? positionOf[view.selected] : null;
  const range = view.range;
  // (a range whose edges lie more than 2^63 from the base is not kept: the whole dump is shown)
  const near = (v: bigint) => v - base >= -(1n << 63n) && v - base < 1n << 63n;
  const addressRange = range?.kind === 'address' && raw && n > 0 && near(range.start) && near(range.end);
  const displayRange = range?.kind === 'display' && Number.isFinite(range.start) && Number.isFinite(range.end);
  const ownColours = view.colourMode !== DEFAULT_COLOUR_MODE;
  wView.field((view.collapse ? 1 : 0) | (selected !== null ? 2 : 0) | (addressRange || displayRange ? 4 : 0) | (addressRange ? 8 : 0) | (ownColours ? 16 : 0), 5);
  if (ownColours) {
    const cm = utf8.encode(view.colourMode.slice(0, 64));
    wView.uint(cm.length);
    wView.bytes(cm);
  }
  if (selected !== null) wView.uint(selected);
  if (range && addressRange && range.kind === 'address') {
    wView.zigzagBig(range.start - base);
    wView.zigzagBig(range.end - base);
  } else if (range && displayRange && range.kind === 'display') {
    const f = new DataView(new ArrayBuffer(16));
    f.setFloat64(0, range.start, true);
    f.setFloat64(8, range.end, true);
    wView.bytes(new Uint8Array(f.buffer));
  }
  for (const w of [wSites, wAreaSites, wSizes, wEnds, wStarts, wChains, wPages, wPhys, wNodes, wWords, wView]) out.append(w);
  return out.done();
}

/**
 * A link holds every count and length up to 2^53 − 1 exactly (the parser refuses larger ones with
 * a diagnostic); a snapshot made otherwise is refused with the line, not a bare number.
 */
function checkRepresentable(s: Snapshot): void {
  const c = s.columns;
  const fits = (v: number) => Number.isNaN(v) || (v >= 0 && Number.isSafeInteger(v));
  for (let i = 0; i < s.count; i++) {
    const bad = !fits(c.size[i]) ? 'size' : !fits(c.pages[i]) ? 'pages=' : !fits(c.callerOffset[i]) ? 'caller offset' : !fits(c.callerLength[i]) ? 'caller length' : null;
    if (bad) throw new Error(`The area of line ${c.line[i]} has a ${bad} beyond 2^53 − 1, more than a share link holds.`);
    for (let j = c.nodeStart[i]; j < c.nodeStart[i + 1]; j++) {
      if (!fits(c.nodePages[j])) throw new Error(`The area of line ${c.line[i]} has a node page count beyond 2^53 − 1, more than a share link holds.`);
    }
  }
}

/** ⌊offset / unit⌋ rounded up to a multiple of 2^j. */
function alignedUp(offset: bigint, unit: bigint, j: number): bigint {
  const units = offset >= 0n ? offset / unit : -((-offset + unit - 1n) / unit);
  const a = 1n << BigInt(j);
  const r = ((units % a) + a) % a;
  return r === 0n ? units : units + a - r;
}

function exceptions<T>(w: Writer, list: Array<[number, T]>, put: (w: Writer, v: T) => void): void {
  w.uint(list.length);
  let prev = 0;
  for (const [k, v] of list) {
    w.uint(k - prev);
    prev = k;
    put(w, v);
  }
}

/**
 * Version 4's page code: 0 = as predicted, 1 = none printed, else zigzag(pages − predicted) + 1,
 * a bigint past 2^53 − 1 (pages up to 2^53 − 1 take codes up to 2^54 − 1).
 */
function pageCode(pages: number, predicted: number): number | bigint {
  if (pages === predicted) return 0;
  if (pages === 0) return 1;
  const d = pages - predicted;
  const code = (d < 0 ? -2 * d - 1 : 2 * d) + 1;
  return Number.isSafeInteger(code) ? code : zigzagOf(BigInt(d)) + 1n;
}

function predictedPages(kind: number, size: number): number {
  const pages = Math.floor(size / PAGE_SIZE);
  return kind === VMALLOC_KIND && pages >= 2 ? pages - 1 : 0;
}

// ---- decode ------------------------------------------------------------------------------------

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    throw broken(`${what} is not valid UTF-8`);
  }
}

/**
 * Parse a payload (already decompressed), or with `packed` a whole packed body, into a snapshot
 * and a view. Throws Error on anything wrong.
 */
export function decodePayload(payload: Uint8Array, packed = false): DecodedShare {
  if (payload.length > MAX_PAYLOAD) throw tooBig();
  const r = new Reader(payload, packed);
  let flags: number;
  let addressDigits: number;
  let version = SHARE_VERSION;
  if (packed) {
    const mark = r.byte('the form');
    if ((mark & 7) !== PACKED_MARK) throw broken('its form is unknown');
    flags = ((mark >> 3) & 7) | (mark & 0x40 ? FLAG_ABSOLUTE : 0) | (mark & 0x80 ? FLAG_ALIGNED : 0);
    flags |= (r.field(1, 'the flags') ? FLAG_BYTES : 0) | (r.field(1, 'the flags') ? FLAG_PHYS_BYTES : 0);
    const code = r.field(2, 'the address width');
    if (code >= ADDRESS_DIGITS.length) throw broken('the address width is invalid');
    addressDigits = ADDRESS_DIGITS[code];
  } else {
    version = r.byte('the version');
    if (version < OLDEST_VERSION || version > SHARE_VERSION) {
      throw new Error(
        `This share link has format version ${version}; this vmscope reads versions ${OLDEST_VERSION} to ${SHARE_VERSION}. It may come from a newer vmscope, or be damaged.`,
      );
    }
    flags = r.byte('the flags');
    if (flags & FLAG_NARROW) r.narrow();
    addressDigits = r.byte('the address width');
  }
  if ((flags & 7) >= MODES.length) throw broken('its flags are invalid');
  const pointerMode = MODES[flags & 7];
  const raw = pointerMode === 'raw';
  const absolute = (flags & FLAG_ABSOLUTE) !== 0;
  const pageUnits = (flags & FLAG_BYTES) === 0;
  const physUnit = flags & FLAG_PHYS_BYTES ? 1n : PAGE;
  if ((absolute || !pageUnits || flags & FLAG_ALIGNED) && !raw) throw broken('its flags are invalid');
  if (addressDigits !== 0 && addressDigits !== 8 && addressDigits !== 16) throw broken('the address width is invalid');
  // Every area costs at least one byte in each of the template, size, page and node sections, so
  // the count is bounded by what is left before anything is allocated.
  const n = r.uint('the area count', Math.floor(r.left / 4));
  // Shared prefixes make strings longer than their bytes in the link: each string is capped, and so
  // is their sum, or a few megabytes of prefixes could ask for gigabytes.
  const strings: string[] = [];
  const wordCount = r.uint('the dictionary word count', SHARE_DICTIONARY.length);
  let index = -1;
  for (let k = 0; k < wordCount; k++) {
    index += r.uint('a dictionary word', SHARE_DICTIONARY.length) + 1;
    if (index >= SHARE_DICTIONARY.length) throw broken('a dictionary word is out of range');
    strings.push(SHARE_DICTIONARY[index]);
  }
  const literalCount = r.uint('the string count', Math.floor(r.left / 2));
  const stringCount = wordCount + literalCount;
  let prev = new Uint8Array(0);
  let stringBytes = 0;
  for (let k = 0; k < literalCount; k++) {
    const shared = r.uint('a string prefix', prev.length);
    const rest = r.take(r.uint('a string length', MAX_STRING - shared), 'a string');
    stringBytes += shared + rest.length;
    if (stringBytes > MAX_PAYLOAD) throw tooBig();
    const b = new Uint8Array(shared + rest.length);
    b.set(prev.subarray(0, shared));
    b.set(rest, shared);
    strings.push(text(b, 'a string'));
    prev = b;
  }
  let base = 0n;
  if (absolute) {
    const ref = version >= 4 ? signed64(REFERENCE_BASES[r.uint('the base reference', REFERENCE_BASES.length - 1)]) : 0n;
    const pages = version >= 4 ? unzigzag(readAligned(r, 'the base address')) : r.zigzagBig('the base address');
    const signed = ref + (pages << 12n) + BigInt(r.uint('the base address', 0xfff));
    if (signed < -(1n << 63n) || signed >= 1n << 63n) throw broken('the base address is out of range');
    base = signed < 0n ? signed + (1n << 64n) : signed;
  }

  // The sections follow one another with no lengths: each is read in full before the next.
  const [sTemplates, sAreaTemplates, sSizes, sEnds, sStarts, sChains, sPages, sPhys, sNodes, sWords, sView] = new Array<Reader>(11).fill(r);

  const columns: AreaColumns = {
    startHi: new Uint32Array(n),
    startLo: new Uint32Array(n),
    endHi: new Uint32Array(n),
    endLo: new Uint32Array(n),
    size: new Float64Array(n),
    pages: new Float64Array(n),
    kind: new Uint8Array(n),
    flagBits: new Uint16Array(n),
    symbol: new Int32Array(n),
    module: new Int32Array(n),
    callerOffset: new Float64Array(n),
    callerLength: new Float64Array(n),
    physHi: new Uint32Array(n),
    physLo: new Uint32Array(n),
    line: new Uint32Array(n),
    nodeStart: new Uint32Array(n + 1),
    nodeId: new Uint16Array(0),
    nodePages: new Float64Array(0),
  };
  for (let i = 0; i < n; i++) columns.line[i] = i + 1;

  // call sites
  const templateCount = sTemplates.uint('the call site count', Math.floor(sTemplates.left / 3));
  const tKf = new Uint16Array(templateCount);
  const tSym = new Int32Array(templateCount);
  const tOff = new Float64Array(templateCount);
  const tLen = new Float64Array(templateCount);
  const tMod = new Int32Array(templateCount);
  // column by column: symbols, then offsets and lengths of the sites with a caller, modules, kinds
  let sym = -1;
  for (let t = 0; t < templateCount; t++) {
    const step = sTemplates.uint('a caller', stringCount);
    if (sym + step >= stringCount) throw broken('a caller is out of range');
    sym += step;
    tSym[t] = sym;
    tOff[t] = tLen[t] = NaN;
  }
  // Offset codes (offset + 1) reach 2^53 and length codes (length + 2) 2^53 + 1 for values of
  // 2^53 − 1: read wide, and compared exactly (a bigint compares with a number by value).
  let off = 0;
  for (let t = 0; t < templateCount; t++) {
    if (tSym[t] < 0) continue;
    const o = sTemplates.wide('a caller offset');
    const code = t > 0 && tSym[t - 1] === tSym[t] ? (typeof o === 'number' && Number.isSafeInteger(off + o) ? off + o : BigInt(off) + BigInt(o)) : o;
    if (code > 2 ** 53) throw broken('a caller offset is out of range');
    off = Number(code);
    tOff[t] = off === 0 ? NaN : off - 1;
  }
  let len = 0;
  for (let t = 0; t < templateCount; t++) {
    if (tSym[t] < 0) continue;
    const code = sTemplates.wide('a caller length');
    if (code === 0 && !(t > 0 && tSym[t - 1] === tSym[t])) throw broken('a caller length refers to nothing');
    if (code > 2 ** 53 + 2) throw broken('a caller length is out of range');
    if (code !== 0) len = typeof code === 'bigint' ? Number(code - 1n) : code - 1;
    tLen[t] = len === 0 ? NaN : len - 1;
  }
  for (let t = 0; t < templateCount; t++) tMod[t] = sTemplates.uint('a module', stringCount) - 1;
  for (let t = 0; t < templateCount; t++) {
    let kf: number;
    if (version >= 4) {
      // Version 4: a table index or an escaped value, the masked bit flipped in masked mode (a
      // file may mix masked and unmasked lines).
      const code = sTemplates.uint('a kind', KIND_TABLE.length + (1 << 13) - 1);
      kf = code < KIND_TABLE.length ? KIND_TABLE[code] : code - KIND_TABLE.length;
      if (pointerMode === 'masked') kf ^= BIT_MASKED << 3;
    } else {
      kf = sTemplates.uint('a kind', (1 << 13) - 1);
      if ((pointerMode === 'masked') !== (((kf >> 3) & BIT_MASKED) !== 0)) throw broken('an area is masked in the wrong mode');
    }
    tKf[t] = kf;
  }
  const tAlign = new Uint8Array(templateCount);
  if (flags & FLAG_ALIGNED) for (let t = 0; t < templateCount; t++) tAlign[t] = sTemplates.uint('an alignment', ALIGN_MAX);
  const areaTemplate = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = templateCount ? sAreaTemplates.uint('a call site', templateCount - 1) : sAreaTemplates.uint('a call site', -1);
    areaTemplate[i] = t;
    columns.kind[i] = tKf[t] & 7;
    columns.flagBits[i] = tKf[t] >> 3;
    columns.symbol[i] = tSym[t];
    columns.callerOffset[i] = tOff[t];
    columns.callerLength[i] = tLen[t];
    columns.module[i] = tMod[t];
  }

  // sizes
  const lastSize = new Float64Array(templateCount).fill(-1);
  for (let i = 0; i < n; i++) {
    // ⌊size / 4096⌋ + 1: up to 2^41 for sizes up to 2^53 − 1
    const code = sSizes.uint('a size', Math.floor(Number.MAX_SAFE_INTEGER / PAGE_SIZE) + 1);
    const t = areaTemplate[i];
    if (code === 0 && lastSize[t] < 0) throw broken('a size refers to nothing');
    const pages = code === 0 ? lastSize[t] : code - 1;
    lastSize[t] = pages;
    columns.size[i] = pages * PAGE_SIZE;
  }
  readExceptions(sSizes, n, 'a size exception', (i) => {
    columns.size[i] += sSizes.uint('a size remainder', PAGE_SIZE - 1);
  });

  // starts and ends
  const setAddr = (hi: Uint32Array, lo: Uint32Array, i: number, v: bigint) => {
    if (v < 0n || v > U64) throw broken('an area lies outside the address space');
    hi[i] = Number(v >> 32n);
    lo[i] = Number(v & 0xffffffffn);
  };
  const endDelta = new Map<number, bigint>();
  // An end's offset from start + size is taken modulo 2^64 (the encoder writes it as a signed 64-bit value).
  readExceptions(sEnds, raw ? n : 0, 'an end exception', (i) => endDelta.set(i, sEnds.zigzagBig('an end offset')));
  if (raw) {
    let at = base;
    const unit = pageUnits ? PAGE : 1n;
    for (let i = 0; i < n; i++) {
      const d = sStarts.zigzagBig('a start address');
      const j = tAlign[areaTemplate[i]];
      // A gap in bytes is taken modulo 2^64, as the encoder writes it (a signed 64-bit value).
      const start = j > 0 ? base + (alignedUp(at - base, unit, j) + (d << BigInt(j))) * unit : pageUnits ? at + d * unit : BigInt.asUintN(64, at + d);
      const size = BigInt(columns.size[i]);
      setAddr(columns.startHi, columns.startLo, i, start);
      setAddr(columns.endHi, columns.endLo, i, BigInt.asUintN(64, start + size + (endDelta.get(i) ?? 0n)));
      at = start + size;
    }
  }

  // chains: synthetic hashes, equal exactly where the original ones were
  if (pointerMode === 'hashed') {
    const hasPrev = new Uint8Array(n);
    for (let i = 0; i < n; i++) columns.startLo[i] = i + 1;
    let fresh = n + 1;
    for (let i = 0; i < n; i++) {
      const code = sChains.uint('an adjacency', 2 * n + 1);
      if (code === 0) {
        columns.endLo[i] = fresh++;
        continue;
      }
      const u = code - 1;
      const j = i + (u % 2 ? -(u + 1) / 2 : u / 2);
      if (j < 0 || j >= n || j === i || hasPrev[j]) throw broken('an adjacency points nowhere');
      hasPrev[j] = 1;
      columns.endLo[i] = j + 1;
    }
  }

  // pages, phys, nodes
  const nodeIds: number[] = [];
  const nodePages: number[] = [];
  let lastPhys = 0n;
  let lastNode = 0;
  for (let i = 0; i < n; i++) {
    const predicted = predictedPages(columns.kind[i], columns.size[i]);
    let pages: number;
    if (version >= 4) {
      const code = sPages.wide('a page count');
      if (typeof code === 'bigint') {
        // zigzag(pages − predicted) + 1 past 2^53 − 1: pages near 2^53
        const big = BigInt(predicted) + unzigzag(code - 1n);
        if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw broken('a page count is out of range');
        pages = Number(big);
      } else pages = code === 0 ? predicted : code === 1 ? 0 : predicted + (code % 2 ? (code - 1) / 2 : -code / 2);
    } else pages = predicted + sPages.zigzag('a page count');
    if (pages < 0) throw broken('a page count is negative');
    if (pages > Number.MAX_SAFE_INTEGER) throw broken('a page count is out of range');
    columns.pages[i] = pages;
  }
  for (let i = 0; i < n; i++) {
    if (columns.flagBits[i] & BIT_PHYS) {
      // In bytes, the step is taken modulo 2^64 (the encoder writes it as a signed 64-bit value).
      const step = sPhys.zigzagBig('a physical address');
      const phys = physUnit === 1n ? BigInt.asUintN(64, lastPhys + step) : lastPhys + step * physUnit;
      if (phys < 0n || phys > U64) throw broken('a physical address is out of range');
      columns.physHi[i] = Number(phys >> 32n);
      columns.physLo[i] = Number(phys & 0xffffffffn);
      lastPhys = phys;
    }
  }
  for (let i = 0; i < n; i++) {
    const pages = columns.pages[i];
    const code = sNodes.uint('a node count', sNodes.left + 1);
    const from = nodeIds.length;
    if (code === 0) {
      if (pages > 0) {
        nodeIds.push(lastNode);
        nodePages.push(pages);
      }
    } else {
      for (let j = 0; j < code - 1; j++) {
        nodeIds.push(sNodes.uint('a node id', 0xffff));
        nodePages.push(sNodes.uint('a node page count'));
      }
    }
    if (nodeIds.length - from === 1) lastNode = nodeIds[from];
    columns.nodeStart[i + 1] = nodeIds.length;
  }
  columns.nodeId = Uint16Array.from(nodeIds);
  columns.nodePages = Float64Array.from(nodePages);

  // words
  const flagWords = new Map<number, string[]>();
  readExceptions(sWords, n, 'a flag word list', (i) => {
    const w = sWords.uint('a flag word count', sWords.left);
    const words: string[] = [];
    for (let j = 0; j < w; j++) words.push(strings[sWords.uint('a flag word', stringCount - 1)]);
    flagWords.set(i, words);
  });

  // view
  const vf = sView.field(5, 'the view flags');
  if (vf & 0xe0 || (vf & 8 && !(vf & 4)) || (vf & 8 && !raw)) throw broken('the view flags are invalid');
  const colourMode = vf & 16 ? text(sView.take(sView.uint('the colour mode', 64), 'the colour mode'), 'the colour mode') : DEFAULT_COLOUR_MODE;
  let selected: number | null = null;
  if (vf & 2) selected = sView.uint('the selection', n - 1);
  let range: ShareView['range'] = null;
  if (vf & 8) {
    const origin = absolute ? base : 0n;
    range = { kind: 'address', start: origin + sView.zigzagBig('the view'), end: origin + sView.zigzagBig('the view') };
  } else if (vf & 4) {
    const b = sView.take(16, 'the view');
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const start = dv.getFloat64(0, true);
    const end = dv.getFloat64(8, true);
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw broken('the view is invalid');
    range = { kind: 'display', start, end };
  }
  r.finish('the link');

  const facts: SnapshotFacts = {
    count: n,
    lineCount: n,
    pointerMode,
    addressDigits,
    sorted: raw ? true : null,
    diagnosticCount: 0,
    errorCount: 0,
    warningCount: 0,
  };
  const snapshot = new Snapshot(facts, columns, strings, flagWords, []);
  return { snapshot, view: { range, selected, colourMode, collapse: (vf & 1) !== 0 }, addressesHidden: raw && !absolute && n > 0 };
}

function readExceptions(r: Reader, n: number, what: string, each: (i: number) => void): void {
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

// ---- compression and text ----------------------------------------------------------------------

function tooBig(): Error {
  return new Error(`This share link unpacks to more than ${MAX_PAYLOAD >> 20} MiB; vmscope refuses it (it may be a decompression bomb).`);
}

/** The chunks as one array. */
function joined(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return joined(chunks, total);
    total += value.length;
    chunks.push(value);
  }
}

/**
 * Compressed bytes fed to the inflater at a time. Deflate expands at most 1032:1, so a slice
 * inflates to at most ~16.5 MiB: browsers inflate a whole written chunk before anyone reads (one
 * 1 MiB chunk of a deflate bomb meant 1 GiB at once, 10-20 s of a frozen tab before the cap was seen).
 */
const INFLATE_SLICE = 16 << 10;

/**
 * Inflate at most `cap` bytes: the input goes in slice by slice as the output is read, so the work
 * done is bounded by the cap (plus one slice), and reading stops and throws as soon as the output
 * would exceed it.
 */
export async function inflate(bytes: Uint8Array, cap = MAX_PAYLOAD): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Each write waits until the inflater has taken the previous slice, which it does only as the
  // output is read below.
  const feeding = (async () => {
    for (let at = 0; at < bytes.length && !stopped; at += INFLATE_SLICE) await writer.write(bytes.slice(at, at + INFLATE_SLICE));
    if (!stopped) await writer.close();
  })().catch(() => undefined); // a corrupt stream fails the reads too, and is reported there
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) throw tooBig();
      chunks.push(value);
    }
  } catch (err) {
    stopped = true;
    await Promise.all([reader.cancel().catch(() => undefined), writer.abort().catch(() => undefined)]);
    if (err instanceof Error && err.message.startsWith('This share link')) throw err;
    throw broken('its compressed data is corrupt');
  }
  await feeding;
  return joined(chunks, total);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let k = 0; k < 64; k++) B64_INDEX[B64.charCodeAt(k)] = k;

export function toBase64Url(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)];
    if (i + 1 < bytes.length) chunk += B64[((b & 15) << 2) | (c >> 6)];
    if (i + 2 < bytes.length) chunk += B64[c & 63];
    if (chunk.length > 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw broken('its text has an impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let at = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64_INDEX[code] : -1;
    if (v < 0) throw broken(`its text has a character that cannot be in a link (“${text[i]}” at ${i + 1})`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}

/** First byte of a stored (uncompressed) body: BTYPE 11, which no deflate-raw stream starts with. */
export const STORED_MARKER = 0x06;
/** Low three bits of a packed body's first byte: BTYPE 11 too, and bit 0 set unlike STORED_MARKER. */
export const PACKED_MARK = 0x07;
/** Only dumps this small try the packed form: it pays only where deflate has too little to work on. */
const TRY_PACKED_BELOW = 2_000;
/**
 * The longest packed body made or read. Real ones are a few kilobytes (they win only for dumps of a
 * few dozen areas); the bit-by-bit reader takes 1-2.5 s per MiB, so a hostile link cannot keep a
 * tab busy for more than about half a second.
 */
export const MAX_PACKED = 256 << 10;

/** Above this many areas only the plain form is tried: the others save nothing there (bench:share) and cost 4× the time. */
const TRY_FORMS_BELOW = 20_000;

/**
 * The body of a link or file: the shortest of deflate-raw(payload) and STORED_MARKER + payload,
 * over the payload with base-128 and with base-32 varints, and the packed body (dumps under
 * TRY_PACKED_BELOW areas), each with and without site alignment (raw mode); big dumps get
 * base-128 without alignment only.
 */
export async function encodeBody(model: Model, view: ShareView, options: ShareOptions): Promise<Uint8Array> {
  let best: Uint8Array | null = null;
  const raw = model.snapshot.pointerMode === 'raw';
  const small = model.snapshot.count < TRY_FORMS_BELOW;
  for (const aligned of raw && small ? [false, true] : [false]) {
    for (const varints of small ? (['base128', 'base32'] as const) : (['base128'] as const)) {
      const payload = encodePayload(model, view, options, { varints, aligned });
      const stored = new Uint8Array(payload.length + 1);
      stored[0] = STORED_MARKER;
      stored.set(payload, 1);
      for (const body of [await deflate(payload), stored]) if (!best || body.length < best.length) best = body;
    }
    if (model.snapshot.count < TRY_PACKED_BELOW) {
      const packed = encodePayload(model, view, options, { varints: 'bits', aligned });
      if (packed.length < best!.length && packed.length <= MAX_PACKED) best = packed;
    }
  }
  return withCheck(best!);
}

/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xffff, no reflection): it catches every
 * error burst of up to 16 bits, so every changed character of a link (6 bits), and all but 1 in
 * 65,536 of other damage.
 */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xff00) ^ CRC16_TABLE[(crc >> 8) ^ bytes[i]];
  return crc;
}

/** CRC16_TABLE[b]: the CRC-16 register after shifting the byte b through it from 0. */
const CRC16_TABLE = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let crc = b << 8;
  for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  CRC16_TABLE[b] = crc;
}

/** A body with its check: CRC-16 of the body, two bytes, most significant first. */
export function withCheck(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  const crc = crc16(body);
  out[body.length] = crc >> 8;
  out[body.length + 1] = crc & 0xff;
  return out;
}

/** The link text (the part after `#s=`) for a model and a view. */
export async function encodeShare(model: Model, view: ShareView, options: ShareOptions): Promise<string> {
  return toBase64Url(await encodeBody(model, view, options));
}

/**
 * A .vmscope file, for when a link would be too long: the 8 bytes "VMSCOPE\n" (FILE_MAGIC), then
 * the deflate-raw payload a link would carry in base64url.
 */
export const FILE_MAGIC = Uint8Array.from([0x56, 0x4d, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0a]);

export async function encodeShareFile(model: Model, view: ShareView, options: ShareOptions): Promise<Uint8Array> {
  const body = await encodeBody(model, view, options);
  const out = new Uint8Array(FILE_MAGIC.length + body.length);
  out.set(FILE_MAGIC);
  out.set(body, FILE_MAGIC.length);
  return out;
}

/** Whether bytes start like a .vmscope file. */
export function isShareFile(bytes: Uint8Array): boolean {
  return bytes.length >= FILE_MAGIC.length && FILE_MAGIC.every((b, k) => bytes[k] === b);
}

/** Decode a .vmscope file. */
export function decodeShareFile(bytes: Uint8Array): Promise<DecodedShare> {
  if (!isShareFile(bytes)) return Promise.reject(new Error('This is not a vmscope snapshot file (it does not start with “VMSCOPE”).'));
  return decodeShareBytes(bytes.subarray(FILE_MAGIC.length));
}

/**
 * The link text of a vmscope share link given on its own, as people paste or type one: the whole
 * URL or just its `#s=…` fragment, blanks around it allowed. Null for anything else.
 */
export function shareTextOf(input: string): string | null {
  const m = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/\S*)?#s=([A-Za-z0-9_-]+)\s*$/i.exec(input);
  return m ? m[1] : null;
}

/** Decode a link's text. Any problem is an Error whose message says what is wrong. */
export async function decodeShare(text: string): Promise<DecodedShare> {
  if (typeof text !== 'string' || text.length === 0) throw new Error('This share link is empty.');
  if (text.length > MAX_LINK_CHARS) throw tooBig();
  return decodeShareBytes(fromBase64Url(text.trim()));
}

/** Decode the compact binary encoding (the contents of a .vmscope file). */
export async function decodeShareBytes(bytes: Uint8Array): Promise<DecodedShare> {
  try {
    const n = bytes.length;
    if (n >= 3 && crc16(bytes.subarray(0, n - 2)) === ((bytes[n - 2] << 8) | bytes[n - 1])) {
      try {
        return await decodeBody(bytes.subarray(0, n - 2), SHARE_VERSION);
      } catch (err) {
        if (err instanceof Error && /more than \d+ MiB/.test(err.message)) throw err; // not inflated twice
        // One version-3 body in 65,536 ends in bytes that happen to match; it still reads as one.
        try {
          return await decodeBody(bytes, 3);
        } catch {
          throw err;
        }
      }
    }
    // No matching check: a version-3 link (made before links carried one), or damage.
    try {
      return await decodeBody(bytes, 3);
    } catch (err) {
      if (err instanceof Error && /format version|more than \d+ MiB/.test(err.message)) throw err;
      throw broken('it does not match its check (a character was changed, added or lost)');
    }
  } catch (err) {
    if (err instanceof Error) throw err;
    throw broken(String(err));
  }
}

/** A body without its check: stored, packed (version 4 only) or deflated, of the given version. */
async function decodeBody(body: Uint8Array, version: number): Promise<DecodedShare> {
  let decoded: DecodedShare;
  let payloadVersion: number;
  if (body[0] === STORED_MARKER) {
    if (body.length - 1 > MAX_PAYLOAD) throw tooBig();
    payloadVersion = body[1];
    decoded = decodePayload(body.subarray(1));
  } else if ((body[0] & 7) === PACKED_MARK && version >= 4) {
    if (body.length > MAX_PACKED) throw broken(`it is ${body.length} bytes of packed data, more than a link of that form ever holds (${MAX_PACKED})`);
    return decodePayload(body, true);
  } else {
    const payload = await inflate(body);
    payloadVersion = payload[0];
    decoded = decodePayload(payload);
  }
  if (payloadVersion !== version) throw broken(`its body says version ${payloadVersion} where version ${version} was expected`);
  return decoded;
}
