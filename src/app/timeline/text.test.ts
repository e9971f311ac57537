import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../lib/index.ts';
import { axisNote, everyText, liveText, localOffsetText, momentName, signedBytes, tooltipLines } from './text.ts';
import { handStats, rounds, seriesText } from '../../lib/testing/handStats.ts';

const text = seriesText();
const stats = handStats(text);
const rs = rounds(text);

/** Areas and bytes of round i, by splitting its lines. */
function round(i: number): { areas: number; bytes: number } {
  const lines = rs[i].text.split('\n').filter((l) => l.startsWith('0x'));
  return { areas: lines.length, bytes: lines.reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0) };
}

describe('moment texts in another time zone', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('names a moment by its stamp in local time', () => {
    // The 12th stamp, written in +00:00, is an hour later in Paris in November.
    const stamp = rs[11].stamp;
    const [, hh, mm, ss] = /T(\d\d):(\d\d):(\d\d)/.exec(stamp)!;
    expect(momentName(stats.times, 11)).toBe(`${String(Number(hh) + 1).padStart(2, '0')}:${mm}:${ss}`);
  });

  it('notes that the axis is in local time and the stamps in the zone they were written in', () => {
    expect(localOffsetText(stats.times[0]!)).toBe('UTC+1');
    const notes = rs.map((r) => ({ zone: r.stamp.slice(-6), timeFrom: 'stamp' as const }));
    expect(axisNote(stats.times, notes, true)).toBe('times local (UTC+1); stamps written in +00:00');
  });
});

describe('the tooltip', () => {
  it('gives the moment, its areas and bytes, and the change since the moment before, all from the text', () => {
    const i = 12;
    const now = round(i);
    const before = round(i - 1);
    const lines = tooltipLines(stats, i);
    expect(lines[0]).toBe(`${momentName(stats.times, i)} · moment 13 of ${rs.length}`);
    expect(lines[1]).toBe(`${formatCount(now.areas)} areas, ${formatBytes(now.bytes)}`);
    const dAreas = now.areas - before.areas;
    const areasText = dAreas > 0 ? `+${formatCount(dAreas)}` : dAreas < 0 ? `−${formatCount(-dAreas)}` : '±0';
    expect(lines[2]).toBe(`${areasText} ${Math.abs(dAreas) === 1 ? 'area' : 'areas'}, ${signedBytes(now.bytes - before.bytes)} since ${momentName(stats.times, i - 1)}`);
  });

  it('says the first moment has nothing before it', () => {
    expect(tooltipLines(stats, 0)[2]).toBe('the first moment');
  });

  it('writes a fall with a minus sign and no change as ±0', () => {
    expect(signedBytes(-1536)).toBe('−1.50 KiB');
    expect(signedBytes(2 * 1024 * 1024)).toBe('+2 MiB');
    expect(signedBytes(0)).toBe('±0');
  });

  it('adds VmallocUsed and the largest hole when the moment has them', () => {
    const s = { ...stats, vmallocUsed: Float64Array.from(stats.bytes, () => 3 * 1024 * 1024), largestHole: Float64Array.from(stats.bytes, () => NaN) };
    const lines = tooltipLines(s, 3);
    expect(lines).toContain('VmallocUsed 3 MiB');
    expect(lines.some((l) => l.startsWith('largest free hole'))).toBe(false);
  });
});

describe('the axis note without times', () => {
  it('says moments without a time are spaced by order', () => {
    expect(axisNote([null, null], [], false)).toBe('moments have no time: spaced by order');
    expect(axisNote([1, null, 3], [], false)).toBe('1 of 3 moments have no time: all spaced by order');
  });

  it('names moments without a time by their number', () => {
    expect(momentName([null, null, null], 2)).toBe('moment 3');
  });
});

describe('the live badge', () => {
  it('says the pace in words and the moments so far, or that it stopped', () => {
    expect(everyText(10000)).toBe('10 s');
    expect(everyText(500)).toBe('500 ms');
    expect(everyText(1500)).toBe('1.5 s');
    expect(everyText(90000)).toBe('1 min 30 s');
    expect(everyText(7200000)).toBe('2 h');
    expect(liveText({ every: 10000, state: 'live' }, 12)).toBe('live · every 10 s · 12 moments');
    expect(liveText({ every: 0, state: 'live' }, 1)).toBe('live · 1 moment');
    expect(liveText({ every: 10000, state: 'stopped' }, 1234)).toBe('stopped · 1,234 moments');
    // The strip of a live recording stands from its first moment: its note does not say times go backwards.
    expect(axisNote([Date.UTC(2026, 10, 30)], [{ zone: '+00:00', timeFrom: 'recording' }], false)).toBe('one moment so far');
  });
});
