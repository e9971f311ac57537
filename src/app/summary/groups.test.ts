import { describe, expect, it } from 'vitest';
import { AREA_KINDS, attributeModules, buildModel, moduleColumn, parse, readModulesLine } from '../../lib/index.ts';
import type { ModuleEntry } from '../../lib/index.ts';
import { fixture, readIndependently } from '../../lib/testing/fixtures.ts';
import { BACKING_PARTS, backing, groupRows, groupSet } from './groups.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const NUMA = 'kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo';

/** The row name of a line without a caller, from its words: `unpurged vm_area`, `vm_map_ram`, or none. */
const noCaller = (kind: string) => (kind === 'unpurged' ? '(lazily freed)' : kind === 'vm_map_ram' ? '(vm_map_ram)' : '(no caller)');

const load = (path: string) => {
  const text = fixture(path);
  return { model: buildModel(parse(text)), expected: readIndependently(text) };
};

describe('the summary bars', () => {
  const { model, expected } = load(RAW);
  const areas = expected.areas;

  it('list every kind present with its count and bytes, largest first', () => {
    const rows = groupRows(model, 'kind');
    const want = Object.entries(expected.kinds).sort((a, b) => b[1].bytes - a[1].bytes);
    expect(rows.map((r) => [r.label, r.count, r.bytes])).toEqual(want.map(([k, t]) => [k, t.count, t.bytes]));
  });

  it('fold the callers past the eleventh into one "other" row, so the rows still add up to every area', () => {
    const rows = groupRows(model, 'caller', 12);
    expect(rows.length).toBe(12);
    const last = rows[rows.length - 1];
    expect(last.other).toBe(true);
    // Lines without a caller make one row per what they are (lazily freed, vm_map_ram, early areas).
    const named = Object.keys(expected.callers).length + new Set(areas.filter((a) => a.caller === null).map((a) => a.kind)).size;
    expect(last.label).toBe(`${named - 11} other functions`);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(areas.length);
    expect(rows.reduce((s, r) => s + r.bytes, 0)).toBe(expected.bytes);
    const top = rows.find((r) => !r.other && !r.label.startsWith('('))!;
    expect(top.bytes).toBe(expected.callers[top.label].bytes);
    expect(top.count).toBe(expected.callers[top.label].count);
    const maxNamed = Math.max(...Object.values(expected.callers).map((t) => t.bytes));
    expect(rows[0].bytes).toBeGreaterThanOrEqual(maxNamed);
  });

  it('name lazily freed areas and vm_map_ram blocks for what they are, not "(no caller)", and count them exactly', () => {
    const text = fixture(RAW);
    const lazy = text.split('\n').filter((l) => / unpurged vm_area\s*$/.test(l));
    const ram = text.split('\n').filter((l) => / vm_map_ram\s*$/.test(l));
    expect(lazy.length).toBeGreaterThan(0);
    expect(ram.length).toBeGreaterThan(0);
    const rows = groupRows(model, 'caller', 1000);
    const size = (ls: string[]) => ls.reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0);
    expect(rows.find((r) => r.label === '(lazily freed)')).toMatchObject({ count: lazy.length, bytes: size(lazy) });
    expect(rows.find((r) => r.label === '(vm_map_ram)')).toMatchObject({ count: ram.length, bytes: size(ram) });
    expect(rows.some((r) => r.label === '(no caller)')).toBe(areas.some((a) => a.caller === null && a.kind !== 'unpurged' && a.kind !== 'vm_map_ram'));
    const lazyRow = rows.find((r) => r.label === '(lazily freed)')!;
    const got = groupSet(model, 'caller', lazyRow.ids);
    expect(got.count).toBe(lazy.length);
    expect([...got.areas.keys()].filter((i) => got.areas[i] === 1).every((i) => areas[i].kind === 'unpurged')).toBe(true);
  });

  it('count the areas of each module', () => {
    const rows = groupRows(model, 'module');
    expect(Object.fromEntries(rows.map((r) => [r.label, { count: r.count, bytes: r.bytes, pages: r.pages }]))).toEqual(expected.modules);
  });

  it('count pages and areas per NUMA node', () => {
    const numa = load(NUMA);
    const rows = groupRows(numa.model, 'node');
    expect(rows.map((r) => r.label).sort()).toEqual(Object.keys(numa.expected.nodes).map((n) => `N${n}`).sort());
    for (const r of rows) {
      const node = Number(r.label.slice(1));
      expect(r.pages).toBe(numa.expected.nodes[node]);
      expect(r.bytes).toBe(numa.expected.nodes[node] * 4096);
      expect(r.count).toBe(numa.expected.areas.filter((a) => a.nodes.some((n) => n.node === node)).length);
    }
  });

  it('split the size column into backed pages, guard pages and the rest', () => {
    const b = backing(model);
    expect(b.total).toBe(expected.bytes);
    expect(b.backed).toBe(expected.pages * 4096);
    expect(b.backed + b.guard + b.unbacked).toBe(expected.bytes);
  });
});

