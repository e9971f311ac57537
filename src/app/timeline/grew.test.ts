import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { largestEvents, perHourText, purgeText, rangeOf, sparkPoints, whatGrewOf } from './grew.ts';
import { handStats, rounds, seriesText } from '../../lib/testing/handStats.ts';

const text = seriesText();
const stats = handStats(text);
const rs = rounds(text);
/** Lazily freed bytes of round k, from its "unpurged vm_area" lines. */
const unpurged = (k: number) => rs[k].text.split('\n').filter((l) => /\sunpurged vm_area$/.test(l.trim())).reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);

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

describe('what grew over a range of the real series', () => {
  it('ranks first the caller that rose most from the range’s first round to its last, summed from the text', () => {
    const [a, b] = [0, 10];
    const grew = whatGrewOf(stats, a, b);
    const sum = (k: number, name: string) => rs[k].text.split('\n').filter((l) => l.startsWith('0x') && l.trim().split(/\s+/)[2]?.split('+')[0] === name).reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0);
    const top = grew.by.caller[0];
    expect(top.net).toBe(sum(b, top.key) - sum(a, top.key));
    for (const g of grew.by.caller.slice(1)) expect(g.net).toBeLessThanOrEqual(top.net);
    expect(top.net).toBeGreaterThan(0);
  });

  it('places purges at the series’ own moments, not the range’s: where half or more of the lazily freed bytes went at once', () => {
    const from = 10;
    const grew = whatGrewOf(stats, from, rs.length - 1);
    const expected: number[] = [];
    for (let k = from + 1; k < rs.length; k++) {
      const drop = unpurged(k - 1) - unpurged(k);
      if (drop >= 1024 * 1024 && drop >= unpurged(k - 1) / 2) expected.push(k);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(grew.lazy.purges.map((p) => p.at)).toEqual(expected);
    for (const p of grew.lazy.purges) expect(p.bytes).toBe(unpurged(p.at - 1) - unpurged(p.at));
  });

  it('finds the moment with the most bytes inside the range', () => {
    const [a, b] = [16, 29];
    const bytes = (k: number) => rs[k].text.split('\n').filter((l) => l.startsWith('0x')).reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0);
    let most = a;
    for (let k = a; k <= b; k++) if (bytes(k) > bytes(most)) most = k;
    expect(whatGrewOf(stats, a, b).extremes.mostBytesAt).toBe(most);
  });
});
