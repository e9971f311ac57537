import { describe, expect, it } from 'vitest';
import { hexBig } from '../addr.ts';
import { parse } from '../parse/scanner.ts';
import { fixture } from '../testing/fixtures.ts';
import { REGION_MODULES, REGION_VMALLOC, buildModel } from './model.ts';

const model = (path: string) => buildModel(parse(fixture(path)));

describe('layout detection', () => {
  it('matches x86_64 4-level paging with a KASLR vmalloc base, and puts load_module areas in the module region', () => {
    const m = model('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    expect(m.layout?.id).toBe('x86_64-4level');
    const vmalloc = m.layout!.regions.find((r) => r.id === 'vmalloc')!;
    // The base is the lowest area rounded down to 1 GiB; the range is 32 TiB.
    expect(vmalloc.start).toBe(0xffffd17d80000000n);
    expect(vmalloc.end - vmalloc.start).toBe(32n << 40n);
    const s = m.snapshot;
    for (let i = 0; i < s.count; i++) {
      if (s.symbolOf(i) === 'load_module') expect(m.region[i]).toBe(REGION_MODULES);
      if (s.symbolOf(i) === 'kernel_clone') expect(m.region[i]).toBe(REGION_VMALLOC);
    }
  });

  it('matches arm64 48-bit VA and infers the module region from the loader areas inside vmalloc space', () => {
    const text = fixture('kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo');
    const m = buildModel(parse(text));
    expect(m.layout?.id).toBe('arm64-48');
    const modules = m.layout!.regions.find((r) => r.id === 'modules')!;
    const loader = text
      .split('\n')
      .filter((l) => / load_module\+/.test(l))
      .map((l) => l.split(/[-\s]/));
    const lowest = loader.map((f) => BigInt(f[0])).reduce((a, b) => (a < b ? a : b));
    const highest = loader.map((f) => BigInt(f[1])).reduce((a, b) => (a > b ? a : b));
    expect([modules.start, modules.end, modules.inferred]).toEqual([lowest, highest, true]);
  });

  it('finds no layout where addresses are hashed or zeroed', () => {
    expect(model('kernels/arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo').layout).toBeNull();
    expect(model('kernels/arm64-6.12.117-deb12-boot-zeroed.vmallocinfo').layout).toBeNull();
  });
});

describe('order, gaps and chains', () => {
  it('sorts a 6.9+ style file (two sorted runs, then lazily freed areas) by address', () => {
    const run = (base: number, n: number) =>
      Array.from({ length: n }, (_, k) => {
        const s = BigInt(base) + BigInt(k) * 0x3000n;
        return `0x${s.toString(16)}-0x${(s + 0x2000n).toString(16)}    8192 f+0x1/0x2 pages=1 vmalloc`;
      });
    const lines = [
      ...run(0xffffc90000100000, 3).map((l) => l.replace('ffffc900', 'ffffc900')),
      ...run(0xffffc90000000000, 3),
      '0xffffc90000080000-0xffffc90000085000   20480 unpurged vm_area',
    ];
    const m = buildModel(parse(lines.join('\n')));
    expect(m.snapshot.sorted).toBe(false);
    const starts = [...m.order].map((i) => m.snapshot.area(i).start!);
    expect(starts).toEqual([...starts].sort((a, b) => (a < b ? -1 : 1)));
    expect(m.snapshot.area(m.order[3]).kind).toBe('unpurged');
  });

  it('chains hashed areas whose end hash equals the next start hash', () => {
    const m = buildModel(
      parse(
        '0x0000000042955f09-0x000000007cdefd88   20480 a+0x0/0x1 vmap\n' +
          '0x0000000028df562f-0x00000000e14df760   12288 b+0x0/0x1 ioremap\n' +
          '0x000000007cdefd88-0x00000000db68b586    8192 c+0x0/0x1 ioremap\n' +
          '0x00000000e14df760-0x00000000c36a6e8f    8192 d+0x0/0x1 ioremap\n',
      ),
    );
    expect(m.snapshot.pointerMode).toBe('hashed');
    expect([...m.chainNext]).toEqual([2, 3, -1, -1]);
    expect([...m.chainPrev]).toEqual([-1, -1, 0, 1]);
    expect([...m.order]).toEqual([0, 1, 2, 3]);
  });

  it('links every hashed area of a real capture to the line whose start hash equals its end hash', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo');
    const ranges = text
      .split('\n')
      .filter((l) => l.startsWith('0x'))
      .map((l) => l.split(/[-\s]/).slice(0, 2));
    const taken = new Set<number>();
    const expected = ranges.map(([, end], i) => {
      const j = ranges.findIndex(([start], k) => k !== i && start === end);
      if (j < 0 || taken.has(j)) return -1;
      taken.add(j);
      return j;
    });
    const m = buildModel(parse(text));
    expect([...m.chainNext]).toEqual(expected);
    expect(expected.filter((j) => j >= 0).length).toBeGreaterThan(50);
  });
});

describe('totals', () => {
  it('sums callers by function, without offsets, and modules by tag', () => {
    const m = buildModel(
      parse(
        '0xffffc90000000000-0xffffc90000002000    8192 e1000_setup_all_rx_resources+0xa6/0x560 [e1000] pages=1 vmalloc N0=1\n' +
          '0xffffc90000002000-0xffffc90000006000   16384 e1000_setup_all_tx_resources+0x97/0x550 [e1000] pages=3 vmalloc N1=3\n' +
          '0xffffc90000006000-0xffffc90000008000    8192 e1000_setup_all_rx_resources+0x10/0x560 [e1000] pages=1 vmalloc N0=1\n',
      ),
    );
    expect(m.totals.byCaller.get('e1000_setup_all_rx_resources')).toEqual({ count: 2, bytes: 16384, pages: 2 });
    expect(m.totals.byModule.get('e1000')).toEqual({ count: 3, bytes: 32768, pages: 5 });
    expect(Object.fromEntries(m.totals.byNode)).toEqual({ 0: 2, 1: 3 });
    expect(m.totals.backedBytes).toBe(5 * 4096);
  });
});

describe('a stable text dump of the model', () => {
  it('matches the checked-in dump for the x86_64 boot capture', async () => {
    const m = model('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const s = m.snapshot;
    const regionName = ['-', 'vmalloc', 'modules'];
    const lines = [`# layout ${m.layout?.id}; ${s.count} areas in address order: start size kind region guard gap-after caller [module]`];
    m.order.forEach((i, k) => {
      const a = s.area(i);
      const caller = a.caller ? `${a.caller.symbol}${a.caller.module ? ` [${a.caller.module}]` : ''}` : '-';
      const gap = k < m.gapAfter.length ? m.gapAfter[k] : '-';
      lines.push(`${hexBig(a.start!)} ${a.size} ${a.kind} ${regionName[m.region[i]]} ${a.guard} ${gap} ${caller}`);
    });
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/x86_64-6.1.0-56-boot-raw.model.txt');
  });
});
