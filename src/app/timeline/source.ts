// The one place the timeline feature meets the store: what it reads of the series on screen and
// the actions it calls (src/app/state/timeline.ts). Everything else in this folder takes these as
// props, so the components are tested without a store.

import type { Series } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import { clearRange, selectTimeline, setMoment, setRange, stepMoment, togglePlay } from '../state/timeline.ts';
import type { LiveStatus } from '../state/history.ts';
import { useStore } from '../state/store.ts';

/** The series on screen, as the strip reads it. */
export interface TimelineView {
  series: Series;
  stats: SeriesStats;
  /** The moment on screen. */
  index: number;
  /** The range dragged on the strip (A = start, B = end), or null. */
  range: readonly [number, number] | null;
  playing: boolean;
  /** A recording vmscope open --live is making: how its stream is doing. */
  live?: LiveStatus;
}

/** What the strip can ask of the store. */
export interface TimelineActions {
  setMoment(i: number): void;
  stepMoment(step: number): void;
  setRange(a: number, b: number): void;
  clearRange(): void;
  togglePlay(): void;
}

export const timelineActions: TimelineActions = { setMoment, stepMoment, setRange, clearRange, togglePlay };

/** The series on screen, or undefined for a single dump. */
export function useTimeline(): TimelineView | undefined {
  return useStore(selectTimeline);
}
