import { describe, expect, it } from 'vitest';
import { readMeminfoLine } from '../input/capture.ts';
import type { MeminfoEntry } from '../input/capture.ts';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import { checkMeminfo } from './meminfo.ts';

const K = 'kernels/';
const model = (name: string) => buildModel(parse(new TextEncoder().encode(fixture(`${K}${name}.vmallocinfo`))));
const meminfo = (text: string): MeminfoEntry[] =>
  text
    .split('\n')
    .map((l, k) => readMeminfoLine(l, k + 1))
    .filter((m): m is MeminfoEntry => m !== null);
/** "VmallocUsed:  23900 kB" → 23900 * 1024, the awk way. */
const kB = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text)![1]) * 1024;
const vmallocPages = (name: string) => readIndependently(fixture(`${K}${name}.vmallocinfo`)).kinds.vmalloc.pages * 4096;

describe('the meminfo cross-check', () => {
  it('matches x86_64 VmallocTotal (32 TiB less 1 KiB) to the 32 TiB range and VmallocUsed to the pages', () => {
    const name = 'x86_64-6.1.0-56-after-insmod-raw';
    const text = fixture(`${K}${name}.meminfo`);
    const c = checkMeminfo(model(name), meminfo(text));
    expect(c.vmallocTotal).toBe(kB(text, 'VmallocTotal'));
    expect(c.detectedRange).toBe(2 ** 45);
    expect(c.totalMatches).toBe(true);
    expect(c.vmallocUsed).toBe(kB(text, 'VmallocUsed'));
    expect(c.vmallocPagesBytes).toBe(vmallocPages(name));
    expect(c.vmallocUsed).toBe(c.vmallocPagesBytes);
    expect(c.vmallocChunk).toBe(0);
    expect(c.notes).toEqual([
      expect.stringMatching(/^VmallocTotal \(32\.0 TiB\) matches the detected vmalloc range: the kernel prints the range in whole kB and 1,024 bytes short/),
      expect.stringMatching(/^VmallocUsed \(23\.3 MiB\) equals the pages= of the vmalloc areas/),
      expect.stringMatching(/^VmallocChunk is 0: kernels since 4\.4 no longer compute/),
    ]);
  });

  it('explains the 10 pages VmallocUsed counts beyond the dump after rmmod', () => {
    const name = 'x86_64-6.1.0-56-after-rmmod-raw';
    const text = fixture(`${K}${name}.meminfo`);
    const c = checkMeminfo(model(name), meminfo(text));
    expect(c.usedDifference).toBe(kB(text, 'VmallocUsed') - vmallocPages(name));
    expect(c.usedDifference).toBe(10 * 4096);
    expect(c.notes[1]).toMatch(/^VmallocUsed \(21\.6 MiB\) is 40 KiB \(10 pages\) more than the pages= of the vmalloc areas in the dump .*read at different moments/);
  });

  it('matches arm64 48-bit VmallocTotal exactly', () => {
    const name = 'arm64-6.12.117-deb12-boot-raw';
    const text = fixture(`${K}${name}.meminfo`);
    const c = checkMeminfo(model(name), meminfo(text));
    expect(c.detectedRange).toBe(kB(text, 'VmallocTotal'));
    expect(c.totalMatches).toBe(true);
    expect(c.notes[0]).toBe('VmallocTotal (126 TiB) matches the detected vmalloc range.');
  });

  it('explains a VmallocUsed of 0 by the kernels of 4.4 to 5.2 and a wrong total by the layout', () => {
    const c = checkMeminfo(model('x86_64-6.1.0-56-boot-raw'), meminfo('VmallocTotal:   1048576 kB\nVmallocUsed: 0 kB\nVmallocChunk: 524288 kB\n'));
    expect(c.totalMatches).toBe(false);
    expect(c.notes).toEqual([
      expect.stringMatching(/^VmallocTotal \(1 GiB\) differs from the detected x86_64, 4-level paging vmalloc range \(32 TiB\)/),
      'VmallocUsed is 0: kernels 4.4–5.2 do not count it (restored in 5.3 as the pages backing vmalloc areas).',
      'VmallocChunk is 512 MiB: the largest free chunk as kernels before 4.4 reported it.',
    ]);
  });

  it('says there is no range to compare with in a hashed dump, and nothing without meminfo', () => {
    const hashed = buildModel(parse(new TextEncoder().encode(fixture(`${K}x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo`))));
    const c = checkMeminfo(hashed, meminfo(fixture(`${K}x86_64-6.1.0-56-after-insmod-raw.meminfo`)));
    expect(c.detectedRange).toBeNull();
    expect(c.totalMatches).toBeNull();
    expect(c.notes[0]).toMatch(/addresses are hashed, so there is no range to compare it with/);
    const none = checkMeminfo(hashed, []);
    expect([none.vmallocTotal, none.vmallocUsed, none.vmallocChunk, none.notes]).toEqual([null, null, null, []]);
  });
});
