// A What grew row's click: highlight that caller's, module's or kind's areas in the moment on
// screen, as a summary bar does (the same `source` key, `caller:name`, so the summary's bar shows
// pressed too), zoom the map to them and bring it on screen; the same row again clears it.

import { callerName } from '../../lib/index.ts';
import type { Model, ModuleEntry } from '../../lib/index.ts';
import { NOT_A_MODULE, OTHER_GROUP } from '../../lib/series/stats.ts';
import { moduleColumnOf, NO_MODULES } from '../state/attribution.ts';
import { captureOf } from '../state/select.ts';
import { useStore } from '../state/store.ts';
import { setHighlight, zoomToHighlight } from '../state/view.ts';
import { revealMap } from '../ui/reveal.ts';

export type GrowthBy = 'caller' | 'module' | 'kind';

/** The key a summary bar of the same group uses, so both show the same highlight. */
export function highlightSource(by: GrowthBy, key: string): string {
  return `${by}:${key}`;
}

/** Per area of `model` (file order), 1 when it belongs to the group. */
export function areasOf(model: Model, by: GrowthBy, key: string, moduleOf: (i: number) => string | null): Uint8Array {
  const s = model.snapshot;
  const n = s.count;
  const out = new Uint8Array(n);
  if (by === 'kind') {
    for (let i = 0; i < n; i++) if (s.kindOf(i) === key) out[i] = 1;
  } else if (by === 'caller') {
    for (let i = 0; i < n; i++) if (callerName(s, i) === key) out[i] = 1;
  } else {
    for (let i = 0; i < n; i++) if ((moduleOf(i) ?? NOT_A_MODULE) === key) out[i] = 1;
  }
  return out;
}

/** Whether a row names areas the map can pick out (not the fold of the smaller groups). */
export function canHighlight(key: string): boolean {
  return key !== OTHER_GROUP;
}

/** The group's areas in `model` (modules by name, with the moment's /proc/modules), their count and bytes. */
export function groupAreas(model: Model, by: GrowthBy, key: string, modules: readonly ModuleEntry[]): { areas: Uint8Array; count: number; bytes: number } {
  let moduleOf: (i: number) => string | null = () => null;
  if (by === 'module') {
    const m = moduleColumnOf(model, modules);
    moduleOf = (i) => (m.ids[i] >= 0 ? m.names[m.ids[i]] : null);
  }
  const areas = areasOf(model, by, key, moduleOf);
  let count = 0;
  let bytes = 0;
  const size = model.snapshot.columns.size;
  for (let i = 0; i < areas.length; i++) {
    if (!areas[i]) continue;
    count++;
    bytes += size[i];
  }
  return { areas, count, bytes };
}

/** Highlight the group's areas in the moment on screen and show them; again, clear. */
export function showGrowthGroup(by: GrowthBy, key: string): void {
  const get = useStore.getState;
  const { model, highlight } = get();
  if (!model || !canHighlight(key)) return;
  const source = highlightSource(by, key);
  if (highlight?.source === source && highlight.model === model) return setHighlight(null);
  const found = groupAreas(model, by, key, captureOf(get())?.modules ?? NO_MODULES);
  // `of` finds the group again in another moment, so the highlight follows the cursor (where the
  // store supports it).
  const next = { label: `${by} ${key}`, source, model, ...found, of: (m: Model, modules: readonly ModuleEntry[]) => groupAreas(m, by, key, modules) };
  setHighlight(next);
  if (found.count > 0) {
    zoomToHighlight();
    revealMap();
  }
}
