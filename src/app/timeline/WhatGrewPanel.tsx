// The What grew panel wired to the store: the series on screen, its range, the highlight.

import { useMemo, useState } from 'react';
import { useStore } from '../state/store.ts';
import { highlightOf } from '../state/view.ts';
import { rangeOf, whatGrewOf } from './grew.ts';
import { showGrowthGroup } from './highlight.ts';
import type { GrowthBy } from './highlight.ts';
import { timelineActions, useTimeline } from './source.ts';
import { WhatGrewView } from './WhatGrew.tsx';
import './timeline.css';

/** What grew over the range dragged on the strip, else the whole series; nothing for a single dump. */
export function WhatGrewPanel() {
  const view = useTimeline();
  const [by, setBy] = useState<GrowthBy>('caller');
  const pressed = useStore((s) => highlightOf(s)?.source ?? null);
  const stats = view?.stats;
  const count = stats?.times.length ?? 0;
  const [from, to] = rangeOf(count, view?.range ?? null);
  const grew = useMemo(() => (stats && count > 1 ? whatGrewOf(stats, from, to) : null), [stats, count, from, to]);
  if (!view || !stats || count < 2) return null;
  if (!grew) return null;
  return <WhatGrewView stats={stats} grew={grew} whole={view.range === null} by={by} onBy={setBy} pressed={pressed} onRow={showGrowthGroup} onMoment={timelineActions.setMoment} />;
}

/** Whether a series is on screen (the What grew tab is offered only then). */
export function useHasTimeline(): boolean {
  const view = useTimeline();
  return !!view && view.stats.times.length > 1;
}
