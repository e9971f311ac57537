// Sections 3, 4 and 5 (docs/share-format.md): sizes, ends (raw lines whose end is not start +
// size) and starts (raw mode), with the site alignments that let aligned areas after a hole cost
// nothing.

import type { AreaColumns } from '../../parse/snapshot.ts';
import { PAGE_SIZE } from '../../types.ts';
import type { Reader, Writer } from '../bits.ts';
import { U64, broken } from '../bits.ts';
import { ALIGN_CHOSEN, PAGE, alignedUp, readExceptions, writeExceptions } from '../format.ts';
import type { EncodeContext } from './context.ts';
import type { Site } from './sites.ts';

/**
 * Raw mode: per site the largest 2^j units, j ≤ ALIGN_CHOSEN (0 without alignments), dividing
 * start − base for every area of the site. Empty in other modes.
 */
export function siteAlignments(ctx: EncodeContext, areaSite: Site[]): Map<Site, number> {
  const siteAlign = new Map<Site, number>();
  if (!ctx.raw) return siteAlign;
  const unit = ctx.pageUnits ? PAGE : 1n;
  for (let k = 0; k < ctx.n; k++) {
    const off = ctx.starts[k] - ctx.base;
    let j = siteAlign.get(areaSite[k]) ?? (ctx.aligned ? ALIGN_CHOSEN : 0);
    while (j > 0 && off % (unit << BigInt(j)) !== 0n) j--;
    siteAlign.set(areaSite[k], j);
  }
  return siteAlign;
}

/** Section 3: page counts (0 = as the site's previous area), then the sizes that are not whole pages. */
export function writeSizes(w: Writer, ctx: EncodeContext, areaSite: Site[], siteCount: number): void {
  const lastSize = new Float64Array(siteCount).fill(-1);
  const remainders: Array<[number, number]> = [];
  for (let k = 0; k < ctx.n; k++) {
    const size = ctx.c.size[ctx.order[k]];
    const pages = Math.floor(size / PAGE_SIZE);
    const t = areaSite[k].id;
    w.uint(lastSize[t] === pages ? 0 : pages + 1);
    lastSize[t] = pages;
    if (size % PAGE_SIZE) remainders.push([k, size % PAGE_SIZE]);
  }
  writeExceptions(w, remainders, (w, v) => w.uint(v));
}

export function readSizes(r: Reader, n: number, areaSite: Uint32Array, siteCount: number, columns: AreaColumns): void {
  const lastSize = new Float64Array(siteCount).fill(-1);
  for (let i = 0; i < n; i++) {
    // ⌊size / 4096⌋ + 1: up to 2^41 for sizes up to 2^53 − 1
    const code = r.uint('a size', Math.floor(Number.MAX_SAFE_INTEGER / PAGE_SIZE) + 1);
    const t = areaSite[i];
    if (code === 0 && lastSize[t] < 0) throw broken('a size refers to nothing');
    const pages = code === 0 ? lastSize[t] : code - 1;
    lastSize[t] = pages;
    columns.size[i] = pages * PAGE_SIZE;
  }
  readExceptions(r, n, 'a size exception', (i) => {
    columns.size[i] += r.uint('a size remainder', PAGE_SIZE - 1);
  });
}

/** Section 4: raw lines whose end is not start + size (none in other modes). */
export function writeEnds(w: Writer, ctx: EncodeContext): void {
  const odd: Array<[number, bigint]> = [];
  if (ctx.raw) {
    for (let k = 0; k < ctx.n; k++) {
      // modulo 2^64 as a signed value, so that an end far from start + size still fits
      const d = BigInt.asIntN(64, ctx.ends[k] - ctx.starts[k] - BigInt(ctx.c.size[ctx.order[k]]));
      if (d !== 0n) odd.push([k, d]);
    }
  }
  writeExceptions(w, odd, (w, v) => w.zigzagBig(v));
}

/** End − start − size by area, where it is not 0 (n: the area count in raw mode, else 0). */
export function readEnds(r: Reader, n: number): Map<number, bigint> {
  const endDelta = new Map<number, bigint>();
  // An end's offset from start + size is taken modulo 2^64 (the encoder writes it as a signed 64-bit value).
  readExceptions(r, n, 'an end exception', (i) => endDelta.set(i, r.zigzagBig('an end offset')));
  return endDelta;
}

/** Section 5 (raw mode): each start from the previous area's end, in units or in alignment steps. */
export function writeStarts(w: Writer, ctx: EncodeContext, areaSite: Site[], siteAlign: Map<Site, number>): void {
  if (!ctx.raw) return;
  const { base, starts, pageUnits } = ctx;
  const unit = pageUnits ? PAGE : 1n;
  let prev = base;
  for (let k = 0; k < ctx.n; k++) {
    const j = siteAlign.get(areaSite[k])!;
    // In bytes a gap can pass 2^63 (an area at 0x1000, the next at the top): modulo 2^64, signed.
    if (j === 0) w.zigzagBig(pageUnits ? (starts[k] - prev) / unit : BigInt.asIntN(64, starts[k] - prev));
    else w.zigzagBig(((starts[k] - base) / unit - alignedUp(prev - base, unit, j)) >> BigInt(j));
    prev = starts[k] + BigInt(ctx.c.size[ctx.order[k]]);
  }
}

/** Raw mode: the starts, and the ends from them, into the columns. */
export function readStarts(
  r: Reader,
  n: number,
  base: bigint,
  pageUnits: boolean,
  align: Uint8Array,
  areaSite: Uint32Array,
  endDelta: Map<number, bigint>,
  columns: AreaColumns,
): void {
  const setAddr = (hi: Uint32Array, lo: Uint32Array, i: number, v: bigint) => {
    if (v < 0n || v > U64) throw broken('an area lies outside the address space');
    hi[i] = Number(v >> 32n);
    lo[i] = Number(v & 0xffffffffn);
  };
  let at = base;
  const unit = pageUnits ? PAGE : 1n;
  for (let i = 0; i < n; i++) {
    const d = r.zigzagBig('a start address');
    const j = align[areaSite[i]];
    // A gap in bytes is taken modulo 2^64, as the encoder writes it (a signed 64-bit value).
    const start = j > 0 ? base + (alignedUp(at - base, unit, j) + (d << BigInt(j))) * unit : pageUnits ? at + d * unit : BigInt.asUintN(64, at + d);
    const size = BigInt(columns.size[i]);
    setAddr(columns.startHi, columns.startLo, i, start);
    setAddr(columns.endHi, columns.endLo, i, BigInt.asUintN(64, start + size + (endDelta.get(i) ?? 0n)));
    at = start + size;
  }
}
