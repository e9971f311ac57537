import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound } from './lowerBound.ts';

// Checked against a plain scan from the left: the first index where the predicate stops holding.
const firstNotBefore = (length: number, before: (j: number) => boolean) => {
  let j = 0;
  while (j < length && before(j)) j++;
  return j;
};

describe('lowerBound', () => {
  it('finds the first entry at or above a value, and the first one above it', () => {
    const a = [2, 4, 4, 4, 9];
    expect(lowerBound(a.length, (j) => a[j] < 4)).toBe(1);
    expect(lowerBound(a.length, (j) => a[j] <= 4)).toBe(4);
    expect(lowerBound(a.length, (j) => a[j] < 1)).toBe(0);
    expect(lowerBound(a.length, (j) => a[j] < 10)).toBe(5);
  });

  it('gives 0 on an empty range without asking the predicate', () => {
    expect(lowerBound(0, () => {
      throw new Error('asked');
    })).toBe(0);
  });

  it('agrees with a scan from the left on any sorted array and value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 60 }), fc.integer({ min: -60, max: 60 }), (xs, x) => {
        const a = [...xs].sort((p, q) => p - q);
        expect(lowerBound(a.length, (j) => a[j] < x)).toBe(firstNotBefore(a.length, (j) => a[j] < x));
        expect(lowerBound(a.length, (j) => a[j] <= x)).toBe(firstNotBefore(a.length, (j) => a[j] <= x));
      }),
    );
  });

  it('asks the predicate only about indices inside the range, about log2(length) times', () => {
    const asked: number[] = [];
    const n = 1_000_000;
    lowerBound(n, (j) => (asked.push(j), j < 123_456));
    expect(asked.every((j) => j >= 0 && j < n)).toBe(true);
    expect(asked.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)));
  });
});
