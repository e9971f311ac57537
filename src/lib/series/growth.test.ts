import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../testing/fixtures.ts';
import { extremes, lazyFreeEvents, whatGrew } from './growth.ts';
import type { GrowthGroup } from './growth.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

// The real series read with plain string splitting: a line that does not start with `0x` is a
// round's `date -Is` stamp; per round, column 2 summed by caller symbol (`unpurged` for the
// `unpurged vm_area` lines) and over all lines.
const text = gunzipSync(readFileSync(`${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`)).toString('utf8');
const times: number[] = [];
const byCaller: Map<string, number>[] = [];
const totals: number[] = [];
for (const line of text.split('\n')) {
  if (line === '') continue;
  if (!line.startsWith('0x')) {
    times.push(Date.parse(line));
    byCaller.push(new Map());
    totals.push(0);
    continue;
  }
  const cols = line.split(/\s+/);
  const caller = cols[2].split('+')[0];
  const m = byCaller[byCaller.length - 1];
  m.set(caller, (m.get(caller) ?? 0) + Number(cols[1]));
  totals[totals.length - 1] += Number(cols[1]);
}
const series = (caller: string) => Float64Array.from(byCaller, (m) => m.get(caller) ?? 0);
const last = times.length - 1;
const argmax = (v: ArrayLike<number>, from = 0, to = v.length - 1) => {
  let at = from;
  for (let k = from; k <= to; k++) if (v[k] > v[at]) at = k;
  return at;
};

describe('whatGrew on the real series (thread-stack bursts, lazily freed areas and a purge)', () => {
  const threads = series('kernel_clone');
  const unpurged = series('unpurged');
  const bpf = series('bpf_prog_alloc_no_stats');
  // A slow BPF JIT leak added to the real BPF bytes: two 8 KiB programs a round, but every fourth round none.
  const leaked = Float64Array.from(bpf, (b, k) => b + 16 * KiB * (k - Math.floor(k / 4)));
  const groups: GrowthGroup[] = [
    { key: 'kernel_clone', values: threads },
    { key: 'unpurged', values: unpurged, lazy: true },
    { key: 'bpf_prog_alloc_no_stats', values: bpf },
    { key: 'bpf leak', values: leaked },
  ];

  it('reads 30 rounds, with thread stacks that burst and return and one purge', () => {
    expect(times.length).toBe(30);
    expect(Math.max(...threads)).toBeGreaterThan(5 * threads[0]);
    expect(threads[last]).toBeLessThan(threads[0]);
  });

  it('calls the thread stacks a burst, not a leak, over the whole series and over its second burst', () => {
    const whole = whatGrew({ times, groups }, 0, last).find((g) => g.key === 'kernel_clone');
    expect(whole).toMatchObject({ start: threads[0], end: threads[last], net: threads[last] - threads[0], peak: Math.max(...threads), peakAt: argmax(threads), steps: last, verdict: 'burst' });
    let rose = 0;
    let fell = 0;
    for (let k = 1; k <= last; k++) {
      if (threads[k] > threads[k - 1]) rose++;
      else if (threads[k] < threads[k - 1]) fell++;
    }
    expect([whole?.stepsRose, whole?.stepsFell]).toEqual([rose, fell]);
    expect(Array.from(whole?.sparkline ?? [])).toEqual(Array.from(threads));
    expect(whatGrew({ times, groups }, 16, last).find((g) => g.key === 'kernel_clone')?.verdict).toBe('burst');
  });

  it('does not call the rise into a burst a leak: one step makes most of it', () => {
    const rise = whatGrew({ times, groups }, 0, 9).find((g) => g.key === 'kernel_clone');
    expect(rise?.verdict).toBe('grew');
    expect(rise?.net).toBe(threads[9] - threads[0]);
  });

  it('finds the slow leak added to the real BPF bytes, ranks it first and gives its rate per hour', () => {
    const ranked = whatGrew({ times, groups }, 0, last);
    expect(ranked[0].key).toBe('bpf leak');
    expect(ranked[0].verdict).toBe('possible-leak');
    expect(ranked[0].net).toBe(leaked[last] - leaked[0]);
    expect(ranked[0].perHour).toBeCloseTo((leaked[last] - leaked[0]) / ((times[last] - times[0]) / 3_600_000), 6);
    expect(ranked.map((g) => g.net)).toEqual([...ranked.map((g) => g.net)].sort((a, b) => b - a));
    expect(ranked.find((g) => g.key === 'bpf_prog_alloc_no_stats')?.verdict).toBe('steady');
  });

  it('does not call lazily freed areas piling up before a purge a leak, though they have its shape', () => {
    const lazy = whatGrew({ times, groups }, 0, 15).find((g) => g.key === 'unpurged');
    expect(lazy?.verdict).toBe('grew');
    expect(whatGrew({ times, groups: [{ key: 'unpurged', values: unpurged }] }, 0, 15)[0].verdict).toBe('possible-leak');
  });

  it('finds the purge and the build-ups where the text shows them', () => {
    const drops = [];
    for (let k = 1; k <= last; k++) if (unpurged[k - 1] - unpurged[k] > unpurged[k - 1] / 2) drops.push(k);
    expect(drops).toEqual([16]);
    const events = lazyFreeEvents(unpurged);
    expect(events.purges).toEqual([{ at: 16, bytes: unpurged[15] - unpurged[16] }]);
    expect(events.purges[0].bytes).toBeGreaterThan(30 * MiB);
    const top1 = argmax(unpurged, 0, 15);
    const top2 = argmax(unpurged, 16, last);
    expect(events.buildUps).toEqual([
      { from: 0, to: top1, bytes: unpurged[top1] - unpurged[0] },
      { from: 16, to: top2, bytes: unpurged[top2] - unpurged[16] },
    ]);
  });

  it('finds the moment with the most bytes', () => {
    expect(extremes(Float64Array.from(totals), times.map(() => null))).toEqual({ mostBytesAt: argmax(totals), smallestHoleAt: null });
  });
});

