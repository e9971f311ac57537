import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { dumpArb, printDump } from '../testing/generate.ts';
import { fixture } from '../testing/fixtures.ts';
import { packModel, unpackModel } from '../transfer.ts';
import { binColumns } from './bins.ts';
import { ticks } from './ticks.ts';
import { buildTrack, hitTest, toAddress, toDisplay, visibleRange } from './track.ts';

const modelOf = (text: string) => buildModel(parse(text));
const collapseArb = fc.record({ collapse: fc.boolean(), threshold: fc.constantFrom(4096, 65536, 1 << 22) });

describe('the address track', () => {
  it('places areas in address order without overlap, and maps addresses and positions both ways', () => {
    fc.assert(
      fc.property(dumpArb, collapseArb, ({ shuffled }, options) => {
        const m = modelOf(printDump(shuffled));
        const t = buildTrack(m, options);
        for (let k = 0; k < t.seq.length; k++) {
          const a = m.snapshot.area(t.seq[k]);
          if (k > 0) expect(t.pos[k]).toBeGreaterThanOrEqual(t.pos[k - 1] + t.len[k - 1]);
          expect(toDisplay(t, a.start!)).toBe(t.pos[k]);
          expect(toAddress(t, t.pos[k])).toBe(a.start);
          expect(toAddress(t, t.pos[k] + t.len[k] / 2)).toBe(a.start! + BigInt(Math.floor(a.size / 2)));
          expect(hitTest(t, t.pos[k] + t.len[k] / 2)).toMatchObject({ type: 'area', k, index: t.seq[k] });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every byte in linear mode and hides exactly the collapsed holes in collapsed mode', () => {
    fc.assert(
      fc.property(dumpArb, fc.constantFrom(4096, 65536), ({ areas }, threshold) => {
        const m = modelOf(printDump(areas));
        const linear = buildTrack(m, { collapse: false });
        // The track spans the areas and the detected layout's regions.
        const last = areas[areas.length - 1];
        let from = areas[0].start;
        let to = last.start + BigInt(last.size);
        for (const r of m.layout?.regions ?? []) {
          if (r.start < from) from = r.start;
          if (r.end > to) to = r.end;
        }
        expect(BigInt(linear.total)).toBe(to - from);
        const collapsed = buildTrack(m, { collapse: true, threshold });
        const hidden = collapsed.breaks.reduce((s, b) => s + b.bytes - b.width, 0);
        expect(collapsed.total).toBe(linear.total - hidden);
        for (const b of collapsed.breaks) {
          expect(b.bytes).toBeGreaterThan(threshold);
          expect(Number(b.end! - b.start!)).toBe(b.bytes);
          expect(hitTest(collapsed, b.at + b.width / 2)).toMatchObject({ type: 'break' });
        }
        // Breaks: the holes between areas, and before the first / after the last area up to the regions' edges.
        const edges = [Number(areas[0].start - from), Number(to - (last.start + BigInt(last.size)))];
        const holes = [...m.gapAfter, ...edges].filter((g) => g > threshold).length;
        expect(collapsed.breaks.length).toBe(holes);
      }),
      { numRuns: 200 },
    );
  });

  it('finds exactly the areas that overlap a display interval', () => {
    fc.assert(
      fc.property(dumpArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ({ areas }, u, v) => {
        const t = buildTrack(modelOf(printDump(areas)), { collapse: false });
        const d0 = Math.min(u, v) * t.total;
        const d1 = Math.max(u, v) * t.total + 1;
        const [k0, k1] = visibleRange(t, d0, d1);
        for (let k = 0; k < t.seq.length; k++) {
          const overlaps = t.pos[k] < d1 && t.pos[k] + t.len[k] > d0;
          expect(k >= k0 && k < k1).toBe(overlaps);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spans the whole detected vmalloc range and module area of a real x86_64 dump', () => {
    const m = modelOf(fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'));
    const t = buildTrack(m, { collapse: false });
    expect(t.base).toBe(0xffffd17d80000000n);
    expect(toAddress(t, t.total)).toBe(0xffffffffff000000n);
    expect(t.regions.map((r) => r.id)).toEqual(['vmalloc', 'modules']);
    expect(t.regions[0]).toMatchObject({ from: 0, to: 32 * 2 ** 40 });
  });

  it('reports the free stretch after the last module area, up to the end of the module region, as a hole', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const t = buildTrack(modelOf(text), { collapse: false });
    const lastEnd = text
      .split('\n')
      .filter((l) => l.startsWith('0x'))
      .map((l) => BigInt('0x' + l.split(/[-\s]/)[1].slice(2)))
      .reduce((a, b) => (a > b ? a : b));
    const hit = hitTest(t, t.total - 1);
    expect(hit).toMatchObject({ type: 'hole', start: lastEnd, end: 0xffffffffff000000n, to: t.total });
    expect(hit?.type === 'hole' && hit.bytes).toBe(Number(0xffffffffff000000n - lastEnd));
  });

  it('collapses the empty TiBs of a real dump into a few breaks that keep their true size', () => {
    const m = modelOf(fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'));
    const linear = buildTrack(m, { collapse: false });
    const t = buildTrack(m, { collapse: true });
    expect(t.total).toBeLessThan(linear.total / 1000);
    expect(t.breaks.reduce((s, b) => s + b.bytes, 0) + m.totals.all.bytes).toBeLessThanOrEqual(linear.total);
    const hole = hitTest(t, t.breaks[0].at + 1);
    expect(hole).toMatchObject({ type: 'break' });
  });
});

describe('the packed track (no real addresses)', () => {
  it('packs areas back to back, keeps hashed chains together and marks the unknown gaps', () => {
    const m = modelOf(fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo'));
    const t = buildTrack(m, { collapse: true });
    expect(t.exact).toBe(false);
    expect(t.total).toBe(m.totals.all.bytes);
    expect([...t.seq].sort((a, b) => a - b)).toEqual([...Array(m.snapshot.count).keys()]);
    for (let k = 0; k + 1 < t.seq.length; k++) {
      const chained = m.chainNext[t.seq[k]] === t.seq[k + 1];
      const marked = t.breaks.some((b) => b.after === k);
      expect(marked).toBe(!chained);
    }
    expect(toAddress(t, 10)).toBeNull();
  });
});

describe('ticks', () => {
  it('label exact addresses at power-of-two steps, in order, at least the minimum gap apart', () => {
    fc.assert(
      fc.property(dumpArb, fc.boolean(), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer({ min: 200, max: 3000 }), ({ areas }, collapse, u, width) => {
        const t = buildTrack(modelOf(printDump(areas)), { collapse, threshold: 65536 });
        const d0 = u * t.total;
        const d1 = t.total;
        const out = ticks(t, d0, d1, width, 100);
        for (let i = 0; i < out.length; i++) {
          expect(BigInt(out[i].label)).toBe(out[i].address);
          // Within a byte: addresses are whole bytes, display positions need not be.
          expect(out[i].d).toBeGreaterThanOrEqual(d0 - 1);
          expect(out[i].d).toBeLessThanOrEqual(d1 + 1);
          if (i > 0) expect(out[i].address! > out[i - 1].address!).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('count bytes from the start of a packed track', () => {
    const t = buildTrack(modelOf(fixture('kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo')), { collapse: false });
    const out = ticks(t, 0, t.total, 1000);
    expect(out[0].label).toBe('0');
    expect(out[1].label).toMatch(/^\+\d+(\.\d+)? [KMG]iB$/);
  });
});

describe('level-of-detail bins', () => {
  it('account for every visible byte once', () => {
    fc.assert(
      fc.property(dumpArb, fc.integer({ min: 1, max: 500 }), ({ areas }, columns) => {
        const m = modelOf(printDump(areas));
        const t = buildTrack(m, { collapse: false });
        const bins = binColumns(t, 0, t.total, columns, (i) => m.snapshot.columns.kind[i], 8);
        const covered = bins.cover.reduce((s, c) => s + c, 0) * (t.total / columns);
        // cover is Float32: relative precision about 1e-7 per column. And an area's edges are
        // Numbers at its place on a track up to 2^47 bytes long, exact to a few ulps of the track's
        // length there (1/64 byte at 128 TiB): a 24 KiB area at the far end of a 128 TiB track
        // came out 0.03 byte off, which no pixel shows.
        expect(Math.abs(covered - m.totals.all.bytes)).toBeLessThanOrEqual(m.totals.all.bytes * 1e-6 + 8 * Number.EPSILON * t.total);
        expect(bins.areas).toBe(areas.length);
        for (let c = 0; c < columns; c++) expect(bins.key[c] === -1).toBe(bins.cover[c] === 0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('moving a model to another thread', () => {
  it('survives structured clone with every area and total intact', () => {
    const m = modelOf(fixture('kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo'));
    const before = [...m.snapshot.areas()];
    const totals = m.totals;
    const { packed } = packModel(m);
    const back = unpackModel(structuredClone(packed));
    expect([...back.snapshot.areas()]).toEqual(before);
    expect(back.totals).toEqual(totals);
    expect(back.layout).toEqual(m.layout);
    expect([...back.order]).toEqual([...m.order]);
  });
});
