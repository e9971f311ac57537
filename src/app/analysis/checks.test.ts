import { describe, expect, it } from 'vitest';
import { buildModel, parse } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { loaderAreaOf, moduleStatus } from './checks.ts';

const TEXT = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
const model = buildModel(parse(TEXT));
const areaLines = TEXT.split('\n').filter((l) => l.startsWith('0x'));

describe("a module's loader area", () => {
  it('is the load_module area whose range holds the base address /proc/modules prints', () => {
    // erofs 110592 1 - Live 0xffffffffc0b75000
    const holding = areaLines.findIndex((l) => l.startsWith('0xffffffffc0b75000-'));
    const before = areaLines.findIndex((l) => l.includes('-0xffffffffc0b75000 '));
    expect(holding).toBeGreaterThanOrEqual(0);
    expect(before).toBeGreaterThanOrEqual(0);
    expect(loaderAreaOf(model, { address: '0xffffffffc0b75000', areas: [before, holding] })).toBe(holding);
  });

  it('falls back to the biggest area without an address, and is null without areas', () => {
    const sizes = areaLines.map((l) => Number(l.trim().split(/\s+/)[1]));
    const big = sizes.indexOf(Math.max(...sizes.slice(0, 10)));
    expect(loaderAreaOf(model, { address: null, areas: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(big);
    expect(loaderAreaOf(model, { address: '0xffffffffc0b75000', areas: [] })).toBeNull();
  });
});

describe('the module status', () => {
  const one = { loaderAreas: [0], agreement: 'exact' as const, agreementText: 'adds up' };
  it('is as expected when the loader bytes are lsmod rounded up plus a guard page', () => {
    expect(moduleStatus({ ...one, address: '0xffffffffc0b75000', loaderBytes: 114688, expectedLoaderBytes: 114688 })).toEqual({ ok: true, text: 'as expected', delta: 0 });
  });

  it('is as expected, with the number of areas, when a 6.4+ module’s sections add up', () => {
    const four = { loaderAreas: [0, 1, 2, 3], agreement: 'exact' as const, agreementText: '4 areas add up' };
    expect(moduleStatus({ ...four, address: '0xffffc24dd6289000', loaderBytes: 180224, expectedLoaderBytes: 180224 })).toEqual({ ok: true, text: 'as expected: 4 areas add up', delta: 0 });
  });

  it('gives the difference when they disagree, and says so when the address is hidden or unheld', () => {
    const off = { loaderAreas: [0], agreement: 'disagrees' as const, agreementText: 'cannot be made to agree' };
    expect(moduleStatus({ ...off, address: '0xffffffffc0b75000', loaderBytes: 118784, expectedLoaderBytes: 114688 })).toEqual({ ok: false, text: 'cannot be made to agree', delta: 4096 });
    expect(moduleStatus({ ...off, address: '0x0000000000000000', loaderBytes: 0, expectedLoaderBytes: 114688, agreement: 'unknown' }).ok).toBeNull();
    expect(moduleStatus({ ...off, address: '0xffffffffc0b75000', loaderBytes: 0, expectedLoaderBytes: 114688, agreementText: 'no area holds its address' })).toEqual({
      ok: false,
      text: 'no area holds its address',
      delta: 0,
    });
  });
});
