// Exact 64-bit addresses as (hi, lo) unsigned 32-bit halves. A JS Number holds integers exactly
// only up to 2^53, and kernel addresses such as 0xffffc90000000000 need all 64 bits, so the model
// keeps halves in Uint32Arrays and converts to Number only after subtracting a base.

const TWO32 = 4294967296;

export function toBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function hiOf(value: bigint): number {
  return Number((value >> 32n) & 0xffffffffn);
}

export function loOf(value: bigint): number {
  return Number(value & 0xffffffffn);
}

/** Compare two addresses given as halves: negative, zero or positive. */
export function compare(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return aHi !== bHi ? aHi - bHi : aLo - bLo;
}

/**
 * b - a as a Number. Exact whenever the true difference is below 2^53 in magnitude (every real
 * vmalloc layout: the widest, x86_64 5-level, spans 2^54 only as a whole range, never between two
 * areas that a caller subtracts); beyond that it is the nearest double.
 */
export function diff(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return (bHi - aHi) * TWO32 + (bLo - aLo);
}

/** Zero-padded lowercase hex with the 0x prefix, as the kernel prints it. */
export function hex(hi: number, lo: number, digits = 16): string {
  const h = (hi >>> 0).toString(16).padStart(8, '0');
  const l = (lo >>> 0).toString(16).padStart(8, '0');
  return '0x' + (digits <= 8 && hi === 0 ? l : h + l);
}

export function hexBig(value: bigint, digits = 16): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}
