import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare, orderMoments, timeInName } from './files.ts';
import type { MomentFile } from './files.ts';
import { parseStamp } from './stamps.ts';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);
const T = utc(2026, 11, 30, 0, 40, 27);
const file = (name: string, mtime: number | null = null, stamp: string | null = null): MomentFile => ({ name, mtime, firstStamp: stamp === null ? null : parseStamp(stamp) });

describe('timeInName', () => {
  it.each([
    [`vmallocinfo-${T / 1000}.txt`, T],
    [`vmallocinfo-${T}.txt`, T],
    ['vmalloc.2026-11-30T0040.txt', utc(2026, 11, 30, 0, 40)],
    ['vmalloc.2026-11-30T00:40:27.txt', T],
    ['dump-2026-11-30_00-40-27.txt', T],
    ['dump-20261130-004027.txt', T],
    ['dump_20261130T004027Z.log', T],
    ['/var/tmp/vm/20261130.txt', utc(2026, 11, 30)],
    ['C:\\logs\\vmalloc 2026-11-30 00.40.27.txt', T],
  ])('reads the time written in %s', (name, ms) => {
    expect(timeInName(name)).toBe(ms);
  });

  it.each(['dump1', 'dump10.txt', 'host-6.18-hashed-date-Is.txt', 'x86_64-6.1.0-56-boot-raw.vmallocinfo', 'vmalloc-2026-13-01.txt', 'vmalloc-20260230.txt', 'id-123456789.txt', 'id-12345678901.txt'])(
    'finds no time in %s',
    (name) => {
      expect(timeInName(name)).toBeNull();
    },
  );
});

describe('orderMoments', () => {
  it('orders by the time in the names when every name has one, whatever the modification times say', () => {
    const files = [file(`vm-${T / 1000 + 120}.txt`, 1), file(`vm-${T / 1000}.txt`, 3), file(`vm-${T / 1000 + 60}.txt`, 2)];
    expect(orderMoments(files)).toEqual({ order: [1, 2, 0], times: [T, T + 60_000, T + 120_000], from: ['name', 'name', 'name'], how: 'Ordered by the time in their names.' });
  });

  it('orders by the stamp inside when a name has no time, rather than mixing sources', () => {
    const files = [file('b.txt', 10, '2026-11-30T00:41:27+00:00'), file(`vm-${T / 1000}.txt`, 20, 'Mon Nov 30 00:40:27 UTC 2026'), file('a.txt', 30, '1796000547')];
    const got = orderMoments(files);
    expect(got.order).toEqual([1, 0, 2]);
    expect(got.times).toEqual([T, T + 60_000, 1796000547000]);
    expect(got.from).toEqual(['stamp', 'stamp', 'stamp']);
    expect(got.how).toBe('Ordered by the stamp line inside each.');
  });

  it('orders by modification time when neither names nor contents have a time', () => {
    const got = orderMoments([file('x', 300_000), file('y', 100_000), file('z', 200_000)]);
    expect(got).toEqual({ order: [1, 2, 0], times: [100_000, 200_000, 300_000], from: ['mtime', 'mtime', 'mtime'], how: 'Ordered by their modification times.' });
  });

  it('does not order by modification times that are all the same (files copied or unpacked at once)', () => {
    const got = orderMoments([file('dump10', 5), file('dump2', 5), file('dump1', 5)]);
    expect(got.order).toEqual([2, 1, 0]);
    expect(got.times).toEqual([null, null, null]);
    expect(got.how).toBe('No time in their names, inside them or in their dates: ordered by the numbers in their names.');
  });

  it('mixes sources file by file only when no one source covers every file, and says so', () => {
    const files = [file('later', null, '2026-11-30T00:42:27Z'), file(`vm-${T / 1000}.txt`), file('none'), file('nothing')];
    const got = orderMoments(files);
    expect(got.order).toEqual([1, 0, 2, 3]);
    expect(got.from).toEqual(['name', 'stamp', null, null]);
    expect(got.times).toEqual([T, T + 120_000, null, null]);
    expect(got.how).toBe('Ordered by time: 1 by the time in its name, 1 by a stamp line inside; 2 without any time come last, by name.');
  });

  it('keeps names without numbers or times in the order given', () => {
    expect(orderMoments([file('b'), file('a'), file('c')]).order).toEqual([0, 1, 2]);
    expect(orderMoments([]).order).toEqual([]);
  });

  it('puts numbered names in natural order', () => {
    const names = ['dump10', 'dump2', 'dump1', 'dump002b', 'dump02a'];
    expect([...names].sort(naturalCompare)).toEqual(['dump1', 'dump2', 'dump02a', 'dump002b', 'dump10']);
  });

  it('always returns a permutation of the files with one time and source per moment', () => {
    const anyFile = fc.record({
      name: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('dump1', 'dump10', `vm-${T / 1000}.txt`, 'vm-20261130-004027.txt')),
      mtime: fc.option(fc.integer({ min: 0, max: 4e12 })),
      firstStamp: fc.option(fc.constantFrom('Mon Nov 30 00:40:27 UTC 2026', '--- x ---', '1796000547').map(parseStamp)),
    });
    fc.assert(
      fc.property(fc.array(anyFile, { maxLength: 12 }), (files) => {
        const got = orderMoments(files);
        expect([...got.order].sort((a, b) => a - b)).toEqual(files.map((_, i) => i));
        expect(got.times.length).toBe(files.length);
        expect(got.from.length).toBe(files.length);
        const timed = got.times.filter((t) => t !== null) as number[];
        expect(timed).toEqual([...timed].sort((a, b) => a - b));
        expect(got.how.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('modification times written at once', () => {
  it('are not taken for the moments’ times when they all lie within two seconds', () => {
    const files = ['dump-b', 'dump-a'].map((name, k) => ({ name, mtime: 1796017784162 + k * 4, firstStamp: null }));
    const o = orderMoments(files);
    expect(o.from).toEqual([null, null]);
    expect(o.times).toEqual([null, null]);
  });

  it('are taken when they are minutes apart', () => {
    const files = ['dump-b', 'dump-a'].map((name, k) => ({ name, mtime: 1796017784162 + k * 60_000, firstStamp: null }));
    const o = orderMoments(files);
    expect(o.order).toEqual([0, 1]);
    expect(o.from).toEqual(['mtime', 'mtime']);
  });
});
