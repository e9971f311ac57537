import { describe, expect, it } from 'vitest';
import { hexBig } from '../addr.ts';
import { parse } from '../parse/scanner.ts';
import { byBigInt, fixture, fixtures, modeFromName, readIndependently } from '../testing/fixtures.ts';
import { REGION_MODULES, REGION_NONE, REGION_VMALLOC, buildModel } from './model.ts';

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

  const rawCaptures = fixtures().filter((f) => f.path.startsWith('kernels/') && modeFromName(f.path) === 'raw');
  // The layout each architecture's captures come from: x86_64 4-level paging, arm64 48-bit VA
  // (Debian's default), i386 (686, non-PAE), armhf (armmp, 3G/1G split) and riscv64 under qemu
  // `virt`, which boots with Sv57 (the percpu chunk ends at 0xff60000000000000).
  const LAYOUT_OF_ARCH: Record<string, string> = { x86_64: 'x86_64-4level', arm64: 'arm64-48', i386: 'i386', armhf: 'armhf', riscv64: 'riscv64-sv57' };
  const archOf = (path: string) => path.replace(/^kernels\//, '').split('-')[0];

  it.each(rawCaptures.map((f) => [f.path, f.text] as const))(
    'puts every area of %s in the region its address says, and every load_module area in the module region',
    (path, text) => {
      const m = buildModel(parse(text));
      const expected = readIndependently(text);
      expect(m.layout?.id).toBe(LAYOUT_OF_ARCH[archOf(path)]);
      const vmalloc = m.layout!.regions.find((r) => r.id === 'vmalloc')!;
      const loaders = expected.areas.filter((e) => e.caller?.symbol === 'load_module');
      // i386 allocates modules inside the vmalloc range (MODULES_VADDR = VMALLOC_START): before a
      // module is loaded there is no module region of its own to show.
      const modules = m.layout!.regions.find((r) => r.id === 'modules') ?? { start: 0n, end: 0n };
      if (archOf(path) === 'i386' && loaders.length === 0) expect(m.layout!.regions.map((r) => r.id)).toEqual(['vmalloc']);
      const inside = (r: { start: bigint; end: bigint }, s: bigint) => s >= r.start && s < r.end;
      expect(expected.areas.length).toBe(m.snapshot.count);
      expected.areas.forEach((e, i) => {
        const code = inside(modules, e.start!) ? REGION_MODULES : inside(vmalloc, e.start!) ? REGION_VMALLOC : REGION_NONE;
        expect([e.line, m.region[i]]).toEqual([e.line, code]);
        // riscv64 keeps module memory within 2 GiB of the kernel image (0xffffffff00000000–
        // 0xffffffff7fffffff, Documentation/arch/riscv/vm-layout.rst); the few load_module vmallocs
        // in the vmalloc range are not module memory, and are shown where they are.
        if (e.caller?.symbol === 'load_module' && archOf(path) === 'riscv64' && inside(vmalloc, e.start!)) return;
        if (e.caller?.symbol === 'load_module') {
          expect(e.start! >= modules.start && e.end! <= modules.end).toBe(true);
          expect(m.region[i]).toBe(REGION_MODULES);
        }
      });
      if (path.includes('boot')) expect(loaders).toEqual([]);
      else expect(loaders.length).toBeGreaterThan(20);
      // x86_64 with KASLR loads modules from 0xffffffffc0000000: every x86_64 capture here has a
      // randomised vmalloc base (not 0xffffc90000000000), with or without modules loaded.
      if (path.includes('/x86_64-')) {
        expect(vmalloc.start).not.toBe(0xffffc90000000000n);
        expect(modules.start).toBe(0xffffffffc0000000n);
      }
    },
  );

  it.each(['seeds/x86_64-grep-vmalloc.vmallocinfo', 'seeds/x86_64-raw-ioremap.vmallocinfo'])(
    'matches x86_64 4-level paging for the quoted dump %s, with a 32 TiB vmalloc range holding every area',
    (path) => {
      const m = model(path);
      expect(m.layout?.id).toBe('x86_64-4level');
      const vmalloc = m.layout!.regions.find((r) => r.id === 'vmalloc')!;
      expect(vmalloc.end - vmalloc.start).toBe(32n << 40n);
      expect([...m.region].every((r) => r === REGION_VMALLOC)).toBe(true);
      // Without KASLR's signs (the raw-ioremap seed starts at the fixed 0xffffc90000000000 and has
      // nothing in the module window) the module area keeps its fixed start.
      if (path.includes('raw-ioremap')) expect(m.layout!.regions.find((r) => r.id === 'modules')!.start).toBe(0xffffffffa0000000n);
    },
  );

  it('matches i386 for 8-digit addresses with an x86 caller, its range ending at VMALLOC_END (PKMAP_BASE − 2 pages), not at the last area', () => {
    const m = buildModel(
      parse(
        '0xf7c00000-0xf7c02000    8192 bpf_prog_alloc+0x36/0xa0 pages=1 vmalloc\n' +
          '0xf7c04000-0xf7c08000   16384 n_tty_open+0x19/0xe0 pages=3 vmalloc\n' +
          '0xf8a00000-0xf8a02000    8192 hpet_enable+0xef/0x46d phys=0xfed00000 ioremap\n',
      ),
    );
    // hpet_enable is x86's; nothing reaches past 0xfebfe000, so a non-PAE kernel: VMALLOC_END is
    // 0xfebfe000 (the test used to say 0xf8a02000, the end of the last area: not where the range ends).
    expect(m.layout?.id).toBe('i386');
    expect(m.layout!.regions).toEqual([
      { id: 'vmalloc', label: 'vmalloc range', start: 0xf7c00000n, end: 0xfebfe000n, inferred: true, startFrom: 'areas', endFrom: 'preset' },
    ]);
    expect(m.largestGap).toEqual({ after: 1, bytes: 0xf8a00000 - 0xf7c08000, exactBytes: 0xf8a00000n - 0xf7c08000n });
  });

  it('finds no layout where addresses are hashed or zeroed', () => {
    expect(model('kernels/arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo').layout).toBeNull();
    expect(model('kernels/arm64-6.12.117-deb12-boot-zeroed.vmallocinfo').layout).toBeNull();
  });
});

