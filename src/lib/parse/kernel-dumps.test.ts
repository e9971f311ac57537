import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from './scanner.ts';
import { buildModel } from '../model/model.ts';
import { summarize } from '../summary.ts';
import { AREA_KINDS } from '../types.ts';
import type { Tally } from '../types.ts';
import { SAMPLES_DIR, byBigInt, fixtures, modeFromName, readIndependently } from '../testing/fixtures.ts';

// One test per real capture and question: every figure is computed from the file by plain string
// splitting and BigInt arithmetic (src/lib/testing/fixtures.ts), never by the scanner.

const all = fixtures();

describe('the sample directory', () => {
  it('holds every real capture and every seed, so the tests below run over all of them', () => {
    const listed = ['kernels', 'seeds'].flatMap((dir) =>
      readdirSync(SAMPLES_DIR + dir)
        .filter((name) => name.endsWith('.vmallocinfo'))
        .map((name) => `${dir}/${name}`),
    );
    expect(all.map((f) => f.path).sort()).toEqual(listed.sort());
    expect(all.filter((f) => f.path.startsWith('kernels/')).length).toBeGreaterThanOrEqual(12);
    expect(all.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'seeds/x86_64-copied-from-web.vmallocinfo',
        'seeds/ptrval-masked.vmallocinfo',
        'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo',
        'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo',
      ]),
    );
  });
});

const tallies = (map: Map<string, Tally> | Record<string, Tally>) =>
  Object.fromEntries(map instanceof Map ? [...map] : Object.entries(map));

