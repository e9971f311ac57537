// The worker's side of a live recording (vmscope open --live): its own copy of the series, grown a
// frame at a time as the page's is (lib/series/recording.ts appendFrame, the same frames in the
// same order), and the strip's figures made again from it (seriesStats reads every moment's changes:
// tens to hundreds of milliseconds once a recording is long, which is why it runs here, off the page's
// thread). Runs in the worker, or on the main thread when there is none.

import { appendFrame, decodeRecording, recordingToSeries } from '../../lib/series/recording.ts';
import type { LayoutHints } from '../../lib/index.ts';
import type { Series } from '../../lib/series/series.ts';
import { seriesStats } from '../../lib/series/stats.ts';
import { seriesHints } from './analyze.ts';
import type { LiveResult } from './protocol.ts';

const lives = new Map<number, { series: Series; hints: LayoutHints }>();

/** Keep live recording `live` from its bytes so far (as the page's loader read them). */
export function liveStart(live: number, bytes: Uint8Array): LiveResult {
  const { series, problem } = recordingToSeries(decodeRecording(bytes));
  if (!series) throw new Error(`the live recording does not read: ${problem ?? 'no moment'}`);
  lives.set(live, { series, hints: seriesHints(series) });
  return { kind: 'live', count: series.count, stats: null };
}

/** Append frames to live recording `live` and make its figures again. */
export function liveAppend(live: number, frames: readonly Uint8Array[]): LiveResult {
  const l = lives.get(live);
  if (!l) throw new Error('the reader no longer has the live recording (it was restarted)');
  for (const frame of frames) {
    const got = appendFrame(l.series, frame);
    if ('problem' in got) throw new Error(got.problem);
    l.series = got.series;
  }
  return { kind: 'live', count: l.series.count, stats: seriesStats(l.series, l.hints) };
}
