// The worker's read of inputs, in Node: one dump as before, or a series packed for postMessage with
// its figures and its latest moment built. Checked against the real series' text split here.

import { describe, expect, it } from 'vitest';
import { unpackModel } from '../../lib/index.ts';
import { Series } from '../../lib/series/series.ts';
import { fixture, readIndependently } from '../../lib/testing/fixtures.ts';
import { bytesOfLines, realSeriesText, roundsOf } from '../../lib/testing/series.ts';
import { readAll } from './analyze.ts';

const encoder = new TextEncoder();
const buffer = (text: string) => encoder.encode(text).buffer as ArrayBuffer;
const X86 = 'kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo';

describe('reading inputs in the worker', () => {
  it('reads one dump of one round exactly as before', () => {
    const { result } = readAll([{ name: 'x86', bytes: buffer(fixture(X86)), mtime: null }]);
    expect(result.kind).toBe('single');
    if (result.kind !== 'single') return;
    expect(result.summary.areas).toBe(readIndependently(fixture(X86)).areas.length);
  });

  it('reads a stamped log as a series that survives structured cloning, its latest moment built', () => {
    const text = realSeriesText();
    const rounds = roundsOf(text);
    const last = rounds.length - 1;
    const { result, transfer } = readAll([{ name: 'log', bytes: buffer(text), mtime: null }]);
    expect(result.kind).toBe('series');
    if (result.kind !== 'series') return;
    expect(transfer.length).toBeGreaterThan(0);
    const copy = structuredClone(result);
    const series = Series.unpack(copy.series);
    expect(series.count).toBe(rounds.length);
    expect(series.snapshot(3).count).toBe(rounds[3].lines.length);
    expect(copy.latest.summary.areas).toBe(rounds[last].lines.length);
    expect(unpackModel(copy.latest.packed).snapshot.count).toBe(rounds[last].lines.length);
    expect(Array.from(copy.stats.bytes)).toEqual(rounds.map((r) => bytesOfLines(r.lines)));
    expect(copy.stats.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(copy.how).toMatch(/one per stamp line/);
  });

  it('refuses a recording with no complete moment, saying why', () => {
    const bytes = new Uint8Array([...encoder.encode('VMSCREC\n'), 1, 0, 0]);
    expect(() => readAll([{ name: 'cut.vmscope-rec', bytes: bytes.buffer, mtime: null }])).toThrow(/recording/);
  });
});