describe.each(all.map((f) => [f.path, f] as const))('%s', (path, { text }) => {
  const expected = readIndependently(text);
  const raw = modeFromName(path) === 'raw';
  const snapshot = parse(text);
  const model = buildModel(snapshot);
  const areas = [...snapshot.areas()];

  it('keeps every line that starts with 0x as an area, with its line number', () => {
    expect(expected.areas.length).toBeGreaterThan(0);
    expect(snapshot.count).toBe(expected.areas.length);
    expect(snapshot.lineCount).toBe(expected.lines);
    expect(areas.map((a) => a.line)).toEqual(expected.areas.map((e) => e.line));
  });

  it('sums the size column and pages= as awk would', () => {
    expect(model.totals.all).toEqual({ count: expected.areas.length, bytes: expected.bytes, pages: expected.pages });
    expect(model.totals.backedBytes).toBe(expected.pages * 4096);
  });

  it('counts areas, bytes and pages per primary kind', () => {
    const kinds = Object.fromEntries(Object.entries(model.totals.byKind).filter(([, t]) => t.count > 0));
    expect(kinds).toEqual(expected.kinds);
    expect(Object.keys(model.totals.byKind).sort()).toEqual([...AREA_KINDS].sort());
  });

  it('totals the [module] tags, the caller functions and the N<node>= pages', () => {
    expect(tallies(model.totals.byModule)).toEqual(expected.modules);
    expect(tallies(model.totals.byCaller)).toEqual(expected.callers);
    expect(Object.fromEntries(model.totals.byNode)).toEqual(expected.nodes);
  });

  it('reads every field of every line as its words say', () => {
    areas.forEach((a, i) => {
      const e = expected.areas[i];
      expect({ ...a, index: i }).toEqual({
        index: i,
        line: e.line,
        start: e.start,
        end: e.end,
        size: e.size,
        pages: e.pages,
        caller: e.caller,
        phys: e.phys,
        flags: e.flags,
        nodes: e.nodes,
        kind: e.kind,
        guard: a.guard,
      });
    });
  });

  it('detects the pointer mode the capture was taken in', () => {
    expect(snapshot.pointerMode).toBe(modeFromName(path));
    expect(snapshot.addressDigits).toBe(path.includes('ptrval') ? 0 : /\/(i386|armhf)-/.test(path) ? 8 : 16);
  });

  it('reads real kernel captures without a single diagnostic, and warns once on the glued seed', () => {
    if (path.includes('copied-from-web')) {
      expect(snapshot.errorCount).toBe(0);
      expect(snapshot.warningCount).toBe(1);
      expect(snapshot.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'warning' })]);
    } else {
      expect(snapshot.diagnosticCount).toBe(0);
      expect(snapshot.diagnostics).toEqual([]);
    }
  });

  it('keeps the printed addresses exactly, and on raw captures end - start equals the size of every line', () => {
    expect(areas.map((a) => [a.start, a.end])).toEqual(expected.areas.map((e) => [e.start, e.end]));
    if (raw) for (const e of expected.areas) expect(e.end! - e.start!).toBe(BigInt(e.size));
  });

  it('says whether a raw capture came in address order, and orders the model by address', () => {
    if (!raw) {
      expect(snapshot.sorted).toBeNull();
      expect(model.byAddress).toBe(false);
      expect([...model.order]).toEqual([...Array(snapshot.count).keys()]);
      return;
    }
    const starts = expected.areas.map((e) => e.start!);
    expect(snapshot.sorted).toBe(starts.every((s, i) => i === 0 || starts[i - 1] <= s));
    expect(model.byAddress).toBe(true);
    expect([...model.order].sort((a, b) => a - b)).toEqual([...starts.keys()]);
    expect([...model.order].map((i) => starts[i])).toEqual([...starts].sort(byBigInt));
  });

  // Free bytes after each order position: the next start minus the highest end so far, if positive.
  const gaps = (): bigint[] => {
    const order = [...model.order];
    const out: bigint[] = [];
    let maxEnd = expected.areas[order[0]].end!;
    for (let k = 0; k + 1 < order.length; k++) {
      const next = expected.areas[order[k + 1]];
      out.push(next.start! > maxEnd ? next.start! - maxEnd : 0n);
      if (next.end! > maxEnd) maxEnd = next.end!;
    }
    return out;
  };

  it('measures the free space after every area in address order, and the largest gap', () => {
    if (!raw) {
      expect(model.largestGap).toBeNull();
      expect(model.gapAfter.every((g) => g === 0)).toBe(true);
      return;
    }
    const expectedGaps = gaps();
    expect([...model.gapAfter].map(BigInt)).toEqual(expectedGaps);
    const largest = expectedGaps.reduce((m, g) => (g > m ? g : m), 0n);
    expect(BigInt(model.largestGap?.bytes ?? 0)).toBe(largest);
    if (model.largestGap) expect(expectedGaps[model.largestGap.after]).toBe(largest);
  });

  it('finds the largest hole, the free bytes and the hole histogram between areas inside the vmalloc range', () => {
    const range = model.layout?.regions.find((r) => r.id === 'vmalloc');
    if (!raw || !range) {
      expect(model.largestVmallocHole).toBeNull();
      expect(model.vmallocFreeBytes).toBe(0);
      expect(model.holeHistogram).toEqual([]);
      return;
    }
    const inside = (i: number) => expected.areas[i].start! >= range.start && expected.areas[i].start! < range.end;
    const order = [...model.order];
    const holes = gaps().filter((g, k) => g > 0n && inside(order[k]) && inside(order[k + 1]));
    expect(holes.length).toBeGreaterThan(0);
    expect(BigInt(model.largestVmallocHole?.bytes ?? -1)).toBe(holes.reduce((m, g) => (g > m ? g : m), 0n));
    expect(BigInt(model.vmallocFreeBytes)).toBe(holes.reduce((s, g) => s + g, 0n));
    const histogram = new Map<number, { log2: number; count: number; bytes: number }>();
    for (const g of holes) {
      const log2 = g.toString(2).length - 1;
      const b = histogram.get(log2) ?? { log2, count: 0, bytes: 0 };
      b.count++;
      b.bytes += Number(g);
      histogram.set(log2, b);
    }
    expect(model.holeHistogram).toEqual([...histogram.values()].sort((a, b) => a.log2 - b.log2));
  });

  it('counts one 4 KiB guard page per area, except vm_map_ram, unpurged, vmap with phys= (arm64 kernel image) and percpu chunks', () => {
    const percpu = (e: (typeof expected.areas)[number]) =>
      e.kind === 'vmalloc' && !e.words.some((w) => w.startsWith('pages=')) && (e.caller === null || e.caller.symbol === 'pcpu_get_vm_areas');
    const guarded = expected.areas.filter(
      (e) => e.kind !== 'vm_map_ram' && e.kind !== 'unpurged' && !(e.words.includes('vmap') && e.words.some((w) => w.startsWith('phys='))) && !percpu(e),
    );
    expect(model.totals.guardBytes).toBe(guarded.length * 4096);
    expect(areas.filter((a) => a.guard === 4096).map((a) => a.line)).toEqual(guarded.map((e) => e.line));
  });

  it('summarises the same figures for the CLI and the app', () => {
    const s = summarize(model);
    expect([s.areas, s.bytes, s.pages, s.lines, s.pointerMode]).toEqual([
      expected.areas.length,
      expected.bytes,
      expected.pages,
      expected.lines,
      modeFromName(path),
    ]);
    for (const kind of AREA_KINDS) {
      const e = expected.kinds[kind] ?? { count: 0, bytes: 0 };
      expect(s.kinds[kind]).toEqual({ count: e.count, bytes: e.bytes });
    }
    expect(s.modules).toEqual(Object.fromEntries(Object.entries(expected.modules).map(([m, t]) => [m, { count: t.count, bytes: t.bytes }])));
    expect(s.nodes).toEqual(Object.fromEntries(Object.entries(expected.nodes).map(([n, p]) => [`N${n}`, p])));
  });
});
