// The strip wired to the store (through source.ts): shown only for a series of two moments or more,
// or for a live recording from its first moment (it grows while it is watched).
// The timeline's keys are the store's (src/app/state/timeline.ts); the buttons name them.

import { useMemo } from 'react';
import { timelineActions, useTimeline } from './source.ts';
import { StripView } from './Strip.tsx';
import type { MomentNote } from './text.ts';
import './timeline.css';

/** The timeline strip of the series on screen; nothing for a single dump. */
export function TimelineStrip() {
  const view = useTimeline();
  const moments = view?.series.moments;
  const notes: MomentNote[] = useMemo(() => (moments ?? []).map((m) => ({ zone: m.zone, timeFrom: m.timeFrom })), [moments]);
  if (!view || (view.stats.times.length < 2 && !view.live)) return null;
  return <StripView view={view} actions={timelineActions} notes={notes} />;
}
