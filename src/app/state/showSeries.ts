// Test-only: a series put on screen as the loader puts one (its last moment, the whole map in
// view), for the tests of the cursor, the range and what is attached to a series.

import type { Series } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import { showDump } from './actions.ts';
import type { LoadedDump } from './history.ts';
import { currentDump } from './select.ts';
import { useStore } from './store.ts';
import { momentScreen } from './timeline.ts';

/** Add the series to the session's dumps as entry `id` and show its last moment. */
export function showSeries(series: Series, id = 1): LoadedDump {
  const index = series.count - 1;
  const dump: LoadedDump = {
    id,
    source: { kind: 'paste' },
    fileName: `series ${id}`,
    loadedAt: 0,
    fileBytes: 0,
    gzip: false,
    parseMs: 0,
    parsedIn: 'main thread',
    note: null,
    view: null,
    ...momentScreen(series, index, {}),
    timeline: { series, stats: {} as SeriesStats, index, range: null, playing: false, how: '', notes: [], hints: {} },
  };
  useStore.setState((s) => ({ history: [...s.history, dump] }));
  showDump(dump);
  return currentDump(useStore.getState())!;
}
