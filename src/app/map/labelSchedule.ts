// When the caller labels of a view are worked out. They cost a pass over the visible areas: up to
// LABEL_SYNC_LIMIT areas that happens in the frame; beyond, once the view has rested for
// LABEL_REST_MS, so zooming a million-area map stays smooth and the labels follow when it stops.

import { labelKeys, labelRuns, visibleRange } from '../../lib/index.ts';
import type { LabelRun } from '../../lib/index.ts';
import type { AppState } from '../state/store.ts';

const LABEL_SYNC_LIMIT = 100_000;
const LABEL_REST_MS = 150;

let cache: { key: unknown[]; runs: LabelRun[] } | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
/** The view the pending job waits on: redrawing the same view does not restart the wait. */
let timerKey: unknown[] | null = null;

const same = (a: unknown[] | null | undefined, b: unknown[]) => !!a && a.every((v, j) => v === b[j]);

/** The labels of the state's view at this width, or null while they wait for the view to rest; `ready` is called when they arrive. */
export function labelsFor(s: AppState, widthCssPx: number, ready: () => void): LabelRun[] | null {
  const { track, model } = s;
  if (!track || !model) return null;
  const view = { start: s.viewStart, end: s.viewEnd };
  const key = [track, view.start, view.end, widthCssPx];
  if (same(cache?.key, key)) return cache!.runs;
  const [k0, k1] = visibleRange(track, view.start, view.end);
  if (k1 - k0 <= LABEL_SYNC_LIMIT) {
    cache = { key, runs: labelRuns(track, view, widthCssPx, labelKeys(model)) };
    return cache.runs;
  }
  if (timer !== null && same(timerKey, key)) return null;
  cancelLabels();
  timerKey = key;
  timer = setTimeout(() => {
    timer = null;
    timerKey = null;
    cache = { key, runs: labelRuns(track, view, widthCssPx, labelKeys(model)) };
    ready();
  }, LABEL_REST_MS);
  return null;
}

/** Whether labels are still being waited for (the app is not idle until they are drawn). */
export function labelsPending(): boolean {
  return timer !== null;
}

export function cancelLabels(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  timerKey = null;
}
