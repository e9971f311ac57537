import { describe, expect, it } from 'vitest';
import { AREA_KINDS, buildModel, parse } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { COLOUR_MODES, KIND_SWATCH, colourAreas, keyColours } from './colours.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const NUMA = 'kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo';
const text = fixture(RAW);
const model = buildModel(parse(text));
const lines = text.split('\n').filter((l) => l.startsWith('0x'));

describe('colour keys', () => {
  it('stay below 32 in every mode, so level-of-detail bins can count them', () => {
    for (const mode of COLOUR_MODES) {
      const c = colourAreas(model, mode);
      expect(c.legend.length).toBeLessThanOrEqual(32);
      expect(Math.max(...c.keyOf)).toBeLessThan(c.legend.length);
      expect(c.legend.reduce((s, e) => s + e.count, 0)).toBe(model.snapshot.count);
      expect(c.legend.reduce((s, e) => s + e.bytes, 0)).toBe(model.totals.all.bytes);
    }
  });

  it('by kind give every kind its own colour, in the library order', () => {
    const c = colourAreas(model, 'kind');
    expect(c.legend.map((e) => e.label)).toEqual([...AREA_KINDS]);
    expect(keyColours(c, 'light')).toEqual(AREA_KINDS.map((k) => KIND_SWATCH[k].light));
    expect(new Set(keyColours(c, 'light')).size).toBe(AREA_KINDS.length);
    const ioremaps = lines.filter((l) => / ioremap\b/.test(l)).length;
    expect(c.legend[AREA_KINDS.indexOf('ioremap')].count).toBe(ioremaps);
  });

  it('by caller name the ten callers with the most bytes, then the rest, then areas without a caller', () => {
    const c = colourAreas(model, 'caller');
    expect(c.legend).toHaveLength(12);
    expect(c.legend[10].label).toBe('other callers');
    expect(c.legend[11].label).toBe('no caller');
    // Counted from the text: lines whose third field is not a caller (vm_map_ram, unpurged vm_area).
    const noCaller = lines.filter((l) => / (vm_map_ram|unpurged vm_area)\s*$/.test(l)).length;
    expect(c.legend[11].count).toBe(noCaller);
    // The top ten really are the largest by bytes.
    const bytesBy = new Map<string, number>();
    for (const l of lines) {
      const f = l.trim().split(/\s+/);
      const m = /^([^+]+)\+0x/.exec(f[2] ?? '');
      if (m) bytesBy.set(m[1], (bytesBy.get(m[1]) ?? 0) + Number(f[1]));
    }
    const ten = c.legend.slice(0, 10);
    const smallestNamed = Math.min(...ten.map((e) => e.bytes));
    for (const [name, bytes] of bytesBy) if (!ten.some((e) => e.label === name)) expect(bytes).toBeLessThanOrEqual(smallestNamed);
    for (const e of ten) expect(e.bytes).toBe(bytesBy.get(e.label));
  });

  it('by module call areas without a [module] tag built-in', () => {
    const c = colourAreas(model, 'module');
    const builtIn = c.legend.find((e) => e.label === 'built-in')!;
    expect(builtIn.count).toBe(lines.filter((l) => !/\[[\w-]+\]/.test(l)).length);
    const e1000 = c.legend.find((e) => e.label === 'e1000');
    expect(e1000?.count).toBe(lines.filter((l) => l.includes('[e1000]')).length);
  });

  it('by NUMA node give each area the node holding most of its pages', () => {
    const numa = buildModel(parse(fixture(NUMA)));
    const c = colourAreas(numa, 'node');
    const labels = c.legend.map((e) => e.label);
    expect(labels).toContain('node 0');
    expect(labels).toContain('node 1');
    const numaLines = fixture(NUMA).split('\n').filter((l) => l.startsWith('0x'));
    const onNode1 = numaLines.filter((l) => {
      const n0 = Number(/ N0=(\d+)/.exec(l)?.[1] ?? 0);
      const n1 = Number(/ N1=(\d+)/.exec(l)?.[1] ?? 0);
      return n1 > n0;
    }).length;
    expect(c.legend.find((e) => e.label === 'node 1')!.count).toBe(onNode1);
    expect(c.legend.find((e) => e.label === 'no pages')!.count).toBe(numaLines.filter((l) => !/ N\d+=/.test(l)).length);
  });

  it('use no grey among the ten named colours, so grey always means "the rest"', () => {
    const c = colourAreas(model, 'caller');
    expect(keyColours(c, 'light').slice(0, 10)).not.toContain('#bab0ac');
  });
});
