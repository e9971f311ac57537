import { describe, expect, it } from 'vitest';
import { AREA_KINDS, attributeModules, buildModel, moduleColumn, parse, readModulesLine } from '../../lib/index.ts';
import { byBigInt, fixture, readIndependently } from '../../lib/testing/fixtures.ts';
import type { ExpectedArea } from '../../lib/testing/fixtures.ts';
import { ALL_KINDS, filterRows, sortedIndex } from './rows.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const HASHED = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';
const NUMA = 'kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo';

const load = (path: string) => {
  const text = fixture(path);
  return { model: buildModel(parse(text)), expected: readIndependently(text).areas };
};
const all = { text: '', kinds: ALL_KINDS, only: null };
const hexOf = (v: bigint) => '0x' + v.toString(16).padStart(16, '0');

describe('sorting the areas table', () => {
  const { model, expected } = load(RAW);

  it('puts every area of the raw sample in ascending address order by default', () => {
    const rows = sortedIndex(model, 'address', 'asc');
    expect(rows.length).toBe(expected.length);
    const starts = [...rows].map((i) => expected[i].start!);
    expect(starts).toEqual(expected.map((a) => a.start!).sort(byBigInt));
  });

  it('reverses the address order when sorted descending', () => {
    const rows = [...sortedIndex(model, 'address', 'desc')].map((i) => expected[i].start!);
    expect(rows).toEqual(expected.map((a) => a.start!).sort(byBigInt).reverse());
  });

  it('puts the largest area first when sorted by size, and ties stay in address order', () => {
    const rows = [...sortedIndex(model, 'size', 'desc')];
    const max = Math.max(...expected.map((a) => a.size));
    expect(expected[rows[0]].size).toBe(max);
    expect(rows.map((i) => expected[i].size)).toEqual(expected.map((a) => a.size).sort((a, b) => b - a));
    for (let r = 1; r < rows.length; r++) {
      const [a, b] = [expected[rows[r - 1]], expected[rows[r]]];
      if (a.size === b.size) expect(a.start! < b.start!).toBe(true);
    }
  });

  it('sorts by pages ascending from the smallest', () => {
    const rows = [...sortedIndex(model, 'pages', 'asc')];
    expect(rows.map((i) => expected[i].pages)).toEqual(expected.map((a) => a.pages).sort((a, b) => a - b));
  });

  it('sorts by caller name, with the areas that print no caller last in both directions', () => {
    const noCaller = expected.filter((a) => a.caller === null).length;
    expect(noCaller).toBeGreaterThan(0);
    for (const dir of ['asc', 'desc'] as const) {
      const rows = [...sortedIndex(model, 'caller', dir)].map((i) => expected[i]);
      const named = rows.slice(0, rows.length - noCaller).map((a) => a.caller!.symbol.toLowerCase());
      expect(rows.slice(rows.length - noCaller).every((a) => a.caller === null)).toBe(true);
      const want = [...named].sort();
      expect(named).toEqual(dir === 'asc' ? want : want.reverse());
    }
  });

  it('sorts by module, built-in areas last', () => {
    const rows = [...sortedIndex(model, 'module', 'asc')].map((i) => expected[i]);
    const tagged = expected.filter((a) => a.caller?.module).length;
    const modules = rows.slice(0, tagged).map((a) => a.caller!.module!);
    expect(modules).toEqual(expected.flatMap((a) => (a.caller?.module ? [a.caller.module] : [])).sort());
    expect(rows.slice(tagged).every((a) => !a.caller?.module)).toBe(true);
  });

  it('keeps file order for "address" when the dump hashes its addresses', () => {
    const hashed = load(HASHED);
    expect([...sortedIndex(hashed.model, 'address', 'asc')]).toEqual(hashed.expected.map((_, i) => i));
  });
});

