// The strip wired to the store (through source.ts): shown only for a series of two moments or more,
// with the timeline's keys bound on the page while it is.

import { useEffect, useMemo } from 'react';
import { timelineKey } from './keys.ts';
import { timelineActions, useTimeline } from './source.ts';
import type { TimelineActions } from './source.ts';
import { StripView } from './Strip.tsx';
import type { MomentNote } from './text.ts';
import './timeline.css';

/** `,` `.` Home End and space move through the moments while a series is on screen. */
export function useTimelineKeys(actions: TimelineActions, count: number): void {
  useEffect(() => {
    if (count < 2) return;
    const onKey = (e: KeyboardEvent) => {
      const what = timelineKey(e);
      if (!what) return;
      e.preventDefault();
      if (what === 'first') actions.setMoment(0);
      else if (what === 'last') actions.setMoment(count - 1);
      else if (what === 'prev') actions.stepMoment(-1);
      else if (what === 'next') actions.stepMoment(1);
      else actions.togglePlay();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, count]);
}

/** The timeline strip of the series on screen; nothing for a single dump. */
export function TimelineStrip() {
  const view = useTimeline();
  const count = view?.stats.times.length ?? 0;
  useTimelineKeys(timelineActions, count);
  const moments = view?.series.moments;
  const notes: MomentNote[] = useMemo(() => (moments ?? []).map((m) => ({ zone: m.zone, timeFrom: m.timeFrom })), [moments]);
  if (!view || count < 2) return null;
  return <StripView view={view} actions={timelineActions} notes={notes} />;
}
