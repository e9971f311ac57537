import { describe, expect, it } from 'vitest';
import { buildModel, buildTrack, formatBytes, parse, toDisplay } from '../index.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import { areaBytesIn, captionText } from './caption.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const HASHED = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';

const hex = (a: bigint) => `0x${a.toString(16).padStart(16, '0')}`;

describe('the caption above the overview', () => {
  const text = fixture(RAW);
  const model = buildModel(parse(text));
  const areas = readIndependently(text)
    .areas.map((a) => ({ start: a.start!, end: a.end! }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  // From the middle of an area near the bottom to the middle of one near the top: most holes lie between.
  const lo = areas[5];
  const hi = areas[areas.length - 5];
  const from = lo.start + (lo.end - lo.start) / 2n;
  const to = hi.start + (hi.end - hi.start) / 2n;
  // Bytes of areas between the two addresses, each area cut to the range.
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const inAreas = areas.reduce((sum, a) => sum + Number(max(0n, min(a.end, to) - max(a.start, from))), 0);

  it('gives the address range in view, its true span and the bytes of areas in it when holes are collapsed', () => {
    const track = buildTrack(model, { collapse: true });
    expect(track.breaks.length).toBeGreaterThan(0);
    const view = { start: toDisplay(track, from)!, end: toDisplay(track, to)! };
    // The collapsed display width is far smaller than the addresses it stands for: the caption must not mix them.
    expect(view.end - view.start).toBeLessThan(Number(to - from) / 100);
    const { whole, below } = captionText(track, view);
    expect(below).toBe(`Below: ${hex(from)} – ${hex(to)}, ${formatBytes(Number(to - from))} of addresses · ${formatBytes(inAreas)} in areas`);
    expect(whole).toMatch(/, big free holes collapsed$/);
  });

  it('says the same in the linear layout, where display and addresses agree', () => {
    const collapsed = buildTrack(model, { collapse: true });
    const linear = buildTrack(model, { collapse: false });
    const view = { start: toDisplay(linear, from)!, end: toDisplay(linear, to)! };
    expect(captionText(linear, view).below).toBe(`Below: ${hex(from)} – ${hex(to)}, ${formatBytes(Number(to - from))} of addresses · ${formatBytes(inAreas)} in areas`);
    // The whole track spans the same addresses either way.
    expect(captionText(linear, { start: 0, end: linear.total }).whole).toBe(`Whole track: ${formatBytes(linear.total)} of addresses, linear`);
    expect(captionText(collapsed, { start: 0, end: collapsed.total }).whole).toBe(`Whole track: ${formatBytes(linear.total)} of addresses, big free holes collapsed`);
  });

  it('counts every area byte over the whole track', () => {
    const track = buildTrack(model, { collapse: true });
    const total = areas.reduce((sum, a) => sum + Number(a.end - a.start), 0);
    expect(areaBytesIn(track, 0, track.total)).toBe(total);
  });

  it('gives offsets into the packed areas of a hashed dump', () => {
    const hashed = fixture(HASHED);
    const track = buildTrack(buildModel(parse(hashed)), { collapse: true });
    const bytes = readIndependently(hashed).bytes;
    const { whole, below } = captionText(track, { start: 0, end: track.total });
    expect(whole).toBe(`Whole track: ${formatBytes(bytes)} of areas, packed in file order`);
    expect(below).toBe(`Below: +0 B – +${formatBytes(bytes)} into it · ${formatBytes(bytes)} in areas`);
  });
});
