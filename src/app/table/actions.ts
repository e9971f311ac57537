// What changes the table's state, and what the table does to the map: select an area and show it.
// Plain functions, like the view's actions (state/view.ts).

import { positionOf } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { select, setView, zoomToPosition } from '../state/view.ts';
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
