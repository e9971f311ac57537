// The What grew panel wired to the store: the series on screen, its range, the highlight.

import { useMemo, useState } from 'react';
import { useStore } from '../state/store.ts';
import { highlightOf } from '../state/view.ts';
import { GROWTH_BYS, rangeOf, whatGrewOf } from './grew.ts';
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

/** Beside the tab's label: how many possible leaks the range holds (callers, modules or kinds), else nothing. */
export function WhatGrewBadge() {
  const view = useTimeline();
  const stats = view?.stats;
  const count = stats?.times.length ?? 0;
  const [from, to] = rangeOf(count, view?.range ?? null);
  const leaks = useMemo(() => {
    if (!stats || count < 2) return 0;
    const grew = whatGrewOf(stats, from, to);
    return Math.max(...GROWTH_BYS.map((b) => grew.by[b].filter((g) => g.verdict === 'possible-leak').length));
  }, [stats, count, from, to]);
  if (leaks === 0) return null;
  return (
    <span className="tab-badge tl-badge-leak" data-testid="grew-badge">
      {leaks === 1 ? 'possible leak' : `${leaks} possible leaks`}
    </span>
  );
}

/** Whether a series is on screen (the What grew tab is offered only then). */
export function useHasTimeline(): boolean {
  const view = useTimeline();
  return !!view && view.stats.times.length > 1;
}
