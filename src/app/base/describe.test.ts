import { describe, expect, it } from 'vitest';
import { buildModel, buildTrack, parse } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { describeArea, describeBreak, holeText, neighbourhood } from './describe.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const HASHED = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';
const text = fixture(RAW);
const lines = text.split('\n').filter((l) => l.startsWith('0x'));
const model = buildModel(parse(text));
const rowsOf = (d: { rows: Array<{ label: string; value: string }> }) => Object.fromEntries(d.rows.map((r) => [r.label, r.value]));

describe('the words about an area', () => {
  it('give every field of an ioremap line as the kernel printed it', () => {
    // 0xffffd17d8000b000-0xffffd17d8000d000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap
    const index = lines.findIndex((l) => l.includes('hpet_enable'));
    const [range, size, caller, phys] = lines[index].trim().split(/\s+/);
    const d = describeArea(model, index, true);
    expect(d.title).toBe('hpet_enable');
    expect(rowsOf(d)).toMatchObject({
      Range: range.replace('-', '–'),
      Size: `8 KiB (${Number(size).toLocaleString('en-US')} bytes)`,
      Pages: 'none printed',
      Guard: '4 KiB at 0xffffd17d8000c000',
      Caller: caller,
      Module: 'built-in',
      Flags: 'ioremap',
      Phys: phys.slice('phys='.length),
      NUMA: '—',
      Line: String(index + 1),
    });
  });

  it('name the module of a module caller and list NUMA counts', () => {
    const index = lines.findIndex((l) => l.includes('[e1000]') && l.includes('N0='));
    const d = rowsOf(describeArea(model, index));
    expect(d.Module).toBe('e1000');
    expect(d.NUMA).toBe(/N0=\d+/.exec(lines[index])![0]);
  });

  it('say a lazily freed area has no guard page and no caller', () => {
    const index = lines.findIndex((l) => l.includes('unpurged vm_area'));
    const d = describeArea(model, index);
    expect(d.title).toBe('unpurged vm_area');
    expect(rowsOf(d)).toMatchObject({ Guard: 'none', Caller: '—' });
  });

  it('mark hashed ranges as hashed', () => {
    const hashed = buildModel(parse(fixture(HASHED)));
    expect(rowsOf(describeArea(hashed, 0)).Range).toMatch(/^0x0{8}[0-9a-f]{8}–0x0{8}[0-9a-f]{8} \(hashed\)$/);
  });
});

describe('the neighbourhood of an area', () => {
  it('lists the areas on either side in address order and the exact holes between', () => {
    const track = buildTrack(model, { collapse: true });
    // The second area by address: 0xffffd17d80005000-…7000; the first ends at …5000, the third starts at …8000.
    const n = neighbourhood(track, 1);
    expect(n.prev?.name).toBe('irq_init_percpu_irqstack');
    expect(n.holeBefore).toBe(0);
    expect(n.holeAfter).toBe(4096);
    expect(holeText(n.holeAfter)).toBe('4 KiB (4,096 bytes)');
    expect(neighbourhood(track, 0).prev).toBeNull();
  });

  it('says holes are unknown between hashed areas that no chain joins', () => {
    const hashed = buildModel(parse(fixture(HASHED)));
    const track = buildTrack(hashed, { collapse: false });
    const k = track.breaks[0].after;
    expect(neighbourhood(track, k).holeAfter).toBeNaN();
    expect(holeText(NaN)).toBe('unknown');
  });

  it('gives a collapsed break its true size and range', () => {
    const track = buildTrack(model, { collapse: true });
    const big = track.breaks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const d = rowsOf(describeBreak(track, big));
    expect(d.Size).toMatch(/^32\.0 TiB/);
    expect(d.Range).toMatch(/^0xffffd17d[0-9a-f]{8}–0xfffff17d7fc00000$/);
  });
});

describe('the module of a loader area', () => {
  // 0xffffffffc0b75000-0xffffffffc0b91000  114688 load_module+0xbb7/0x21a0 pages=27 vmalloc N0=27
  // and /proc/modules: erofs 110592 1 - Live 0xffffffffc0b75000
  const index = lines.findIndex((l) => l.startsWith('0xffffffffc0b75000-'));

  it('names the module whose code and data the area holds when /proc/modules is known', () => {
    expect(index).toBeGreaterThanOrEqual(0);
    expect(rowsOf(describeArea(model, index, true, 'erofs')).Module).toBe('erofs: its code and data (by /proc/modules)');
  });

  it('says built-in for an untagged area without /proc/modules', () => {
    expect(rowsOf(describeArea(model, index, true)).Module).toBe('built-in');
  });
});
