// The base address (docs/share-format.md, "Base"), present when a raw dump's link keeps absolute
// addresses: version 4 codes it from the nearest of REFERENCE_BASES, then its low 12 bits.

import type { Reader, Writer } from '../bits.ts';
import { U64, broken, signed64, unzigzag, zigzagOf } from '../bits.ts';
import { REFERENCE_BASES } from '../format.ts';
import type { Dialect } from '../format.ts';

/**
 * Version 4's code for the base's pages: v = 0 as varint 0; else with v = m · 2^e, m odd,
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

export function writeBase(w: Writer, base: bigint): void {
  const b = signed64(base);
  let ref = 0;
  const distance = (k: number) => (b - signed64(REFERENCE_BASES[k]) < 0n ? signed64(REFERENCE_BASES[k]) - b : b - signed64(REFERENCE_BASES[k]));
  for (let k = 1; k < REFERENCE_BASES.length; k++) if (distance(k) < distance(ref)) ref = k;
  w.uint(ref);
  writeAligned(w, zigzagOf((b - signed64(REFERENCE_BASES[ref])) >> 12n));
  w.uint(Number(base & 0xfffn));
}

/** Version 4: the reference, then the aligned code of the pages from it. */
export function baseHighV4(r: Reader): bigint {
  const ref = signed64(REFERENCE_BASES[r.uint('the base reference', REFERENCE_BASES.length - 1)]);
  return ref + (unzigzag(readAligned(r, 'the base address')) << 12n);
}

export function readBase(r: Reader, dialect: Dialect): bigint {
  const signed = dialect.baseHigh(r) + BigInt(r.uint('the base address', 0xfff));
  if (signed < -(1n << 63n) || signed >= 1n << 63n) throw broken('the base address is out of range');
  return signed < 0n ? signed + (1n << 64n) : signed;
}
