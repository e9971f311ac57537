import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDump } from '../input/read.ts';
import { SAMPLES_DIR, fixture } from '../testing/fixtures.ts';
import { Matcher, SeriesBuilder, areaKey } from './build.ts';
import type { MomentMeta } from './build.ts';
import { KEYFRAME_EVERY, Series } from './series.ts';

const encoder = new TextEncoder();

/** The real series' rounds, split here with a plain regex on its `date -Is` stamp lines. */
function realRounds(): { stamp: string; lines: string[] }[] {
  const text = gunzipSync(readFileSync(`${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`)).toString('utf8');
  const rounds: { stamp: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT/.test(line)) rounds.push({ stamp: line, lines: [] });
    else if (line.startsWith('0x')) rounds[rounds.length - 1].lines.push(line);
  }
  return rounds;
}

function meta(label: string | null = null): MomentMeta {
  return { time: label ? Date.parse(label) : null, timeFrom: label ? 'stamp' : null, label, zone: null, source: 'test', line: 1 };
}

/** A moment's lines as a sorted multiset of normalised text (runs of spaces as one). */
function multiset(lines: string[]): string[] {
  return lines.map((l) => l.trim().replace(/\s+/g, ' ')).sort();
}

/** The lines a snapshot prints back, normalised like `multiset`. */
function printed(series: Series, i: number, source: string[][]): string[] {
  // Each table id's text is the line it was first read from: find it through the table's line numbers.
  const ids = series.ids(i);
  return multiset([...ids].map((id) => source[id][0]));
}

function seriesOf(rounds: string[][]): { series: Series; texts: string[][] } {
  const b = new SeriesBuilder();
  const texts: string[][] = [];
  for (const lines of rounds) {
    const parsed = parseDump(encoder.encode(lines.join('\n') + '\n'));
    const before = b.tableCount;
    b.addParsed(meta(), parsed);
    // the areas that took new ids: their text by the parser's line numbers
    for (let id = before; id < b.tableCount; id++) texts[id] = [lines[b.tableLine(id) - 1]];
  }
  return { series: b.finish(), texts };
}

describe('a series of the real recorded log', () => {
  const rounds = realRounds();
  const { series, texts } = seriesOf(rounds.map((r) => r.lines));

  it('has one moment per stamp, each with exactly its round’s area lines', () => {
    expect(series.count).toBe(rounds.length);
    for (let i = 0; i < rounds.length; i++) {
      expect(series.snapshot(i).count).toBe(rounds[i].lines.length);
      expect(printed(series, i, texts)).toEqual(multiset(rounds[i].lines));
    }
  });

  it('adds up each moment’s bytes to the sum of its size column', () => {
    for (let i = 0; i < rounds.length; i++) {
      const want = rounds[i].lines.reduce((s, l) => s + Number(l.split(/\s+/)[1]), 0);
      const snap = series.snapshot(i);
      let got = 0;
      for (let k = 0; k < snap.count; k++) got += snap.columns.size[k];
      expect(got).toBe(want);
    }
  });

  it('stores each distinct line once: the table is the union of the moments', () => {
    const distinct = new Set<string>();
    for (const r of rounds) {
      const counts = new Map<string, number>();
      for (const l of multiset(r.lines)) {
        const k = (counts.get(l) ?? 0) + 1;
        counts.set(l, k);
        distinct.add(`${l}#${k}`);
      }
    }
    // a line that goes and comes back later takes a new id, so the table is at least the union
    expect(series.table.count).toBeGreaterThanOrEqual(distinct.size);
    expect(series.table.count).toBeLessThan(rounds.reduce((s, r) => s + r.lines.length, 0));
  });

  it('rebuilds any moment in any order, from keyframes or its neighbour', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: rounds.length - 1 }), { minLength: 1, maxLength: 20 }), (order) => {
        for (const i of order) expect(printed(series, i, texts)).toEqual(multiset(rounds[i].lines));
      }),
      { numRuns: 20 },
    );
  });

  it('moves whole between threads as plain data', () => {
    const copy = structuredClone(series.pack().packed);
    const back = Series.unpack(copy);
    const last = rounds.length - 1;
    expect(back.snapshot(last).count).toBe(rounds[last].lines.length);
    expect([...back.ids(last)]).toEqual([...series.ids(last)]);
  });
});