describe('filtering the areas table', () => {
  const { model, expected } = load(RAW);
  const order = sortedIndex(model, 'address', 'asc');
  const sumOf = (areas: ExpectedArea[]) => areas.reduce((s, a) => s + a.size, 0);

  it('with no filter shows every area and the sum of the size column', () => {
    const { rows, bytes } = filterRows(model, order, all);
    expect(rows.length).toBe(expected.length);
    expect(bytes).toBe(sumOf(expected));
  });

  it('by a module name keeps exactly the areas tagged with it, or whose caller contains the text', () => {
    for (const name of ['virtio_pci_modern_dev', 'e1000', '[zram]']) {
      const needle = name.replace(/^\[|\]$/g, '');
      const want = expected
        .map((a, i) => ({ a, i }))
        .filter(({ a }) => a.caller && (a.caller.symbol.includes(needle) || a.caller.module?.includes(needle)));
      const { rows, bytes } = filterRows(model, order, { ...all, text: name });
      expect(new Set(rows)).toEqual(new Set(want.map((w) => w.i)));
      expect(bytes).toBe(sumOf(want.map((w) => w.a)));
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  it('by caller text ignores case', () => {
    const want = expected.filter((a) => a.caller?.symbol.toLowerCase().includes('load_module')).length;
    expect(want).toBeGreaterThan(0);
    expect(filterRows(model, order, { ...all, text: 'LOAD_MODULE' }).rows.length).toBe(want);
  });

  it('by an address inside an area finds that area', () => {
    const target = expected[Math.floor(expected.length / 2)];
    const inside = target.start! + BigInt(Math.floor(target.size / 2));
    const text = hexOf(inside);
    const want = expected
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => (a.start! <= inside && inside < a.end!) || hexOf(a.start!).includes(text) || hexOf(a.end!).includes(text));
    const { rows } = filterRows(model, order, { ...all, text });
    expect([...rows]).toEqual(want.map((w) => w.i).sort((x, y) => byBigInt(expected[x].start!, expected[y].start!)));
    expect(rows).toContain(expected.indexOf(target));
  });

  it('by a hex prefix keeps the areas whose printed address contains it', () => {
    const prefix = hexOf(expected[0].start!).slice(0, 12);
    const want = expected.filter((a) => hexOf(a.start!).includes(prefix) || hexOf(a.end!).includes(prefix)).length;
    expect(filterRows(model, order, { ...all, text: prefix }).rows.length).toBe(want);
  });

  it('by kind keeps only the checked kinds', () => {
    const k = AREA_KINDS.indexOf('ioremap');
    const want = expected.filter((a) => a.kind === 'ioremap');
    expect(want.length).toBeGreaterThan(0);
    const { rows, bytes } = filterRows(model, order, { ...all, kinds: 1 << k });
    expect(rows.length).toBe(want.length);
    expect(bytes).toBe(sumOf(want));
    const without = filterRows(model, order, { ...all, kinds: ALL_KINDS & ~(1 << k) });
    expect(without.rows.length).toBe(expected.length - want.length);
  });

  it('keeps the sort order and combines the text, kinds and highlight filters', () => {
    const bySize = sortedIndex(model, 'size', 'desc');
    const only = new Uint8Array(expected.length);
    expected.forEach((a, i) => (only[i] = a.pages > 0 ? 1 : 0));
    const k = AREA_KINDS.indexOf('vmalloc');
    const { rows } = filterRows(model, bySize, { text: 'module', kinds: 1 << k, only });
    const want = expected.filter((a) => a.pages > 0 && a.kind === 'vmalloc' && a.caller && (a.caller.symbol.includes('module') || a.caller.module?.includes('module')));
    expect(rows.length).toBe(want.length);
    const sizes = [...rows].map((i) => expected[i].size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('works the same on a NUMA dump with a second node', () => {
    const numa = load(NUMA);
    const { rows } = filterRows(numa.model, sortedIndex(numa.model, 'size', 'desc'), all);
    expect(numa.expected[rows[0]].size).toBe(Math.max(...numa.expected.map((a) => a.size)));
  });
});

describe('filtering with /proc/modules known', () => {
  const text = fixture(RAW);
  const model = buildModel(parse(text));
  const expected = readIndependently(text).areas;
  const modulesText = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');
  const modules = modulesText
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, k) => readModulesLine(l, k + 1)!);
  // Independently: the erofs base from the modules file, and the area lines holding it or tagged [erofs].
  const base = BigInt(modulesText.split('\n').find((l) => l.startsWith('erofs '))!.trim().split(/\s+/)[5]);
  const want = expected
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.caller?.module === 'erofs' || (!a.caller?.module && a.start! <= base && base < a.end!))
    .map(({ i }) => i);

  it('finds the loader area that holds a module by its name, as well as the areas tagged with it', () => {
    const loaders = attributeModules(model, modules).moduleOf;
    const rows = [...filterRows(model, sortedIndex(model, 'address', 'asc'), { ...all, text: 'erofs', loaders }).rows];
    expect(rows.sort((x, y) => x - y)).toEqual(want);
    expect(want.some((i) => !expected[i].caller?.module)).toBe(true);
  });

  it('finds only the tagged areas without /proc/modules', () => {
    const rows = [...filterRows(model, sortedIndex(model, 'address', 'asc'), { ...all, text: 'erofs' }).rows];
    expect(rows.sort((x, y) => x - y)).toEqual(want.filter((i) => expected[i].caller?.module === 'erofs'));
  });

  it('sorts by module with the loader areas under their module once /proc/modules is known', () => {
    const column = moduleColumn(model, attributeModules(model, modules));
    const order = [...sortedIndex(model, 'module', 'asc', column)];
    // The erofs areas (tagged or its loader area) come together, and every area of no module comes last.
    const at = want.map((i) => order.indexOf(i)).sort((x, y) => x - y);
    expect(at[at.length - 1] - at[0]).toBe(want.length - 1);
    // Named: the tagged lines, and one loader line per module (x86_64 6.1: one area per module).
    const named = expected.filter((a) => a.caller?.module).length + modules.length;
    expect(order.slice(named).every((i) => column.ids[i] < 0)).toBe(true);
    expect(order.slice(0, named).every((i) => column.ids[i] >= 0)).toBe(true);
  });
});
