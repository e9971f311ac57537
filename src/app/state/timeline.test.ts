// The series cursor in the store, on the real recorded series (split here on its `date -Is` lines
// with a plain regex) and on two real raw captures: what is on screen follows the cursor, the view
// does not move, the marks are the series' changes, and a range opens Compare on its two moments.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toAddress, toDisplay } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { bytesOfLines, linesNotIn, normLine, realSeriesText, roundsOf, seriesOfRounds } from '../../lib/testing/series.ts';
import { currentDump, summaryOf } from './select.ts';
import { showSeries } from './showSeries.ts';
import { useStore } from './store.ts';
import { appendMoment, firstMoment, liveSettled, startLive, lastMoment, selectTimeline, setMoment, stepMoment, timelineKey, togglePlay, PLAY_STEP_MS } from './timeline.ts';
import { select, setHighlight, setView } from './view.ts';
import { Recorder, decodeRecording, encodeHeader, recordingToSeries } from '../../lib/series/recording.ts';
import { generateDay } from '../../lib/testing/day.ts';

const get = useStore.getState;


const norm = normLine;
const notIn = linesNotIn;
const bytesOf = bytesOfLines;
const seriesOf = seriesOfRounds;

const rounds = roundsOf(realSeriesText());
const real = seriesOf(rounds);

beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the cursor over a series', () => {
  it('opens on the latest moment and shows each moment’s own areas as the cursor moves', () => {
    showSeries(real);
    const last = rounds.length - 1;
    expect(selectTimeline(get())!.index).toBe(last);
    expect(summaryOf(get())!.areas).toBe(rounds[last].lines.length);
    for (const i of [0, 1, 2, 17, 5, last]) {
      setMoment(i);
      expect(selectTimeline(get())!.index).toBe(i);
      expect(summaryOf(get())!.areas).toBe(rounds[i].lines.length);
      expect(get().model!.snapshot.count).toBe(rounds[i].lines.length);
      expect(summaryOf(get())!.bytes).toBe(bytesOf(rounds[i].lines));
    }
  });

  it('steps one moment at a time, stops at the ends, and jumps to the first and the last', () => {
    showSeries(real);
    stepMoment(1);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 1);
    stepMoment(-1);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 2);
    firstMoment();
    expect(selectTimeline(get())!.index).toBe(0);
    stepMoment(-1);
    expect(selectTimeline(get())!.index).toBe(0);
    lastMoment();
    expect(selectTimeline(get())!.index).toBe(rounds.length - 1);
    setMoment(1e9);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 1);
  });

  it('keeps the view exactly where it was while stepping (display offsets on a packed map)', () => {
    showSeries(real);
    const total = get().track!.total;
    setView({ start: Math.round(total * 0.3), end: Math.round(total * 0.4) });
    const view = [get().viewStart, get().viewEnd];
    for (let i = rounds.length - 2; i >= rounds.length - 8; i--) {
      setMoment(i);
      expect([get().viewStart, get().viewEnd]).toEqual(view);
    }
  });

  it('keeps the addresses at the view’s edges on a map with real addresses', () => {
    const raw = [fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo')].map((text, k) => ({
      stamp: `2026-11-30T00:0${k}:00+00:00`,
      lines: text.split('\n').filter((l) => l.startsWith('0x')),
    }));
    showSeries(seriesOf(raw));
    const track = get().track!;
    expect(track.exact).toBe(true);
    // around the first area, which both captures hold at the same address
    const first = raw[0].lines[0];
    expect(raw[1].lines.map(norm)).toContain(norm(first));
    const start = toDisplay(track, BigInt(first.slice(0, first.indexOf('-'))))!;
    setView({ start: start - 4096, end: start + 65536 });
    const edges = [toAddress(track, get().viewStart), toAddress(track, get().viewEnd)];
    setMoment(0);
    const after = get().track!;
    expect(after).not.toBe(track);
    expect([toAddress(after, get().viewStart), toAddress(after, get().viewEnd)]).toEqual(edges);
  });

  it('keeps the zoom about the same address where the other moment has a collapsed hole', () => {
    const raw = [fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo')].map((text, k) => ({
      stamp: `2026-11-30T00:0${k}:00+00:00`,
      lines: text.split('\n').filter((l) => l.startsWith('0x')),
    }));
    showSeries(seriesOf(raw));
    const track = get().track!;
    setView({ start: track.total * 0.2, end: track.total * 0.25 });
    const width = get().viewEnd - get().viewStart;
    const centre = toAddress(track, (get().viewStart + get().viewEnd) / 2)!;
    setMoment(0);
    const after = get().track!;
    expect(get().viewEnd - get().viewStart).toBeCloseTo(width, 0);
    const now = toAddress(after, (get().viewStart + get().viewEnd) / 2)!;
    expect(Math.abs(Number(now - centre))).toBeLessThan(4096);
  });

  it('keeps the whole map in view when the whole map was in view', () => {
    showSeries(real);
    setMoment(3);
    expect(get().viewStart).toBe(0);
    expect(get().viewEnd).toBe(get().track!.total);
  });

  it('keeps the same area selected from moment to moment while it lives', () => {
    showSeries(real);
    const s = get().model!.snapshot;
    // an area present in the last two rounds: the first line of the last round found in the one before
    const before = new Set(rounds[rounds.length - 2].lines.map(norm));
    const line = rounds[rounds.length - 1].lines.find((l) => before.has(norm(l)))!;
    let index = -1;
    for (let i = 0; i < s.count && index < 0; i++) if (s.columns.line[i] === rounds[rounds.length - 1].lines.indexOf(line) + 1) index = i;
    select(index);
    const size = s.columns.size[index];
    const caller = s.symbolOf(index);
    stepMoment(-1);
    const now = get().selected;
    expect(now).not.toBeNull();
    expect(get().model!.snapshot.columns.size[now!]).toBe(size);
    expect(get().model!.snapshot.symbolOf(now!)).toBe(caller);
  });

  it('carries a highlight that can pick its group again to each moment, and drops one that cannot', () => {
    showSeries(real);
    const pick = (m: Model) => {
      const areas = new Uint8Array(m.snapshot.count);
      let count = 0;
      let bytes = 0;
      for (let i = 0; i < m.snapshot.count; i++) {
        if (m.snapshot.symbolOf(i) !== 'kernel_clone') continue;
        areas[i] = 1;
        count++;
        bytes += m.snapshot.columns.size[i];
      }
      return { areas, count, bytes };
    };
    const model = get().model!;
    setHighlight({ label: 'caller kernel_clone', source: 'caller:kernel_clone', model, ...pick(model), of: pick });
    const threads = (i: number) => rounds[i].lines.filter((l) => l.includes(' kernel_clone+')).length;
    for (const i of [20, 5]) {
      setMoment(i);
      const h = get().highlight!;
      expect(h.model).toBe(get().model);
      expect(h.count).toBe(threads(i));
      expect(h.source).toBe('caller:kernel_clone');
    }
    setHighlight({ ...get().highlight!, of: undefined });
    setMoment(6);
    expect(get().highlight).toBeNull();
  });

  it('marks the areas that came and went since the moment before, straight from the series’ changes', () => {
    showSeries(real);
    for (const i of [rounds.length - 1, 12, 1]) {
      setMoment(i);
      const marks = get().momentMarks!;
      expect(marks.model).toBe(get().model);
      expect(marks.added.length).toBe(notIn(rounds[i - 1].lines, rounds[i].lines));
      expect(marks.goneBefore.length).toBe(notIn(rounds[i].lines, rounds[i - 1].lines));
      expect(marks.ghosts).toEqual([]); // hashed addresses cannot be placed
      // every marked area is one of the new lines' sizes, and the bytes add up
      const net = marks.addedBytes - marks.goneBytes;
      expect(net).toBe(bytesOf(rounds[i].lines) - bytesOf(rounds[i - 1].lines));
    }
    setMoment(0);
    expect(get().momentMarks).toBeNull();
  });

  it('ghosts the areas that went at their addresses when the addresses are real', () => {
    const after = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo').split('\n').filter((l) => l.startsWith('0x'));
    const before = after.slice(0, after.length - 40);
    const gone = after.slice(10, 15);
    const third = before.filter((l) => !gone.includes(l));
    showSeries(seriesOf([before, after, third].map((lines, k) => ({ stamp: `2026-11-30T00:0${k}:00+00:00`, lines }))));
    const marks = get().momentMarks!;
    expect(marks.goneBefore.length).toBe(40 + 5);
    expect(marks.ghosts.map((g) => g.start.toString(16)).sort()).toEqual([...after.slice(-40), ...gone].map((l) => l.slice(2, l.indexOf('-')).replace(/^0+/, '')).sort());
    expect(marks.added.length).toBe(0);
  });
});

