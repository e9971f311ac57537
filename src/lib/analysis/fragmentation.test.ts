import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture, fixtures, readIndependently } from '../testing/fixtures.ts';
import { summarize } from '../summary.ts';
import { fragmentation, freeHoles, parseByteSize, probe } from './fragmentation.ts';

const model = (text: string) => buildModel(parse(new TextEncoder().encode(text)));

// x86_64 4-level: the vmalloc range starts at the lowest area rounded down to 1 GiB and spans 32 TiB.
const BASE = 0xffffc90000000000n;
const END = BASE + (32n << 40n);
const SYNTHETIC = [
  '0xffffc90000000000-0xffffc90000002000    8192 a_fn+0x1/0x10 pages=1 vmalloc N0=1',
  // hole 0x2000-0x5000: 12 KiB
  '0xffffc90000005000-0xffffc90000009000   16384 b_fn+0x1/0x10 pages=3 vmalloc N0=3',
  // hole 0x9000-0x19000: 64 KiB
  '0xffffc90000019000-0xffffc9000001b000    8192 c_fn+0x1/0x10 pages=1 vmalloc N0=1',
  // hole 0x1b000-0x40000: 148 KiB
  '0xffffc90000040000-0xffffc90000042000    8192 d_fn+0x1/0x10 pages=1 vmalloc N0=1',
  // two holes of 8 KiB, smaller than the first one
  '0xffffc90000044000-0xffffc90000046000    8192 e_fn+0x1/0x10 pages=1 vmalloc N0=1',
  '0xffffc90000048000-0xffffc9000004a000    8192 f_fn+0x1/0x10 pages=1 vmalloc N0=1',
  // then free to the end of the range
].join('\n') + '\n';
const LAST_END = BASE + 0x4a000n;

describe('free holes and fragmentation of a dump with known holes', () => {
  const m = model(SYNTHETIC);

  it('gives the summary both figures: the largest free stretch (edges included) and the largest hole between areas', () => {
    const s = summarize(m);
    expect(s.largestFreeVmallocBytes).toBe(Number(END - LAST_END));
    expect(s.largestVmallocHoleBytes).toBe(0x25000);
  });

  it('lists the five holes between areas and the one up to the end of the range, exactly', () => {
    expect(freeHoles(m).map((h) => [h.start - BASE, h.end - BASE, h.bytes, h.after])).toEqual([
      [0x2000n, 0x5000n, 0x3000, 0],
      [0x9000n, 0x19000n, 0x10000, 1],
      [0x1b000n, 0x40000n, 0x25000, 2],
      [0x42000n, 0x44000n, 0x2000, 3],
      [0x46000n, 0x48000n, 0x2000, 4],
      [0x4a000n, END - BASE, Number(END - LAST_END), 5],
    ]);
  });

  it('sums the free space and names the largest hole in the fragmentation index', () => {
    const f = fragmentation(m);
    const free = 0x3000 + 0x10000 + 0x25000 + 0x4000 + Number(END - LAST_END);
    expect(f.freeBytes).toBe(free);
    expect(f.largest?.start).toBe(LAST_END);
    expect(f.index).toBeCloseTo(1 - Number(END - LAST_END) / free, 15);
    expect(f.holeCount).toBe(6);
    expect(f.betweenBytes).toBe(0x3000 + 0x10000 + 0x25000 + 0x4000);
    expect(f.betweenBytes).toBe(m.vmallocFreeBytes);
  });

  it('rounds a request to pages plus a guard and puts the best-fitting hole first and flags the first fit', () => {
    // 40000 bytes → 10 pages + guard = 45056: fits the 64 KiB, 148 KiB and the tail holes.
    const p = probe(m, 40000);
    expect(p.needBytes).toBe(11 * 4096);
    expect(p.fits).toBe(true);
    expect(p.fittingCount).toBe(3);
    expect(p.candidates.map((h) => h.start - BASE)).toEqual([0x9000n, 0x1b000n, LAST_END - BASE]);
    expect(p.firstFit).toBe(0);
    // 64 KiB → 17 pages: the 64 KiB hole is a page short; first fit is the 148 KiB hole.
    const q = probe(m, 65536, 1);
    expect(q.needBytes).toBe(17 * 4096);
    expect(q.fittingCount).toBe(2);
    expect(q.candidates.map((h) => h.start - BASE)).toEqual([0x1b000n]);
    expect(q.firstFit).toBe(0);
  });

  it('keeps the first-fit hole among the candidates even past the limit', () => {
    // 4 KiB → 8 KiB: every hole fits; the best are the two 8 KiB holes, but vmalloc takes the 12 KiB one at the bottom.
    const p = probe(m, 4096, 2);
    expect(p.fittingCount).toBe(6);
    expect(p.candidates.map((h) => h.start - BASE)).toEqual([0x42000n, 0x2000n]);
    expect(p.firstFit).toBe(1);
    expect(probe(m, 4096, 3).candidates.map((h) => h.start - BASE)).toEqual([0x42000n, 0x46000n, 0x2000n]);
    const big = probe(m, 100000, 1); // 26 pages: the 148 KiB hole (first fit) and the tail; best is 148 KiB
    expect(big.candidates.map((h) => h.start - BASE)).toEqual([0x1b000n]);
    const huge = probe(m, 2 ** 44, 1); // only the tail fits
    expect(huge.candidates.map((h) => h.start)).toEqual([LAST_END]);
    expect(probe(m, 2 ** 46).fits).toBe(false);
    expect(probe(m, 2 ** 46).reason).toBeNull();
  });

  it('says why nothing can be probed in a hashed dump', () => {
    const hashed = model(fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo'));
    expect(probe(hashed, 4096).reason).toMatch(/hashed/);
    expect(fragmentation(hashed)).toMatchObject({ freeBytes: 0, largest: null, index: null, holeCount: 0 });
  });

  it('agrees with the holes a reader finds between address-sorted lines of a real dump', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const m2 = model(text);
    const vm = m2.layout!.regions.find((r) => r.id === 'vmalloc')!;
    const areas = readIndependently(text).areas.filter((a) => a.start! >= vm.start && a.start! < vm.end).sort((a, b) => (a.start! < b.start! ? -1 : 1));
    let free = 0n;
    let end = vm.start;
    for (const a of areas) {
      if (a.start! > end) free += a.start! - end;
      if (a.end! > end) end = a.end!;
    }
    free += vm.end - end;
    expect(fragmentation(m2).freeBytes).toBe(Number(free));
  });
});

