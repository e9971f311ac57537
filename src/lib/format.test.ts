import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from './format.ts';

describe('formatCount', () => {
  it('prints every number as toLocaleString en-US prints it rounded', () => {
    const same = (n: number): void => {
      expect(formatCount(n)).toBe(Math.round(n).toLocaleString('en-US'));
    };
    for (const n of [0, -0, -0.4, 0.5, 999, 1000, -1000, 1234567, 2 ** 53, -(2 ** 53) - 2, 1e21, 9.99e20, NaN, Infinity, -Infinity]) same(n);
    fc.assert(fc.property(fc.double(), (n) => same(n)), { numRuns: 5000 });
    fc.assert(fc.property(fc.integer(), (n) => same(n)), { numRuns: 5000 });
  });
});
