import { describe, expect, it } from 'vitest';
import { diffModels } from './analysis/diff.ts';
import { diffForJson } from './analysis/exactDiff.ts';
import { exactJson } from './json.ts';
import { buildModel } from './model/model.ts';
import { parse } from './parse/scanner.ts';
import { summarize, summaryForJson } from './summary.ts';
import { splitCapture } from './input/capture.ts';
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

describe('totals past 2^53 (only hostile input gets there: each size is below 2^53)', () => {
  const big = 2n ** 53n - 1n;
  const a = '0xffffc90000000000-0xffffc90000001000    4096 f+0x0/0x1 pages=1 vmalloc\n';
  const b =
    a +
    `0xffffc90000100000-0xffffc90000101000 ${big} g+0x0/0x1 vmalloc\n` +
    `0xffffc90000200000-0xffffc90000201000 ${big} g+0x0/0x1 vmalloc\n`;

  it('are summed exactly in summary --json', () => {
    const json = exactJson(summaryForJson(buildModel(parse(b))));
    expect(json).toContain(`"bytes": ${4096n + 2n * big},`);
    expect(json).toMatch(new RegExp(`"function": "g",\\s+"count": 2,\\s+"bytes": ${2n * big}`));
  });

  it('keep a module’s loader areas with its tagged ones when /proc/modules is given', () => {
    // Module m: two loader areas (its text holds the base /proc/modules prints; lsmod's size is
    // both minus a guard page each) and one area tagged [m]; the two huge areas of b push the
    // totals past 2^53, so the figures are summed again as BigInt.
    const text =
      b +
      '0xffffffffc0000000-0xffffffffc0002000    8192 load_module+0x0/0x1 pages=1 vmalloc\n' +
      '0xffffffffc0002000-0xffffffffc0005000   12288 load_module+0x0/0x1 pages=2 vmalloc\n' +
      '0xffffc90000300000-0xffffc90000302000    8192 m_init+0x0/0x1 [m] pages=1 vmalloc\n';
    const modules = splitCapture(new TextEncoder().encode('m 12288 0 - Live 0xffffffffc0000000\n')).modules;
    const model = buildModel(parse(text));
    const json = exactJson(summaryForJson(model, summarize(model, 10, modules), modules));
    expect(json).toMatch(/"m": \{\s+"count": 3,\s+"bytes": 28672\s+\}/);
  });

  it('are summed exactly in diff --json', () => {
    const ma = buildModel(parse(a));
    const mb = buildModel(parse(b));
    const json = exactJson(diffForJson(diffModels(ma, mb), ma, mb));
    expect(json).toMatch(new RegExp(`"added": \\{\\s+"count": 2,\\s+"bytes": ${2n * big}\\s+\\}`));
    expect(json).toContain(`"netBytes": ${2n * big},`);
  });
});