describe('parseByteSize', () => {
  it('reads plain, hex and binary-unit sizes', () => {
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('0x10000')).toBe(65536);
    expect(parseByteSize('64k')).toBe(65536);
    expect(parseByteSize('16M')).toBe(16 * 2 ** 20);
    expect(parseByteSize('1.5 MiB')).toBe(1572864);
    expect(parseByteSize('2 GB')).toBe(2 * 2 ** 30);
    expect(parseByteSize(' 8 KiB ')).toBe(8192);
  });

  it('refuses what is not a size', () => {
    for (const t of ['', 'abc', '-4', '1.2.3', '16 X', '0x']) expect(parseByteSize(t), t).toBeNull();
  });

  it('reads back any byte count it is given in kibibytes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (k) => parseByteSize(`${k}k`) === k * 1024 && parseByteSize(String(k)) === k));
  });
});

describe('free space past 2^53 bytes (riscv64 Sv57: a 2^54-byte range)', () => {
  // Documentation/arch/riscv/vm-layout.rst, Sv57: vmalloc 0xff20000000000000–0xff60000000000000.
  const S = 0xff20000000000000n;
  const E = 0xff60000000000000n;
  const line = (start: bigint, size: bigint) => `0x${start.toString(16)}-0x${(start + size).toString(16)} ${size} start_kernel+0x62a/0x9ac pages=1 vmalloc N0=1`;
  // The first hole is 2^53 + 1 bytes, which a Number cannot hold; the two add up to nearly 2^54.
  const second = S + (1n << 53n) + 0x1001n;
  const m = model([line(S, 0x1000n), line(second, 0x1000n)].join('\n') + '\n');
  const holes = [second - (S + 0x1000n), E - (second + 0x1000n)];

  it('sums the free space exactly and picks the larger hole by its exact size', () => {
    expect(m.layout?.id).toBe('riscv64-sv57');
    const f = fragmentation(m);
    expect(f.free).toBe(holes[0] + holes[1]);
    expect(f.freeBytes).toBe(Number(holes[0] + holes[1]));
    expect(f.holeCount).toBe(2);
    expect(f.largest?.start).toBe(S + 0x1000n);
    expect(f.largest!.end - f.largest!.start).toBe(holes[0]);
  });

  it('adds the free space of the real riscv64 capture exactly, as BigInt from its hole bounds', () => {
    const real = model(fixture('kernels/riscv64-6.12.117-deb13-after-insmod-raw.vmallocinfo'));
    const all = freeHoles(real);
    const f = fragmentation(real);
    expect(f.free).toBe(all.reduce((a, h) => a + (h.end - h.start), 0n));
    expect(f.free > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const biggest = all.reduce((a, h) => (h.end - h.start > a.end - a.start ? h : a));
    expect(f.largest).toEqual(biggest);
  });
});

describe('the figures agree with the holes themselves', () => {
  it('counts, adds up and picks the largest of the listed holes, exactly, on every bundled capture', () => {
    for (const { path, text } of fixtures()) {
      const m = model(text);
      const holes = freeHoles(m);
      const f = fragmentation(m);
      expect(f.holeCount, path).toBe(holes.length);
      expect(f.free, path).toBe(holes.reduce((a, h) => a + (h.end - h.start), 0n));
      const biggest = holes.reduce<(typeof holes)[number] | null>((a, h) => (!a || h.end - h.start > a.end - a.start ? h : a), null);
      expect(f.largest, path).toEqual(biggest);
    }
  });
});
