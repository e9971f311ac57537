// Each dump of the session's history keeps its own view: the visible range, collapse, selection and
// colour mode it was left with. Switching back to a dump puts that view back, so a dump opened
// from a share link comes back as the link showed it, and a sample comes back where it was left.
// The view is recorded as it changes (a store subscription), so loading a new dump needs no hook.

import { select, setColourMode, setView, toggleCollapse } from '../map/actions.ts';
import type { ColourMode } from '../map/colours.ts';
import { switchTo as showDump } from './load.ts';
import { useStore } from './store.ts';
import type { AppState } from './store.ts';

/** A dump's view, in the display units of its track with that collapse setting. */
export interface SavedView {
  viewStart: number;
  viewEnd: number;
  collapse: boolean;
  /** Selected area (file order), or null. */
  selected: number | null;
  colourMode: ColourMode;
}

const saved = new Map<number, SavedView>();

function viewOf(s: AppState): SavedView {
  return { viewStart: s.viewStart, viewEnd: s.viewEnd, collapse: s.collapse, selected: s.selected, colourMode: s.colourMode };
}

function record(s: AppState, prev: AppState): void {
  if (s.history !== prev.history) for (const id of saved.keys()) if (!s.history.some((d) => d.id === id)) saved.delete(id);
  if (s.currentId === null || s.model === null) return;
  const dump = s.history.find((d) => d.id === s.currentId);
  if (!dump || dump.model !== s.model) return; // the model on screen is not (yet) this entry's
  const same =
    s.currentId === prev.currentId &&
    s.viewStart === prev.viewStart &&
    s.viewEnd === prev.viewEnd &&
    s.collapse === prev.collapse &&
    s.selected === prev.selected &&
    s.colourMode === prev.colourMode;
  if (!same || !saved.has(s.currentId)) saved.set(s.currentId, viewOf(s));
}

useStore.subscribe(record);

/** The view a history entry was last seen with (for tests and the test hook). */
export function savedView(id: number): SavedView | null {
  return saved.get(id) ?? null;
}

/** Put a view back on the dump on screen: collapse first (it changes display units), then the rest. */
export function restoreView(v: SavedView): void {
  const s = useStore.getState();
  if (s.track?.exact && s.collapse !== v.collapse) toggleCollapse();
  if (useStore.getState().colourMode !== v.colourMode) setColourMode(v.colourMode);
  setView({ start: v.viewStart, end: v.viewEnd });
  select(v.selected);
}

/** Show an earlier dump of this session again, with the view it was left with. */
export function switchTo(id: number): void {
  const view = saved.get(id) ?? null;
  showDump(id);
  if (view && useStore.getState().currentId === id) restoreView(view);
}
