import { describe, expect, it } from 'vitest';
import { exactJson } from './json.ts';
import { buildModel } from './model/model.ts';
import { parse } from './parse/scanner.ts';
import { summaryForJson } from './summary.ts';
import { fixture, readIndependently } from './testing/fixtures.ts';

describe('exact JSON', () => {
  it('prints BigInt as exact integer literals and everything else as JSON.stringify does', () => {
    const value = { a: 1, b: [1, 'x', null, true], c: { d: 2n ** 60n + 1n, e: undefined }, f: [], g: {}, h: -5n };
    const text = exactJson(value);
    expect(text).toContain('"d": 1152921504606846977');
    expect(text).toContain('"h": -5');
    const { c: _c, h: _h, ...plain } = value;
    expect(exactJson(plain)).toBe(JSON.stringify(plain, null, 2));
    expect(exactJson({ s: 'q"\n' }, 0)).toBe(JSON.stringify({ s: 'q"\n' }));
  });

  it('gives the riscv64 capture’s gaps and free space to the byte, past 2^53', () => {
    const path = 'kernels/riscv64-6.12.117-deb13-after-insmod-raw.vmallocinfo';
    const text = fixture(path);
    // Largest gap between address-consecutive areas, and the free space of the Sv57 range
    // (0xff20000000000000–0xff60000000000000), with BigInt from the text.
    const areas = readIndependently(text).areas.sort((a, b) => (a.start! < b.start! ? -1 : a.start! > b.start! ? 1 : 0));
    let reached = areas[0].end!;
    let largestGap = 0n;
    for (const a of areas.slice(1)) {
      if (a.start! - reached > largestGap) largestGap = a.start! - reached;
      if (a.end! > reached) reached = a.end!;
    }
    let free = 0n;
    let at = 0xff20000000000000n;
    for (const a of areas.filter((x) => x.start! >= 0xff20000000000000n && x.start! < 0xff60000000000000n)) {
      if (a.start! > at) free += a.start! - at;
      if (a.end! > at) at = a.end!;
    }
    free += 0xff60000000000000n - at;
    expect(largestGap > 2n ** 53n && free > 2n ** 53n).toBe(true);
    const json = exactJson(summaryForJson(buildModel(parse(text))));
    expect(json).toContain(`"largestGapBytes": ${largestGap},`);
    expect(json).toContain(`"vmallocFreeBytes": ${free},`);
    expect(largestGap.toString()).toBe('45035992010637312');
  });
});