describe('the areas behind a bar', () => {
  const { model, expected } = load(RAW);
  const areas = expected.areas;
  const indices = (set: Uint8Array) => [...set.keys()].filter((i) => set[i] === 1);

  it('for a caller are exactly the areas it allocated', () => {
    const row = groupRows(model, 'caller').find((r) => r.label === 'load_module');
    expect(row).toBeDefined();
    const got = groupSet(model, 'caller', row!.ids);
    const want = areas.flatMap((a, i) => (a.caller?.symbol === 'load_module' ? [i] : []));
    expect(indices(got.areas)).toEqual(want);
    expect(got.count).toBe(want.length);
    expect(got.bytes).toBe(want.reduce((s, i) => s + areas[i].size, 0));
  });

  it('for the "other" callers are the areas of none of the named rows', () => {
    const rows = groupRows(model, 'caller', 6);
    const other = rows[rows.length - 1];
    const named = new Set(rows.slice(0, -1).map((r) => r.label));
    const got = groupSet(model, 'caller', other.ids);
    const want = areas.flatMap((a, i) => (!named.has(a.caller ? a.caller.symbol : noCaller(a.kind)) ? [i] : []));
    expect(indices(got.areas)).toEqual(want);
  });

  it('for a kind and for a module match the file', () => {
    const k = AREA_KINDS.indexOf('ioremap');
    expect(groupSet(model, 'kind', [k]).count).toBe(areas.filter((a) => a.kind === 'ioremap').length);
    const e1000 = groupRows(model, 'module').find((r) => r.label === 'e1000')!;
    expect(indices(groupSet(model, 'module', e1000.ids).areas)).toEqual(areas.flatMap((a, i) => (a.caller?.module === 'e1000' ? [i] : [])));
  });

  it('for the unbacked part are the areas without pages=', () => {
    const got = groupSet(model, 'backing', [BACKING_PARTS.indexOf('unbacked')]);
    expect(got.count).toBe(areas.filter((a) => a.pages === 0).length);
  });
});

describe('the module bars once /proc/modules is known (arm64 6.12)', () => {
  const name = 'kernels/arm64-6.12.117-deb12-after-insmod-raw';
  const model = buildModel(parse(fixture(`${name}.vmallocinfo`)));
  const text = fixture(`${name}.modules`);
  const modules = text.split('\n').map((l, k) => readModulesLine(l, k + 1)).filter((m): m is ModuleEntry => m !== null);
  const column = moduleColumn(model, attributeModules(model, modules));
  const areas = readIndependently(fixture(`${name}.vmallocinfo`)).areas;

  it('count every loader line to a module, with its [module]-tagged areas', () => {
    const rows = groupRows(model, 'module', 100, column);
    const loader = areas.filter((a) => a.caller?.symbol === 'load_module');
    const tagged = areas.filter((a) => a.caller?.module);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(loader.length + tagged.length);
    expect(rows.reduce((s, r) => s + r.bytes, 0)).toBe([...loader, ...tagged].reduce((s, a) => s + a.size, 0));
    expect(rows.map((r) => r.label).sort()).toEqual(text.trim().split('\n').map((l) => l.split(' ')[0]).sort());
  });

  it('give btrfs, which allocates nothing tagged, lsmod’s size plus one guard page per section, and highlight those areas', () => {
    const lsmod = Number(/^btrfs (\d+)/m.exec(text)![1]);
    const btrfs = groupRows(model, 'module', 100, column).find((r) => r.label === 'btrfs')!;
    expect(areas.some((a) => a.caller?.module === 'btrfs')).toBe(false);
    expect(btrfs.bytes).toBe(lsmod + 4096 * btrfs.count);
    const set = groupSet(model, 'module', btrfs.ids, column);
    expect(set.count).toBe(btrfs.count);
    expect(set.bytes).toBe(btrfs.bytes);
    expect(groupRows(model, 'module').some((r) => r.label === 'btrfs')).toBe(false);
  });
});
