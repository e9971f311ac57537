import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fragmentation, freeHoles, probe } from '../analysis/fragmentation.ts';
import { parse } from '../parse/scanner.ts';
import { SAMPLES_DIR, fixture, fixtures, modeFromName, readIndependently } from '../testing/fixtures.ts';
import { genDumpArb, printGenDump } from '../testing/generate.ts';
import { buildModel, relayout } from './model.ts';

const MiB = 1n << 20n;
const GiB = 1n << 30n;
const TiB = 1n << 40n;

/** VmallocTotal (kB) of a capture's companion .meminfo, read with a regular expression. */
function vmallocTotalOf(path: string): bigint | null {
  const file = SAMPLES_DIR + path.replace(/\.vmallocinfo$/, '.meminfo');
  if (!existsSync(file)) return null;
  const m = /^VmallocTotal:\s+(\d+) kB$/m.exec(readFileSync(file, 'utf8'));
  return m ? BigInt(m[1]) : null;
}

const archOf = (path: string) => path.replace(/^kernels\//, '').split('-')[0];

/**
 * Where the vmalloc range of a capture lies, from each architecture's documented layout and the
 * capture's VmallocTotal, with no code of the library:
 * - x86_64 4-level (Documentation/arch/x86/x86_64/mm.rst): 32 TiB from a base KASLR moves by
 *   whole GiBs, so the lowest area rounded down to 1 GiB; VMALLOC_END is inclusive there, so
 *   VmallocTotal is a KiB short of 32 TiB.
 * - arm64 48-bit VA, 6.9+ (arch/arm64/include/asm/memory.h, pgtable.h): 0xffff800080000000 (2 GiB
 *   of modules above _PAGE_END(48)) to VMEMMAP_START − 8 MiB = 0xfffffdffbf800000.
 * - riscv64 Sv57 (Documentation/arch/riscv/vm-layout.rst): 0xff20000000000000–0xff60000000000000.
 * - i386 (arch/x86/include/asm/pgtable_32_areas.h): up to PKMAP_BASE − 2 pages, 0xfebfe000 on a
 *   non-PAE 686 kernel; VMALLOC_START = high_memory + 8 MiB, so END − VmallocTotal.
 * - armhf (arch/arm/include/asm/pgtable.h): up to 0xff800000, from END − VmallocTotal.
 */
function documentedRange(path: string, starts: bigint[], totalKb: bigint): { start: bigint; end: bigint } {
  switch (archOf(path)) {
    case 'x86_64': {
      const lowest = starts.reduce((a, b) => (a < b ? a : b));
      const start = lowest - (lowest % GiB);
      return { start, end: start + 32n * TiB };
    }
    case 'arm64':
      return { start: 0xffff800080000000n, end: 0xfffffdffbf800000n };
    case 'riscv64':
      return { start: 0xff20000000000000n, end: 0xff60000000000000n };
    case 'i386':
      return { start: 0xfebfe000n - totalKb * 1024n, end: 0xfebfe000n };
    case 'armhf':
      return { start: 0xff800000n - totalKb * 1024n, end: 0xff800000n };
  }
  throw new Error(`no documented layout for ${path}`);
}

/** The free holes of [start, end) among the areas of a dump, with BigInt: edges included. */
function holesIndependently(text: string, start: bigint, end: bigint): bigint[] {
  const areas = readIndependently(text)
    .areas.filter((a) => a.start! >= start && a.start! < end)
    .sort((a, b) => (a.start! < b.start! ? -1 : a.start! > b.start! ? 1 : 0));
  const holes: bigint[] = [];
  let reached = start;
  for (const a of areas) {
    if (a.start! > reached) holes.push(a.start! - reached);
    if (a.end! > reached) reached = a.end!;
  }
  if (end > reached) holes.push(end - reached);
  return holes;
}

const rawWithMeminfo = fixtures().filter((f) => f.path.startsWith('kernels/') && modeFromName(f.path) === 'raw' && vmallocTotalOf(f.path) !== null);

describe('the vmalloc range of every raw capture', () => {
  it('covers every architecture the samples hold', () => {
    expect([...new Set(rawWithMeminfo.map((f) => archOf(f.path)))].sort()).toEqual(['arm64', 'armhf', 'i386', 'riscv64', 'x86_64']);
  });

  it.each(rawWithMeminfo.map((f) => [f.path, f.text] as const))(
    'of %s is where the documented layout puts it, and as big as its VmallocTotal says',
    (path, text) => {
      const total = vmallocTotalOf(path)!;
      const starts = readIndependently(text).areas.map((a) => a.start!);
      const doc = documentedRange(path, starts, total);
      // The documented range agrees with the kernel's own VmallocTotal ((END − START) >> 10; on
      // x86_64 END is inclusive, one byte short).
      const printed = archOf(path) === 'x86_64' ? (doc.end - doc.start - 1n) >> 10n : (doc.end - doc.start) >> 10n;
      expect(printed).toBe(total);
      // From the areas alone, and with VmallocTotal given: the same range.
      for (const hints of [{}, { vmallocTotalKb: total }]) {
        const m = buildModel(parse(text), hints);
        const vm = m.layout!.regions.find((r) => r.id === 'vmalloc')!;
        expect([vm.start, vm.end]).toEqual([doc.start, doc.end]);
        if ('vmallocTotalKb' in hints) expect(m.layout!.evidence[0]).toBe('meminfo');
        else expect(m.layout!.evidence).not.toContain('meminfo');
      }
    },
  );

  it.each(rawWithMeminfo.map((f) => [f.path, f.text] as const))(
    'of %s has the free bytes, holes and largest hole counted independently with BigInt',
    (path, text) => {
      const total = vmallocTotalOf(path)!;
      const doc = documentedRange(path, readIndependently(text).areas.map((a) => a.start!), total);
      const holes = holesIndependently(text, doc.start, doc.end);
      const free = holes.reduce((a, b) => a + b, 0n);
      const largest = holes.reduce((a, b) => (a > b ? a : b), 0n);
      const f = fragmentation(buildModel(parse(text), { vmallocTotalKb: total }));
      expect(f.free).toBe(free);
      expect(f.holeCount).toBe(holes.length);
      expect(f.largest!.end - f.largest!.start).toBe(largest);
      // Free space never exceeds the range the kernel reports.
      expect(free <= total * 1024n + 1024n).toBe(true);
    },
  );
});

describe('32-bit layouts', () => {
  const armhf = 'kernels/armhf-6.1.0-50-armmp-boot-raw.vmallocinfo';

  it('tells armhf from i386 by its top area ending at 0xff800000 and its arm callers, and says so', () => {
    const m = buildModel(parse(fixture(armhf)));
    expect(m.layout!.id).toBe('armhf');
    expect(m.layout!.notes[0]).toMatch(/^armhf, not i386: .*0xff800000.*gicv2m_init/);
  });

  it('leaves armhf modules (below PAGE_OFFSET) and the lowmem map between them out of the free vmalloc space', () => {
    // Two module areas at 0xbf000000, as an insmod on armmp puts them.
    const modules =
      '0xbf000000-0xbf006000   24192 load_module+0x9a0/0x1d7c pages=5 vmalloc\n' + '0xbf006000-0xbf00d000   28672 load_module+0x9a0/0x1d7c pages=6 vmalloc\n';
    const total = vmallocTotalOf(armhf)!;
    const plain = fragmentation(buildModel(parse(fixture(armhf)), { vmallocTotalKb: total }));
    const m = buildModel(parse(modules + fixture(armhf)), { vmallocTotalKb: total });
    const f = fragmentation(m);
    expect(m.layout!.regions.find((r) => r.id === 'modules')).toMatchObject({ start: 0xbf000000n, end: 0xc0000000n });
    expect([f.free, f.holeCount]).toEqual([plain.free, plain.holeCount]);
    expect(f.largest!.end - f.largest!.start < total * 1024n).toBe(true);
    // The gap between the modules and the vmalloc range (the lowmem map) is still the dump's largest gap.
    expect(m.largestGap!.exactBytes).toBe(0xf0800000n - 0xbf00d000n);
  });

  it('takes i386 VMALLOC_END as 0xfeffe000 (PAE) when areas reach above the non-PAE 0xfebfe000', () => {
    const m = buildModel(parse('0xf6000000-0xf6002000    8192 hpet_enable+0xc5/0x3da phys=0x00000000fed00000 ioremap\n0xfed00000-0xfed02000    8192 n_tty_open+0x16/0x90 pages=1 vmalloc\n'));
    expect(m.layout!.id).toBe('i386');
    expect(m.layout!.regions[0]).toMatchObject({ start: 0xf6000000n, end: 0xfeffe000n, endFrom: 'areas' });
  });
});

describe('the nearly full i386 capture (vmalloc=64M, 154 modules)', () => {
  const path = 'kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo';
  const text = fixture(path);
  const total = vmallocTotalOf(path)!;
  const m = buildModel(parse(text), { vmallocTotalKb: total });
  const holes = holesIndependently(text, 0xfebfe000n - total * 1024n, 0xfebfe000n);
  const largest = holes.reduce((a, b) => (a > b ? a : b), 0n);
  const free = holes.reduce((a, b) => a + b, 0n);

  it('has 64 MiB of vmalloc space, almost all of it taken', () => {
    expect(total).toBe(64n * 1024n);
    expect(free < 8n * MiB).toBe(true);
  });

  it('cannot take vmalloc(8 MiB): it names the largest hole and the areas that split the free space', () => {
    const r = probe(m, 8 << 20);
    expect(r.fits).toBe(false);
    expect(r.reason).toBeNull();
    expect(r.largest!.end - r.largest!.start).toBe(largest);
    expect(BigInt(r.freeBytes)).toBe(free);
    // Freeing the named areas would join holes into a stretch big enough; each lies inside it.
    const b = r.blockers!;
    expect(b.areas.length).toBeGreaterThan(0);
    expect(b.end - b.start >= BigInt(r.needBytes)).toBe(true);
    const areas = readIndependently(text).areas;
    for (const i of b.areas) expect(areas[i].start! >= b.start && areas[i].end! <= b.end).toBe(true);
    expect(b.busyBytes).toBe(b.areas.reduce((s, i) => s + areas[i].size, 0));
  });

  it('cannot take a request below its free total once the holes are split (6.5 MiB: 6.91 MiB free)', () => {
    const need = BigInt((13 << 19) + 4096);
    expect(free >= need && largest < need).toBe(true);
    expect(probe(m, 13 << 19).fits).toBe(false);
  });

  it('takes vmalloc(4 MiB) in the lowest hole big enough (first fit), as the kernel would', () => {
    const need = 4n * MiB + 4096n;
    const r = probe(m, 4 << 20);
    expect(r.fits).toBe(true);
    const firstFit = r.candidates[r.firstFit];
    expect(firstFit.end - firstFit.start).toBe(holes.find((h) => h >= need));
  });
});

describe('arm64 eras', () => {
  const line = (start: bigint, size: number, words: string) => `0x${start.toString(16)}-0x${(start + BigInt(size)).toString(16)} ${String(size).padStart(7)} ${words}`;
  // A 6.1 dump as arm64's 5.16–6.4 layout makes it: modules in the 128 MiB at 0xffff800000000000,
  // vmalloc from 0xffff800008000000 (start_kernel's first vmalloc sits right on it), the percpu
  // chunk at the top ending at VMALLOC_END = VMEMMAP_START − 256 MiB = 0xfffffbfff0000000.
  const v61 = [
    line(0xffff800000a00000n, 20480, 'load_module+0x1a4/0x1c80 pages=4 vmalloc N0=4'),
    line(0xffff800008000000n, 20480, 'start_kernel+0x364/0x820 pages=4 vmalloc N0=4'),
    line(0xffff800010000000n, 8192, '__ioremap_prot+0x70/0xb8 phys=0x0000000008020000 ioremap'),
    line(0xffff800090000000n, 16384, 'kernel_clone+0x8c/0x3e0 pages=3 vmalloc N0=3'),
    line(0xfffffbfff0000000n - 278528n, 278528, 'pcpu_get_vm_areas+0x0/0x1120 vmalloc'),
  ].join('\n');

  it('puts a 6.1 dump in the 5.16–6.4 layout: vmalloc from 0xffff800008000000, not 6.12’s 0xffff800080000000', () => {
    const m = buildModel(parse(v61));
    expect([m.layout!.id, m.layout!.era]).toEqual(['arm64-48', '5.16–6.4']);
    expect(m.layout!.regions).toEqual([
      expect.objectContaining({ id: 'vmalloc', start: 0xffff800008000000n, end: 0xfffffbfff0000000n, startFrom: 'areas', endFrom: 'areas' }),
      expect.objectContaining({ id: 'modules', start: 0xffff800000000000n, end: 0xffff800008000000n }),
    ]);
  });

  it('counts the holes below 0xffff800080000000, and offers a 64 MiB vmalloc the address the kernel would choose', () => {
    const m = buildModel(parse(v61));
    const f = fragmentation(m);
    // Holes: after start_kernel's area, after the ioremap, after kernel_clone's (nothing at the edges).
    expect(f.holeCount).toBe(3);
    const r = probe(m, 64 << 20);
    expect(r.candidates[r.firstFit].start).toBe(0xffff800008000000n + 20480n);
    // The whole range is as big as a 6.1 kernel's VmallocTotal says: (END − START) >> 10.
    const vm = m.layout!.regions[0];
    expect(f.free + 20480n + 8192n + 16384n + 278528n).toBe(vm.end - vm.start);
  });

  it('takes the era from VmallocTotal when the areas cannot tell, and says so', () => {
    // Only areas above 0xffff800080000000 and no percpu chunk at a known end: any era would do.
    const ambiguous = [line(0xffff800090000000n, 16384, 'kernel_clone+0x8c/0x3e0 pages=3 vmalloc N0=3'), line(0xffff800090004000n, 8192, 'n_tty_open+0x2c/0x110 pages=1 vmalloc')].join('\n');
    const kb61 = (0xfffffbfff0000000n - 0xffff800008000000n) >> 10n;
    const kb65 = (0xfffffbfff0000000n - 0xffff800080000000n) >> 10n;
    const byMeminfo = buildModel(parse(ambiguous), { vmallocTotalKb: kb61 });
    expect([byMeminfo.layout!.era, byMeminfo.layout!.evidence]).toEqual(['5.16–6.4', ['meminfo']]);
    expect(buildModel(parse(ambiguous), { vmallocTotalKb: kb65 }).layout!.era).toBe('6.5–6.8');
    const byRelease = buildModel(parse(ambiguous), { release: '6.1.0-27-arm64' });
    expect([byRelease.layout!.era, byRelease.layout!.evidence]).toEqual(['5.16–6.4', ['release']]);
    const unknown = buildModel(parse(ambiguous));
    expect([unknown.layout!.era, unknown.layout!.evidence]).toEqual(['6.9+', ['preset']]);
  });

  it('puts a 4.x dump (kernel half from 0xffff000000000000) in the 4.6–5.3 layout, with 64 KiB pages when the top area says so', () => {
    // CentOS 7's aarch64 kernel (64 KiB pages) prints at boot: "modules : 0xffff000000000000 -
    // 0xffff000008000000", "vmalloc : 0xffff000008000000 - 0xffff7bdfffff0000".
    const v4 = [
      line(0xffff000000a20000n, 131072, 'load_module+0x1a4/0x1c80 pages=2 vmalloc'),
      line(0xffff000008000000n, 131072, 'start_kernel+0x364/0x820 pages=1 vmalloc'),
      line(0xffff7bdfffff0000n - 0x40000n, 0x40000, 'pcpu_get_vm_areas+0x0/0x1120 vmalloc'),
    ].join('\n');
    const m = buildModel(parse(v4));
    expect([m.layout!.id, m.layout!.era]).toEqual(['arm64-48', '4.6–5.3, 64 KiB pages']);
    expect(m.layout!.regions.map((r) => [r.id, r.start, r.end])).toEqual([
      ['vmalloc', 0xffff000008000000n, 0xffff7bdfffff0000n],
      ['modules', 0xffff000000000000n, 0xffff000008000000n],
    ]);
    // An Android 4.x kernel (39-bit VA, 4 KiB pages): vmalloc 0xffffff8008000000–0xffffffbebfff0000.
    const android = [line(0xffffff8008000000n, 20480, 'start_kernel+0x364/0x820 pages=4 vmalloc'), line(0xffffff8008005000n, 8192, 'n_tty_open+0x2c/0x110 pages=1 vmalloc')].join('\n');
    const a = buildModel(parse(android));
    expect([a.layout!.id, a.layout!.era, a.layout!.regions[0].end]).toEqual(['arm64-39', '4.6–5.3', 0xffffffbebfff0000n]);
  });

  it('puts the bundled 6.12 captures in the 6.9+ layout from their areas alone', () => {
    const m = buildModel(parse(fixture('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo')));
    expect([m.layout!.era, m.layout!.evidence]).toEqual(['6.9+', ['areas']]);
  });
});

describe('VmallocTotal attached after the dump was read', () => {
  it('fixes the range of a model built without it, and the free space with it', () => {
    const path = 'kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo';
    const text = fixture(path);
    const total = vmallocTotalOf(path)!;
    // Drop the first area, so the lowest one no longer sits on VMALLOC_START.
    const shorter = text.split('\n').slice(1).join('\n');
    const before = buildModel(parse(shorter));
    const after = relayout(before, { vmallocTotalKb: total });
    expect(before.layout!.regions[0].start).not.toBe(0xfebfe000n - total * 1024n);
    expect(after.layout!.regions[0]).toMatchObject({ start: 0xfebfe000n - total * 1024n, startFrom: 'meminfo' });
    const holes = holesIndependently(shorter, 0xfebfe000n - total * 1024n, 0xfebfe000n);
    expect(fragmentation(after).free).toBe(holes.reduce((a, b) => a + b, 0n));
    expect(after.totals).toBe(before.totals);
  });

  it('sizes a range no known layout matches from VmallocTotal (riscv64 Sv57 with a smaller figure)', () => {
    const text =
      '0xff20000000000000-0xff20000000005000   20480 start_kernel+0x62a/0x9ac pages=4 vmalloc N0=4\n' +
      '0xff20000000005000-0xff20000000007000    8192 bpf_prog_alloc_no_stats+0x52/0x210 pages=1 vmalloc N0=1\n';
    const m = buildModel(parse(text), { vmallocTotalKb: 1n << 40n });
    expect(m.layout!.regions[0]).toMatchObject({ start: 0xff20000000000000n, end: 0xff20000000000000n + (1n << 50n), endFrom: 'meminfo' });
  });
});

describe('overlapping windows', () => {
  const line = (start: bigint, size: number, words: string) => `0x${start.toString(16)}-0x${(start + BigInt(size)).toString(16)} ${String(size).padStart(7)} ${words}`;

  it('tells a riscv64 Sv39 boot dump (vmalloc from 0xffffffc600000000) from arm64 39-bit, whose window holds it too', () => {
    const dump = [line(0xffffffc600000000n, 20480, 'start_kernel+0x62a/0x9ac pages=4 vmalloc'), line(0xffffffc600005000n, 8192, 'n_tty_open+0x2c/0x110 pages=1 vmalloc')].join('\n');
    const m = buildModel(parse(dump));
    expect(m.layout!.id).toBe('riscv64-sv39');
    expect(m.layout!.regions[0]).toMatchObject({ start: 0xffffffc600000000n, end: 0xffffffd600000000n });
  });

  it('puts an arm64 39-bit 6.12 boot dump (vmalloc from 0xffffffc080000000) in arm64-39', () => {
    const dump = [line(0xffffffc080000000n, 20480, 'start_kernel+0x364/0x820 pages=4 vmalloc'), line(0xffffffc080005000n, 8192, 'n_tty_open+0x2c/0x110 pages=1 vmalloc')].join('\n');
    const m = buildModel(parse(dump));
    expect([m.layout!.id, m.layout!.era]).toEqual(['arm64-39', '6.9+']);
  });
});

describe('a VmallocTotal that cannot be the dump’s', () => {
  it('is left out, with a note, when the areas span more than it (i386 with a 4 MiB VmallocTotal)', () => {
    const path = 'kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo';
    const m = buildModel(parse(fixture(path)), { vmallocTotalKb: 4096 });
    expect(m.layout!.evidence).not.toContain('meminfo');
    expect(m.layout!.notes.join(' ')).toContain("VmallocTotal (4096 kB) cannot be this dump's");
    expect(m.layout!.regions[0]).toEqual(buildModel(parse(fixture(path))).layout!.regions[0]);
  });

  it('is left out when no range of the architecture could be that big (2^60 kB on armhf)', () => {
    const m = buildModel(parse(fixture('kernels/armhf-6.1.0-50-armmp-boot-raw.vmallocinfo')), { vmallocTotalKb: 2n ** 60n });
    expect(m.layout!.regions[0].start).toBe(0xf0800000n);
    expect(m.layout!.evidence).not.toContain('meminfo');
  });
});

describe('laws of the range and its holes', () => {
  it('never throw, and the free holes lie inside the range, in order, apart from every area, summing to the free bytes', () => {
    fc.assert(
      fc.property(genDumpArb({ maxAreas: 40 }), fc.option(fc.oneof(fc.bigInt({ min: 1n, max: 1n << 46n }), fc.integer({ min: -5, max: 1 << 30 }), fc.double()), { nil: null }), (d, kb) => {
        const m = buildModel(parse(printGenDump(d)), { vmallocTotalKb: kb, release: '6.1.0-27-arm64' });
        const f = fragmentation(m);
        const vm = m.layout?.regions.find((r) => r.id === 'vmalloc');
        if (!vm) return f.holeCount === 0;
        const holes = freeHoles(m);
        let sum = 0n;
        let prev = vm.start;
        for (const h of holes) {
          if (h.start < prev || h.end <= h.start || h.end > vm.end) return false;
          prev = h.end;
          sum += h.end - h.start;
          for (const a of d.areas) if (a.start < h.end && a.start + BigInt(a.size) > h.start) return false;
        }
        return sum === f.free && f.holeCount === holes.length && f.free <= vm.end - vm.start;
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});
