import { describe, expect, it } from 'vitest';
import { buildModel, buildTrack, parse, toDisplay } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { labelKeys, labelRuns } from './labels.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const model = buildModel(parse(fixture(RAW)));
const track = buildTrack(model, { collapse: true });
const keys = labelKeys(model);

describe('caller labels', () => {
  it('have at most 32 keys, so the bins can count them', () => {
    expect(keys.names.length + 1).toBeLessThanOrEqual(32);
    expect(Math.max(...keys.keyOf)).toBeLessThanOrEqual(keys.names.length);
  });

  it('name the thread stacks, the module area and the biggest allocation on the whole map', () => {
    const texts = labelRuns(track, { start: 0, end: track.total }, 1120, keys).map((r) => r.text);
    expect(texts).toContain('kernel_clone');
    expect(texts).toContain('load_module');
    expect(texts).toContain('disksize_store');
  });

  it('cover the module area with one load_module run despite the small gaps between modules', () => {
    const from = toDisplay(track, 0xffffffffc059e000n)!;
    const to = toDisplay(track, 0xffffffffc0b91000n)!;
    const runs = labelRuns(track, { start: from, end: to }, 600, keys);
    const load = runs.filter((r) => r.text === 'load_module');
    expect(load.length).toBeGreaterThanOrEqual(1);
    const widest = Math.max(...load.map((r) => r.x1 - r.x0));
    expect(widest).toBeGreaterThan(300);
  });

  it('name lazily freed areas, which print no caller', () => {
    const texts = labelRuns(track, { start: 0, end: track.total }, 1120, keys).map((r) => r.text);
    expect(texts).toContain('unpurged (lazily freed)');
  });

  it('lie inside the map, left to right, without overlapping', () => {
    const runs = labelRuns(track, { start: 0, end: track.total }, 1120, keys);
    for (let j = 0; j < runs.length; j++) {
      expect(runs[j].x0).toBeGreaterThanOrEqual(0);
      expect(runs[j].x1).toBeLessThanOrEqual(1120 + 1e-9);
      if (j > 0) expect(runs[j].x0).toBeGreaterThanOrEqual(runs[j - 1].x1 - 1e-9);
    }
  });
});