describe('playing and the keys', () => {
  it('plays from the first moment when at the last, at a steady pace, and stops at the end', () => {
    vi.useFakeTimers();
    showSeries(real);
    togglePlay();
    expect(selectTimeline(get())!.index).toBe(0);
    expect(selectTimeline(get())!.playing).toBe(true);
    vi.advanceTimersByTime(PLAY_STEP_MS * 3);
    expect(selectTimeline(get())!.index).toBe(3);
    togglePlay();
    vi.advanceTimersByTime(PLAY_STEP_MS * 3);
    expect(selectTimeline(get())!.index).toBe(3);
    expect(selectTimeline(get())!.playing).toBe(false);
    togglePlay();
    vi.advanceTimersByTime(PLAY_STEP_MS * rounds.length * 2);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 1);
    expect(selectTimeline(get())!.playing).toBe(false);
  });

  it('moves with , . Home End and plays with space, only while a series is on screen', () => {
    showSeries(real);
    expect(timelineKey(',')).toBe(true);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 2);
    expect(timelineKey('Home')).toBe(true);
    expect(selectTimeline(get())!.index).toBe(0);
    expect(timelineKey('.')).toBe(true);
    expect(selectTimeline(get())!.index).toBe(1);
    expect(timelineKey('End')).toBe(true);
    expect(selectTimeline(get())!.index).toBe(rounds.length - 1);
    expect(timelineKey('x')).toBe(false);
    useStore.setState(useStore.getInitialState(), true);
    expect(timelineKey('<')).toBe(false);
    expect(selectTimeline(get())).toBeUndefined();
    expect(timelineKey(',')).toBe(false);
  });

  it('moves the start of a range with < and >, the moment on screen staying its end', () => {
    showSeries(real);
    const last = rounds.length - 1;
    expect(timelineKey('<')).toBe(true);
    expect(timelineKey('<')).toBe(true);
    expect(selectTimeline(get())!.range).toEqual([last - 2, last]);
    expect(selectTimeline(get())!.index).toBe(last);
    expect(timelineKey('>')).toBe(true);
    expect(selectTimeline(get())!.range).toEqual([last - 1, last]);
    expect(timelineKey('>')).toBe(true);
    expect(selectTimeline(get())!.range).toBeNull();
    expect(selectTimeline(get())!.index).toBe(last);
    setMoment(0);
    expect(timelineKey('<')).toBe(true);
    expect(selectTimeline(get())!.range).toBeNull();
  });
});

