import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { largestEvents, perHourText, purgeText, rangeOf, sparkPoints } from './grew.ts';

describe('the What grew panel’s words', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'UTC';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('calls a purge by its moment and what it freed', () => {
    const times = [Date.parse('2026-11-30T01:00:16Z'), Date.parse('2026-11-30T01:00:20Z')];
    expect(purgeText(times, { at: 1, bytes: 38.2 * 1024 * 1024 })).toBe('purge at 01:00:20 freed 38.2 MiB');
  });

  it('writes a rate per hour with its sign, and a dash without times', () => {
    expect(perHourText(1.5 * 1024 * 1024)).toBe('+1.50 MiB/h');
    expect(perHourText(-2048)).toBe('−2 KiB/h');
    expect(perHourText(null)).toBe('—');
  });
});

describe('the range the panel covers', () => {
  it('is the range dragged, in order, else the whole series', () => {
    expect(rangeOf(30, null)).toEqual([0, 29]);
    expect(rangeOf(30, [20, 4])).toEqual([4, 20]);
  });
});

describe('the lazy-free events named one by one', () => {
  it('names the three largest in time order and sums the rest', () => {
    const purges = [10, 50, 20, 40, 30].map((bytes, at) => ({ at, bytes }));
    const { shown, more, moreBytes } = largestEvents(purges, (p) => p.at);
    expect(shown.map((p) => p.at)).toEqual([1, 3, 4]);
    expect([more, moreBytes]).toEqual([2, 30]);
  });
});

describe('the sparkline', () => {
  it('keeps every value when they fit, and the lowest and highest of the range when they do not', () => {
    expect(sparkPoints([1, 2, 3, 4, 5], 1, 3)).toEqual([2, 3, 4]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 2, maxLength: 500 }), (values) => {
        const points = sparkPoints(values, 0, values.length - 1, 20);
        expect(points.length).toBeLessThanOrEqual(Math.max(20, values.length));
        expect(Math.max(...points)).toBe(Math.max(...values));
        expect(Math.min(...points)).toBe(Math.min(...values));
      }),
    );
  });
});
