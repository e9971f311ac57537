import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, diff, hex, hexBig, hiOf, loOf, toBigInt } from './addr.ts';

// Exact 64-bit addresses as unsigned 32-bit halves, checked against BigInt.

describe('64-bit addresses as halves', () => {
  it('splits 0xffffffffffffe000 into halves and joins it back exactly', () => {
    expect([hiOf(0xffffffffffffe000n), loOf(0xffffffffffffe000n)]).toEqual([0xffffffff, 0xffffe000]);
    expect(toBigInt(0xffffffff, 0xffffe000)).toBe(0xffffffffffffe000n);
    expect(hex(0xffffffff, 0xffffe000)).toBe('0xffffffffffffe000');
  });

  it('prints zero-padded lowercase hex as the kernel does', () => {
    expect(hexBig(0xfed00000n)).toBe('0x00000000fed00000');
    expect(hexBig(0xf7c00000n, 8)).toBe('0xf7c00000');
    expect(hex(0, 0xf7c00000, 8)).toBe('0xf7c00000');
    expect(hex(0xffffd17d, 0x80000000)).toBe('0xffffd17d80000000');
  });

  it('subtracts across the 32-bit boundary of the low half', () => {
    // 0xffffd17d80000000 .. 0xffffd17e00001000: a borrow from the high half.
    expect(diff(0xffffd17d, 0x80000000, 0xffffd17e, 0x00001000)).toBe(0x80001000);
    expect(diff(0xffffd17e, 0x00001000, 0xffffd17d, 0x80000000)).toBe(-0x80001000);
    expect(Math.sign(compare(0xffffd17d, 0xffffffff, 0xffffd17e, 0))).toBe(-1);
  });
});

describe('64-bit address halves, for any address', () => {
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

  it('round-trip through hi/lo and hex', () => {
    fc.assert(
      fc.property(u64, (v) => {
        expect(toBigInt(hiOf(v), loOf(v))).toBe(v);
        expect(hex(hiOf(v), loOf(v))).toBe(hexBig(v));
        expect(hexBig(v)).toMatch(/^0x[0-9a-f]{16}$/);
        expect(BigInt(hexBig(v))).toBe(v);
      }),
    );
  });

  it('print 32-bit addresses with 8 digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (v) => {
        expect(hex(0, loOf(v), 8)).toBe(hexBig(v, 8));
        expect(hexBig(v, 8)).toMatch(/^0x[0-9a-f]{8}$/);
      }),
    );
  });

  it('compare like BigInt', () => {
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        expect(Math.sign(compare(hiOf(a), loOf(a), hiOf(b), loOf(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('subtract exactly below 2^53, and to the nearest double beyond', () => {
    fc.assert(
      fc.property(u64, fc.bigInt({ min: -((1n << 53n) - 1n), max: (1n << 53n) - 1n }), (a, d) => {
        const b = a + d >= 0n && a + d < 1n << 64n ? a + d : a - d;
        expect(diff(hiOf(a), loOf(a), hiOf(b), loOf(b))).toBe(Number(b - a));
      }),
    );
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        expect(diff(hiOf(a), loOf(a), hiOf(b), loOf(b))).toBe(Number(b - a));
      }),
    );
  });
});