describe('a live recording growing on screen', () => {
  const enc = new TextEncoder();
  /** A recording of texts: its header and one frame per text. */
  function framesOf(texts: readonly string[]): { header: Uint8Array; frames: Uint8Array[] } {
    const recorder = new Recorder();
    const header = encodeHeader({ created: 0, zoneMinutes: 0, pageSize: 4096, host: 'h', kernel: '6.1', machine: 'x86_64', bootId: '', tool: 'test' });
    return { header, frames: texts.map((t, k) => recorder.take({ time: Date.UTC(2026, 10, 30, 1, k), zoneMinutes: 0, vmallocinfo: enc.encode(t) }).frame) };
  }
  /** The recording of these frames: its bytes, and its series as the loader reads it. */
  function seriesOfFrames(header: Uint8Array, frames: readonly Uint8Array[]) {
    const parts = [header, ...frames];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { bytes, series: recordingToSeries(decodeRecording(bytes), 'live.vmscope-rec').series! };
  }
  /** The series of the first `n` frames on screen and live, as boot.ts starts it. */
  async function showLive(header: Uint8Array, frames: readonly Uint8Array[], n: number) {
    const { bytes, series } = seriesOfFrames(header, frames.slice(0, n));
    const dump = showSeries(series);
    await startLive(dump.id, 10000, bytes.slice().buffer);
    return dump;
  }
  const texts = rounds.slice(0, 6).map((r) => r.lines.join('\n') + '\n');

  it('follows the newest moment when the cursor was on it, and leaves a cursor scrubbed back where it is', async () => {
    const { header, frames } = framesOf(texts);
    const dump = await showLive(header, frames, 3);
    const before = currentDump(get())!.fileBytes;
    expect(appendMoment(dump.id, frames[3])).toBeNull();
    await liveSettled(dump.id);
    expect(selectTimeline(get())!.series.count).toBe(4);
    // The heading's size is the recording's: it grows by each frame.
    expect(currentDump(get())!.fileBytes).toBe(before + frames[3].length);
    expect(selectTimeline(get())!.index).toBe(3);
    expect(summaryOf(get())!.areas).toBe(rounds[3].lines.length);
    expect(summaryOf(get())!.bytes).toBe(bytesOf(rounds[3].lines));
    expect(selectTimeline(get())!.stats.count[3]).toBe(rounds[3].lines.length);
    setMoment(1);
    expect(appendMoment(dump.id, frames[4])).toBeNull();
    expect(appendMoment(dump.id, frames[5])).toBeNull();
    await liveSettled(dump.id);
    expect(selectTimeline(get())!.series.count).toBe(6);
    expect(currentDump(get())!.fileBytes).toBe(before + frames[3].length + frames[4].length + frames[5].length);
    expect(selectTimeline(get())!.stats.count[5]).toBe(rounds[5].lines.length);
    expect(selectTimeline(get())!.index).toBe(1);
    expect(summaryOf(get())!.areas).toBe(rounds[1].lines.length);
    setMoment(4);
    expect(summaryOf(get())!.areas).toBe(rounds[4].lines.length);
    expect(selectTimeline(get())!.live).toMatchObject({ state: 'live', every: 10000 });
  });

  it('changes nothing and says why when a frame does not follow the series (a repeat, a damaged one)', async () => {
    const { header, frames } = framesOf(texts);
    const dump = await showLive(header, frames, 3);
    expect(appendMoment(dump.id, frames[2])).toMatch(/moment 4/);
    const bad = frames[3].slice();
    bad[bad.length - 2] ^= 0x40;
    expect(appendMoment(dump.id, bad)).toMatch(/moment 4/);
    await liveSettled(dump.id);
    expect(selectTimeline(get())!.series.count).toBe(3);
    expect(appendMoment(99, frames[3])).toMatch(/no longer open/);
  });

  it('appends the 101st moment of a 3000-area day in the store, figures and the moment on screen included (timed)', async () => {
    const day = generateDay({ moments: 101, areas: 3000 });
    const { header, frames } = framesOf(day.map((d) => d.dump));
    const dump = await showLive(header, frames, 100);
    const t0 = performance.now();
    expect(appendMoment(dump.id, frames[100])).toBeNull();
    const sync = performance.now() - t0;
    await liveSettled(dump.id);
    const ms = performance.now() - t0;
    const areas = day[100].dump.split('\n').filter((l) => l.startsWith('0x')).length;
    expect(summaryOf(get())!.areas).toBe(areas);
    expect(selectTimeline(get())!.stats.count[100]).toBe(areas);
    console.log(`appendMoment, 101st moment of a 3000-area day: ${sync.toFixed(1)} ms on the page's thread, ${ms.toFixed(1)} ms until on screen with its figures (made here on the same thread: no worker under Node)`);
  });
});