describe('whatGrew', () => {
  const steps = (...mib: number[]) => Float64Array.from(mib, (m) => m * MiB);
  const verdictOf = (values: Float64Array, lazy = false) => whatGrew({ times: [], groups: [{ key: 'g', values, lazy }] }, 0, values.length - 1)[0].verdict;

  it('gives each shape its verdict', () => {
    expect(verdictOf(steps(10, 11, 12, 12, 13, 14, 15))).toBe('possible-leak');
    expect(verdictOf(steps(10, 11, 12, 12, 13, 14, 15), true)).toBe('grew');
    expect(verdictOf(steps(10, 10, 40, 40, 11, 10))).toBe('burst');
    expect(verdictOf(steps(10, 10, 30, 30, 30, 30))).toBe('grew');
    expect(verdictOf(steps(10, 11, 12, 7, 13, 14, 15))).toBe('grew'); // fell back below where it was
    expect(verdictOf(steps(30, 29, 25, 20, 20))).toBe('shrank');
    expect(verdictOf(steps(10, 10.01, 10, 10.02, 10.01))).toBe('steady');
    expect(verdictOf(steps(10))).toBeNull();
  });

  it('gives a rate only between two moments with times', () => {
    const values = steps(1, 2, 3);
    expect(whatGrew({ times: [0, null, 2 * 3_600_000], groups: [{ key: 'g', values }] }, 0, 2)[0].perHour).toBe(MiB);
    expect(whatGrew({ times: [0, 1, null], groups: [{ key: 'g', values }] }, 0, 2)[0].perHour).toBeNull();
    expect(whatGrew({ times: [], groups: [{ key: 'g', values }] }, 0, 2)[0].perHour).toBeNull();
  });

  it('clamps the range to the moments there are, and reads it either way round', () => {
    const values = steps(1, 2, 3, 4);
    const g = whatGrew({ times: [], groups: [{ key: 'g', values }] }, 3, -5)[0];
    expect([g.start, g.end, g.steps, g.sparkline.length]).toEqual([MiB, 4 * MiB, 3, 4]);
  });

  it('never throws, and its counts always add up, on any values and range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 20 }), { maxLength: 5 }),
        fc.integer({ min: -3, max: 25 }),
        fc.integer({ min: -3, max: 25 }),
        (rows, from, to) => {
          const groups = rows.map((r, k) => ({ key: `g${k}`, values: Float64Array.from(r) }));
          const out = whatGrew({ times: [], groups }, from, to);
          expect(out.length).toBe(groups.length);
          for (const g of out) {
            expect(g.stepsRose + g.stepsFell).toBeLessThanOrEqual(g.steps);
            expect(g.sparkline.length).toBe(g.steps + 1);
            expect(g.peak).toBe(Math.max(...g.sparkline));
            expect(g.net).toBe(g.end - g.start);
          }
          for (let k = 1; k < out.length; k++) expect(out[k - 1].net).toBeGreaterThanOrEqual(out[k].net);
          lazyFreeEvents(Float64Array.from(rows[0] ?? []));
        },
      ),
    );
  });
});

describe('lazyFreeEvents and extremes', () => {
  it('finds build-ups and purges in a saw-tooth, and ignores small wobbles', () => {
    const v = Float64Array.from([5, 20, 35, 40, 3, 10, 30, 29.5, 2, 2.5].map((m) => m * MiB));
    expect(lazyFreeEvents(v)).toEqual({
      buildUps: [{ from: 0, to: 3, bytes: 35 * MiB }, { from: 4, to: 6, bytes: 27 * MiB }],
      purges: [{ at: 4, bytes: 37 * MiB }, { at: 8, bytes: 27.5 * MiB }],
    });
    expect(lazyFreeEvents(new Float64Array(0))).toEqual({ buildUps: [], purges: [] });
  });

  it('finds the moment with the smallest largest hole, skipping moments without one', () => {
    expect(extremes(Float64Array.from([3, 9, 9, 1]), [null, 8 * MiB, 2 * MiB, 2 * MiB])).toEqual({ mostBytesAt: 1, smallestHoleAt: 2 });
    expect(extremes(new Float64Array(0), [])).toEqual({ mostBytesAt: null, smallestHoleAt: null });
  });
});

describe('a rate from ends a moment apart', () => {
  it('is not given when the ends are under a second apart', () => {
    const values = Float64Array.of(0, 4 << 20);
    const [g] = whatGrew({ times: [1000, 1004], groups: [{ key: 'x', values }] }, 0, 1);
    expect(g.net).toBe(4 << 20);
    expect(g.perHour).toBeNull();
    const [h] = whatGrew({ times: [0, 3_600_000], groups: [{ key: 'x', values }] }, 0, 1);
    expect(h.perHour).toBe(4 << 20);
  });
});