describe('order, gaps and chains', () => {
  it('sorts a 6.9+ style file (two sorted runs, then lazily freed areas) by address', () => {
    const line = (start: bigint, size: number, words: string) =>
      `0x${start.toString(16)}-0x${(start + BigInt(size)).toString(16)} ${String(size).padStart(7)} ${words}`;
    const run = (base: bigint, n: number) => Array.from({ length: n }, (_, k) => line(base + BigInt(k) * 0x3000n, 8192, 'f+0x1/0x2 pages=1 vmalloc'));
    const lines = [
      ...run(0xffffc90000100000n, 3), // vmap node 1's busy areas
      ...run(0xffffc90000000000n, 3), // vmap node 0's busy areas
      line(0xffffc90000080000n, 20480, 'unpurged vm_area'), // node 0's lazy list
      line(0xffffc90000010000n, 20480, 'unpurged vm_area'),
    ];
    const m = buildModel(parse(lines.join('\n')));
    expect(m.snapshot.sorted).toBe(false);
    const starts = [...m.order].map((i) => m.snapshot.area(i).start!);
    expect(starts).toEqual([
      0xffffc90000000000n,
      0xffffc90000003000n,
      0xffffc90000006000n,
      0xffffc90000010000n,
      0xffffc90000080000n,
      0xffffc90000100000n,
      0xffffc90000103000n,
      0xffffc90000106000n,
    ]);
    expect([...m.order]).toEqual([3, 4, 5, 7, 6, 0, 1, 2]);
    expect(m.gapAfter[2]).toBe(0x10000 - 0x8000);
    expect(m.overlaps).toBe(0);
  });

  it('leaves a file that is already in address order in file order', () => {
    const m = model('seeds/x86_64-raw-ioremap.vmallocinfo');
    expect(m.snapshot.sorted).toBe(true);
    expect([...m.order]).toEqual([...Array(m.snapshot.count).keys()]);
  });

  it('counts an area listed twice (busy, then unpurged, in a live read) as an overlap, not a gap', () => {
    // Line 91 `0xffffd17d80418000-0xffffd17d8041d000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4`
    // and line 144 `0xffffd17d80418000-0xffffd17d8041d000   20480 unpurged vm_area`.
    const path = 'kernels/x86_64-6.1.0-56-after-rmmod-raw.vmallocinfo';
    const m = model(path);
    const byStart = readIndependently(fixture(path)).areas.sort((x, y) => byBigInt(x.start!, y.start!));
    let overlaps = 0;
    let maxEnd = 0n;
    for (const a of byStart) {
      if (a.start! < maxEnd) overlaps++;
      if (a.end! > maxEnd) maxEnd = a.end!;
    }
    expect(overlaps).toBe(1);
    expect(m.overlaps).toBe(overlaps);
    const k = [...m.order].findIndex((i) => m.snapshot.area(i).line === 144);
    expect(m.snapshot.area(m.order[k - 1]).line).toBe(91);
    expect(m.gapAfter[k - 1]).toBe(0);
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

  it.each(['kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo', 'kernels/arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo'])(
    'links every hashed area of %s to the line whose start hash equals its end hash',
    (path) => {
      const text = fixture(path);
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
      expect([...m.chainPrev]).toEqual(expected.map((_, i) => expected.indexOf(i)));
      expect(expected.filter((j) => j >= 0).length).toBeGreaterThan(50);
    },
  );
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
