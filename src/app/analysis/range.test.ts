// A range picked on a series' strip opens Compare on its two moments (A = first, B = last, on
// screen), B follows the cursor, and clearing the range stops comparing. On the real series,
// checked against its text split here.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOfLines, realSeriesText, roundsOf, seriesOfRounds } from '../../lib/testing/series.ts';
import { showSeries } from '../state/showSeries.ts';
import { useStore } from '../state/store.ts';
import { clearRange, selectTimeline, setRange, stepMoment } from '../state/timeline.ts';
import { closeComparison, followTheScreen } from './actions.ts';
import { setColourMode } from '../state/view.ts';

const get = useStore.getState;
const rounds = roundsOf(realSeriesText());
const real = seriesOfRounds(rounds);
const bytesOf = bytesOfLines;


let unfollow: (() => void) | null = null;

beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true);
  unfollow = followTheScreen();
});

afterEach(() => unfollow?.());

describe('a range of moments', () => {
  it('opens Compare with A the range’s first moment and B its last, on screen', () => {
    showSeries(real);
    setRange(12, 3);
    const t = selectTimeline(get())!;
    expect(t.range).toEqual([3, 12]);
    expect(t.index).toBe(12);
    const c = get().comparison!;
    expect(c.aId).toBe(c.bId);
    expect([c.aMoment, c.bMoment]).toEqual([3, 12]);
    expect(c.diff.netBytes).toBe(bytesOf(rounds[12].lines) - bytesOf(rounds[3].lines));
    expect(get().colourMode).toBe('diff');
    expect(get().analysisTab).toBe('compare');
  });

  it('lets B follow the cursor, and stops comparing when the range is cleared', () => {
    showSeries(real);
    setRange(3, 12);
    stepMoment(1);
    const c = get().comparison!;
    expect([c.aMoment, c.bMoment]).toEqual([3, 13]);
    expect(c.diff.netBytes).toBe(bytesOf(rounds[13].lines) - bytesOf(rounds[3].lines));
    clearRange();
    expect(selectTimeline(get())!.range).toBeNull();
    expect(get().comparison).toBeNull();
    expect(get().colourMode).toBe('kind');
  });

  it('compares with the moment before when the map is coloured by change and no range is picked', () => {
    showSeries(real);
    setColourMode('diff');
    const c = get().comparison!;
    const last = rounds.length - 1;
    expect([c.aMoment, c.bMoment]).toEqual([last - 1, last]);
    expect(c.diff.netBytes).toBe(bytesOf(rounds[last].lines) - bytesOf(rounds[last - 1].lines));
  });

  it('clears the range when Compare is stopped', () => {
    showSeries(real);
    setRange(2, 9);
    closeComparison();
    expect(selectTimeline(get())!.range).toBeNull();
    expect(get().comparison).toBeNull();
    expect(get().colourMode).toBe('kind');
  });
});
