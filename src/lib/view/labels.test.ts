import { describe, expect, it } from 'vitest';
import { buildModel, buildTrack, parse, toDisplay } from '../index.ts';
import { fixture } from '../testing/fixtures.ts';
import { labelKeys, labelRuns, placeLabels, widestPiece } from './labels.ts';
import type { LabelRun } from './labels.ts';
import type { Break } from './track.ts';

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

describe('placing the caller labels', () => {
  // Ten CSS pixels a letter; a name is centred under its run with 5 px free either side.
  const tenPerLetter = (text: string) => text.length * 10;
  const run = (x0: number, x1: number, text: string): LabelRun => ({ x0, x1, text });

  it('names the widest runs first, in the upper row where there is room and the lower one where not', () => {
    const runs = [
      run(0, 100, 'aaaa'), // 100 px: centred at 50, taking 25..75 of the upper row
      run(100, 130, 'bbbb'), // 30 px: 90..140, free in the upper row
      run(60, 80, 'cccccc'), // 20 px: 35..105 meets 'aaaa' above and 'ffffff' below: left out
      run(180, 200, 'dddd'), // 20 px at the right edge: pulled in to end 1 px inside, centre 179
      run(130, 140, 'e'), // 10 px: too narrow to name
      run(65, 90, 'ffffff'), // 25 px: 42.5..112.5 meets 'aaaa', so the lower row
    ];
    const placed = placeLabels(runs, 200, tenPerLetter).map((p) => [p.run.text, p.cx, p.row]);
    expect(placed).toEqual([
      ['aaaa', 50, 0],
      ['bbbb', 115, 0],
      ['ffffff', 77.5, 1],
      ['dddd', 179, 0],
    ]);
  });

  it('keeps the names of the real runs inside the map and apart within each row', () => {
    const w = 1120;
    const runs = labelRuns(track, { start: 0, end: track.total }, w, keys);
    const placed = placeLabels(runs, w, tenPerLetter);
    expect(placed.length).toBeGreaterThan(2);
    for (const p of placed) {
      const half = tenPerLetter(p.run.text) / 2;
      expect(p.run.x1 - p.run.x0).toBeGreaterThanOrEqual(12);
      expect(p.cx - half).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(p.cx + half).toBeLessThanOrEqual(w - 1 + 1e-9);
    }
    for (const a of placed) {
      for (const b of placed) {
        if (a === b || a.row !== b.row) continue;
        const [ha, hb] = [tenPerLetter(a.run.text) / 2 + 5, tenPerLetter(b.run.text) / 2 + 5];
        expect(a.cx + ha <= b.cx - hb || b.cx + hb <= a.cx - ha).toBe(true);
      }
    }
  });
});

describe('the widest piece of a region band', () => {
  const gap = (at: number, width: number, unknown = false): Break => ({ at, width, bytes: unknown ? NaN : width * 1000, start: null, end: null, unknown, after: 0 });
  const breaks = [gap(100, 10), gap(300, 10), gap(350, 0, true)];
  const css = (d: number) => d * 2;

  it('is the longest stretch between collapsed breaks, in CSS pixels, with unknown gaps not cutting it', () => {
    // Pieces 0..100, 110..300 and 310..400 (the unknown gap at 350 does not split the last one).
    expect(widestPiece(breaks, 0, 400, css)).toEqual([220, 600]);
    expect(widestPiece(breaks, 310, 400, css)).toEqual([620, 800]);
  });

  it('is the whole interval when no break falls inside it', () => {
    expect(widestPiece(breaks, 150, 250, css)).toEqual([300, 500]);
    expect(widestPiece([], 5, 7, css)).toEqual([10, 14]);
  });
});
