import { describe, expect, it } from 'vitest';
import { parse } from './scanner.ts';
import { buildModel } from '../model/model.ts';
import { fixtures, modeFromName, readIndependently } from '../testing/fixtures.ts';

// One test per real capture: every figure is computed from the file by plain string splitting and
// BigInt arithmetic (src/lib/testing/fixtures.ts), never by the scanner.

describe.each(fixtures().map((f) => [f.path, f] as const))('%s', (path, { text }) => {
  const expected = readIndependently(text);
  const snapshot = parse(text);
  const model = buildModel(snapshot);

  it('keeps every area line and sums sizes, pages, kinds, modules and nodes as awk would', () => {
    expect(snapshot.count).toBe(expected.areas);
    expect(model.totals.all.bytes).toBe(expected.bytes);
    expect(model.totals.all.pages).toBe(expected.pages);
    const kinds = Object.fromEntries(
      Object.entries(model.totals.byKind)
        .filter(([, t]) => t.count > 0)
        .map(([k, t]) => [k, { count: t.count, bytes: t.bytes }]),
    );
    expect(kinds).toEqual(expected.kinds);
    const modules = Object.fromEntries([...model.totals.byModule].map(([m, t]) => [m, { count: t.count, bytes: t.bytes }]));
    expect(modules).toEqual(expected.modules);
    expect(Object.fromEntries(model.totals.byNode)).toEqual(expected.nodes);
  });

  it('detects the pointer mode the capture was taken in', () => {
    expect(snapshot.pointerMode).toBe(modeFromName(path));
  });

  it('reads real kernel captures without a single diagnostic, and warns once on the glued seed', () => {
    if (path.includes('copied-from-web')) {
      expect(snapshot.errorCount).toBe(0);
      expect(snapshot.warningCount).toBe(1);
      expect(snapshot.diagnostics[0]).toMatchObject({ line: 1, severity: 'warning' });
    } else {
      expect(snapshot.diagnosticCount).toBe(0);
    }
  });

  it('keeps the printed addresses exactly, and end - start equals the size on every raw line', () => {
    for (let i = 0; i < snapshot.count; i++) {
      const a = snapshot.area(i);
      expect(a.start ?? -1n).toBe(expected.ranges[i].start);
      expect(a.end ?? -1n).toBe(expected.ranges[i].end);
      if (snapshot.pointerMode === 'raw') expect(a.end! - a.start!).toBe(BigInt(a.size));
    }
  });

  it('reports whether the file was sorted, and orders the model by address', () => {
    if (snapshot.pointerMode !== 'raw') {
      expect(snapshot.sorted).toBeNull();
      expect([...model.order]).toEqual([...Array(snapshot.count).keys()]);
      return;
    }
    const starts = expected.ranges.map((r) => r.start);
    const sorted = starts.every((s, i) => i === 0 || starts[i - 1] <= s);
    expect(snapshot.sorted).toBe(sorted);
    const inOrder = [...model.order].map((i) => starts[i]);
    expect(inOrder).toEqual([...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('finds the largest gap between address-consecutive areas', () => {
    if (snapshot.pointerMode !== 'raw') {
      expect(model.largestGap).toBeNull();
      return;
    }
    const byStart = [...expected.ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let maxEnd = byStart[0].end;
    let largest = 0n;
    for (const r of byStart.slice(1)) {
      if (r.start > maxEnd && r.start - maxEnd > largest) largest = r.start - maxEnd;
      if (r.end > maxEnd) maxEnd = r.end;
    }
    expect(BigInt(model.largestGap?.bytes ?? 0)).toBe(largest);
  });

  it('counts one 4 KiB guard page per area, except vm_map_ram, unpurged and arm64 image (vmap with phys=)', () => {
    const guarded = expected.ranges.filter(
      (r) => r.kind !== 'vm_map_ram' && r.kind !== 'unpurged' && !(r.words.includes('vmap') && r.words.some((w) => w.startsWith('phys='))),
    );
    expect(model.totals.guardBytes).toBe(guarded.length * 4096);
  });
});
