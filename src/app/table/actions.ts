// What changes the table's state, and what the table and the summary bars do to the map: select
// an area and show it, highlight a group of areas. Plain functions, like the map's actions.

import { positionOf } from '../../lib/index.ts';
import { moduleColumnOf, NO_MODULES } from '../analysis/attribution.ts';
import { select, setHighlight, setView, zoomToPosition, zoomToRange } from '../map/actions.ts';
import { revealMap } from '../map/reveal.ts';
import { useStore } from '../state/store.ts';
import { groupSet } from './groups.ts';
import type { GroupBy, GroupRow } from './groups.ts';
import { ALL_KINDS } from './rows.ts';
import type { SortKey } from './rows.ts';

const set = useStore.setState;
const get = useStore.getState;

/** Sizes and pages read best largest first; names and addresses from the start. */
const FIRST_DIR: Record<SortKey, 'asc' | 'desc'> = { address: 'asc', size: 'desc', pages: 'desc', caller: 'asc', module: 'asc' };

/** Sort by `key`; the same key again flips the direction. */
export function sortTable(key: SortKey): void {
  const { tableSort, tableDir } = get();
  if (key === tableSort) set({ tableDir: tableDir === 'asc' ? 'desc' : 'asc' });
  else set({ tableSort: key, tableDir: FIRST_DIR[key] });
}

export function setTableText(text: string): void {
  set({ tableText: text });
}

/** Show or hide one kind of area. */
export function toggleKind(kind: number): void {
  set({ tableKinds: get().tableKinds ^ (1 << kind) });
}

/** Show every kind again. */
export function showAllKinds(): void {
  set({ tableKinds: ALL_KINDS });
}

const NOUN: Record<GroupBy, string> = { kind: 'kind', caller: 'caller', module: 'module', node: 'node', backing: 'areas' };

/** Highlight the areas behind a summary bar; the same bar again clears it. */
export function highlightGroup(by: GroupBy, row: Pick<GroupRow, 'key' | 'label' | 'ids'>): void {
  const { model, highlight, capture } = get();
  if (!model) return;
  if (highlight?.source === row.key && highlight.model === model) return setHighlight(null);
  const found = groupSet(model, by, row.ids, by === 'module' ? moduleColumnOf(model, capture?.modules ?? NO_MODULES) : null);
  setHighlight({ label: `${NOUN[by]} ${row.label}`, source: row.key, model, ...found });
}

/**
 * A summary bar's click: highlight its areas and bring them into view, zooming the map to the
 * stretch that holds them and scrolling the map on screen; the same bar again clears the highlight.
 */
export function showGroup(by: GroupBy, row: Pick<GroupRow, 'key' | 'label' | 'ids'>): void {
  highlightGroup(by, row);
  if (get().highlight?.source !== row.key) return;
  zoomToHighlight();
  revealMap();
}

export function clearHighlight(): void {
  setHighlight(null);
}

/** Zoom the map to the stretch from the first to the last highlighted area. */
export function zoomToHighlight(): void {
  const { track, highlight } = get();
  if (!track || !highlight || highlight.model !== track.model) return;
  let first = -1;
  let last = -1;
  for (let k = 0; k < track.seq.length; k++) {
    if (!highlight.areas[track.seq[k]]) continue;
    if (first < 0) first = k;
    last = k;
  }
  if (first < 0) return;
  zoomToRange(track.pos[first], track.pos[last] + track.len[last], 0.05);
}

/** Select an area from the table and bring it into view on the map, keeping the zoom. */
export function selectRow(index: number): void {
  select(index);
  const { track, viewStart, viewEnd } = get();
  if (!track || index < 0 || index >= track.seq.length) return;
  const k = positionOf(track, index);
  const from = track.pos[k];
  const to = from + track.len[k];
  const width = viewEnd - viewStart;
  if (to - from > width) return zoomToPosition(k, 0.25);
  if (from >= viewStart && to <= viewEnd) return;
  const mid = (from + to) / 2;
  setView({ start: mid - width / 2, end: mid + width / 2 });
}

/** Select an area and zoom the map to it, with room around it to see its neighbours. */
export function zoomToRow(index: number): void {
  select(index);
  const track = get().track;
  if (!track || index < 0 || index >= track.seq.length) return;
  zoomToPosition(positionOf(track, index), 2);
}