describe('matching identical lines', () => {
  it('matches zeroed lines as a multiset, so counts stay exact when copies come and go', () => {
    const lines = fixture('kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo').split('\n').filter((l) => l.startsWith('0x'));
    const extra = lines.slice(0, 50);
    const rounds = [lines, [...lines, ...extra], [...lines.slice(30)], lines];
    const { series, texts } = seriesOf(rounds);
    for (let i = 0; i < rounds.length; i++) expect(printed(series, i, texts)).toEqual(multiset(rounds[i]));
    expect(series.added[1].length).toBe(50);
    expect(series.removed[2].length).toBe(80);
  });

  it('hands the k-th copy of a line the k-th id it had', () => {
    const m = new Matcher();
    const a = m.next(['x', 'y', 'x']);
    expect([...a.ids]).toEqual([0, 1, 2]);
    const b = m.next(['x', 'z']);
    expect([...b.ids]).toEqual([0, 3]);
    expect([...b.removed]).toEqual([1, 2]);
    expect(b.added).toEqual([1]);
  });

  it('keys an area by what it is, not by how its line was spaced', () => {
    const line = '0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xca/0x100 vmap';
    const a = parseDump(encoder.encode(line + '\n')).snapshot;
    const b = parseDump(encoder.encode(line.replace(/ +/g, ' ') + '\n')).snapshot;
    expect(areaKey(a, 0)).toBe(areaKey(b, 0));
  });
});

describe('a series built from changes', () => {
  it('gives the same moments as the whole moments it was made from', () => {
    const rounds = realRounds().slice(0, KEYFRAME_EVERY + 5);
    const whole = seriesOf(rounds.map((r) => r.lines)).series;
    const { texts } = seriesOf(rounds.map((r) => r.lines));
    // the change form: each moment's new areas re-parsed from their text, and the ids that went
    const b = new SeriesBuilder();
    for (let i = 0; i < whole.count; i++) {
      const added = parseDump(encoder.encode([...whole.added[i]].map((id) => texts[id][0]).join('\n') + '\n'));
      b.addChange(meta(), whole.removed[i], added.snapshot, added.capture);
    }
    const changed = b.finish();
    for (let i = 0; i < whole.count; i++) expect([...changed.ids(i)]).toEqual([...whole.ids(i)]);
    expect(changed.table.count).toBe(whole.table.count);
  });

  it('refuses a change that removes an id that is not alive', () => {
    const b = new SeriesBuilder();
    const one = parseDump(encoder.encode('0xffffc90000000000-0xffffc90000005000   20480 f+0x1/0x2 vmap\n'));
    b.addChange(meta(), new Uint32Array(0), one.snapshot, one.capture);
    expect(() => b.addChange(meta(), Uint32Array.of(7), one.snapshot, one.capture)).toThrow(/not alive/);
    expect(b.count).toBe(1);
  });
});

describe('a quiet moment of a recording', () => {
  it('keeps the pointer mode and address width of the areas it still holds', () => {
    const b = new SeriesBuilder();
    const one = parseDump(encoder.encode('0xffffc90000000000-0xffffc90000005000   20480 f+0x1/0x2 vmap\n'));
    const none = parseDump(encoder.encode(''));
    b.addChange(meta(), new Uint32Array(0), one.snapshot, one.capture);
    b.addChange(meta(), new Uint32Array(0), none.snapshot, none.capture);
    const s = b.finish();
    expect(s.snapshot(1).pointerMode).toBe(one.snapshot.pointerMode);
    expect(s.snapshot(1).addressDigits).toBe(16);
    expect(s.snapshot(1).count).toBe(1);
  });
});

describe('a moment gathered in id order', () => {
  it('is not called sorted when its areas are out of address order, so the model sorts them', () => {
    const lines = fixture('kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo').split('\n').filter((l) => l.startsWith('0x'));
    // moment 0: the last line; moment 1: the first line too, which takes a higher id but a lower address
    const { series } = seriesOf([[lines[lines.length - 1]], [lines[0], lines[lines.length - 1]]]);
    const snap = series.snapshot(1);
    expect(snap.sorted).toBe(false);
    const starts = [...snap.columns.startLo];
    expect(starts[0]).toBeGreaterThan(starts[1]);
  });
});
