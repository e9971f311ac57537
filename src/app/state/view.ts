// The view on screen and everything that changes it: the range, collapse, colour mode, selection,
// search and highlight, set up for each dump put on screen (mapStateFor). Plain functions, callable
// from canvas handlers, keys, components, the loader and the test hook alike; the map, the table,
// the analysis panel and the share feature all move the view through these. View changes go
// through lib/view/view.ts's maths, so every path clamps the same way.

import { boundsOf, buildTrack, clampView, collapseHelps, findText, fitRange, formatBytes, hexBig, locateAddress, panBy as panView, parseQuery, positionOf, stepMatch, toAddress, toDisplay, visibleRange, wholeView, zoomAbout } from '../../lib/index.ts';
import type { Model, ModuleEntry, Track, View } from '../../lib/index.ts';
import { loaderModule, moduleColumnOf, NO_MODULES } from './attribution.ts';
import { useStore } from './store.ts';
import type { AppState } from './store.ts';
import { colourAreas } from '../base/colours.ts';
import type { ColourMode } from '../base/colours.ts';
import { areaName } from '../base/describe.ts';
import type { Highlight, Hover, MapSlice } from './mapSlice.ts';
import { captureOf } from './select.ts';

const set = useStore.setState;
const get = useStore.getState;

export function currentView(): View {
  const s = get();
  return { start: s.viewStart, end: s.viewEnd };
}

function bounds() {
  return boundsOf(get().track?.total ?? 0);
}

function setViewState(v: View): void {
  const c = clampView(v, bounds());
  if (c.start !== get().viewStart || c.end !== get().viewEnd) set({ viewStart: c.start, viewEnd: c.end });
}

/** Matches and the note for a query on a track (a name query highlights at once; an address waits for Enter). */
function searchState(track: Track, query: string, modules: readonly ModuleEntry[]): Pick<MapSlice, 'matches' | 'matchSet' | 'matchCursor' | 'found' | 'searchNote'> {
  const q = parseQuery(query);
  const none = { matches: null, matchSet: null, matchCursor: -1, found: null };
  if (q.type === 'empty') return { ...none, searchNote: null };
  if (q.type === 'address') return { ...none, searchNote: `Press Enter to go to ${hexBig(q.value, track.model.snapshot.addressDigits || 16)}` };
  const matches = findText(track, q.text, moduleColumnOf(track.model, modules));
  const matchSet = new Uint8Array(track.seq.length);
  for (const k of matches) matchSet[k] = 1;
  const searchNote =
    matches.length === 0
      ? `No match: no area's caller or module contains “${query.trim()}”`
      : `${matches.length} ${matches.length === 1 ? 'area matches' : 'areas match'}; Enter / Shift+Enter step through them (n / N on the map, Esc to go there)`;
  return { matches, matchSet, matchCursor: -1, found: null, searchNote };
}

/** The map's state for a freshly parsed model (and its /proc/modules, when known): collapsed when that helps, the whole track in view. */
export function mapStateFor(model: Model, modules: readonly ModuleEntry[] = NO_MODULES): Partial<MapSlice> {
  const collapse = collapseHelps(model);
  const track = buildTrack(model, { collapse });
  const { colourMode, query } = get();
  return {
    model,
    track,
    collapse,
    colouring: colourAreas(model, colourMode, moduleColumnOf(model, modules)),
    viewStart: 0,
    viewEnd: track.total,
    hover: null,
    selected: null,
    highlight: null,
    momentMarks: null,
    ...searchState(track, query, modules),
  };
}

/**
 * The map's state for another moment of the series on screen: the same collapse, colour mode and
 * search, and the same view, so growth is seen in place. With real addresses on both tracks the
 * view keeps the addresses at its edges (where a collapsed hole of one moment would squeeze the
 * view, the zoom about its centre address); otherwise its display offsets. A whole view stays whole.
 * `selected`: the selection carried over (the same area in the new moment), or null.
 */
export function mapStateKeeping(model: Model, modules: readonly ModuleEntry[], selected: number | null): Partial<MapSlice> {
  const { track: before, viewStart, viewEnd, collapse, colourMode, query } = get();
  const track = buildTrack(model, { collapse });
  let view: View = { start: viewStart, end: viewEnd };
  if (!before || (viewStart <= 0 && viewEnd >= before.total)) view = wholeView(boundsOf(track.total));
  else if (before.exact && track.exact) {
    const move = (d: number) => {
      const address = toAddress(before, d);
      return address === null ? d : (toDisplay(track, address) ?? d);
    };
    view = { start: move(viewStart), end: move(viewEnd) };
    // Where one moment has areas the other may have a collapsed hole: then keep the zoom about
    // the address at the centre rather than squeeze or stretch the view.
    const width = viewEnd - viewStart;
    if (!(view.end - view.start > width / 2 && view.end - view.start < width * 2)) {
      const centre = move((viewStart + viewEnd) / 2);
      view = { start: centre - width / 2, end: centre + width / 2 };
    }
  }
  const clamped = clampView(view, boundsOf(track.total));
  return {
    model,
    track,
    colouring: colourAreas(model, colourMode, moduleColumnOf(model, modules)),
    viewStart: clamped.start,
    viewEnd: clamped.end,
    hover: null,
    selected,
    highlight: null,
    ...searchState(track, query, modules),
  };
}

/**
 * /proc/modules was attached to the dump on screen: colour by module and search by a module's name
 * now take the loader's areas into account.
 */
export function refreshModules(): void {
  const { model, track, query, colourMode } = get();
  const capture = captureOf(get());
  if (!model || !track) return;
  const modules = capture?.modules ?? NO_MODULES;
  const update: Partial<MapSlice> = {};
  if (colourMode === 'module') update.colouring = colourAreas(model, colourMode, moduleColumnOf(model, modules));
  if (parseQuery(query).type === 'text') Object.assign(update, searchState(track, query, modules));
  set(update);
}

export const NO_MODEL: Partial<MapSlice> = {
  model: null,
  track: null,
  colouring: null,
  hover: null,
  selected: null,
  matches: null,
  matchSet: null,
  found: null,
  searchNote: null,
  highlight: null,
  momentMarks: null,
};

export function setView(v: View): void {
  setViewState(v);
}

/** Zoom by `factor` (< 1 zooms in) about a display position that stays put on screen. */
export function zoomAt(anchor: number, factor: number): void {
  setViewState(zoomAbout(currentView(), anchor, factor, bounds()));
}

export function zoomCentre(factor: number): void {
  const v = currentView();
  zoomAt((v.start + v.end) / 2, factor);
}

export function panBy(delta: number): void {
  setViewState(panView(currentView(), delta, bounds()));
}

export function panByFraction(fraction: number): void {
  const v = currentView();
  panBy((v.end - v.start) * fraction);
}

export function resetView(): void {
  setViewState(wholeView(bounds()));
}

/** Show display range [from, to) with `pad` of its length on either side. */
export function zoomToRange(from: number, to: number, pad = 0.25): void {
  set({ hover: null });
  setViewState(fitRange(from, to, bounds(), pad));
}

export function zoomToPosition(k: number, pad = 0.25): void {
  const track = get().track;
  if (!track || k < 0 || k >= track.seq.length) return;
  zoomToRange(track.pos[k], track.pos[k] + track.len[k], pad);
}

/** Linear ⇄ collapsed, keeping the same addresses at the view's edges. */
export function toggleCollapse(): void {
  const { model, track, collapse, found } = get();
  if (!model || !track || !track.exact) return;
  const next = buildTrack(model, { collapse: !collapse });
  const whole = get().viewStart <= 0 && get().viewEnd >= track.total;
  const move = (d: number) => toDisplay(next, toAddress(track, d)!) ?? 0;
  const view = whole ? wholeView(boundsOf(next.total)) : { start: move(get().viewStart), end: move(get().viewEnd) };
  const movedFound = found && { ...found, from: toDisplay(next, found.start) ?? 0, to: toDisplay(next, found.end) ?? 0 };
  set({ track: next, collapse: !collapse, hover: null, found: movedFound });
  setViewState(view);
}

export function setColourMode(mode: ColourMode): void {
  const model = get().model;
  set({ colourMode: mode, colouring: model ? colourAreas(model, mode, moduleColumnOf(model, captureOf(get())?.modules ?? NO_MODULES)) : null });
}

export function setHover(hover: Hover | null): void {
  const prev = get().hover;
  if (hover === null && prev === null) return;
  set({ hover });
}

/** Select an area by index (file order), or clear the selection. */
export function select(index: number | null): void {
  set({ selected: index });
}

/**
 * Select the next (step 1) or previous (−1) area on the track, or the first one in view when
 * nothing is selected; the view follows, keeping its zoom, when the area is off screen.
 */
export function stepSelection(step: 1 | -1): void {
  const { track, selected } = get();
  if (!track || track.seq.length === 0) return;
  const v = currentView();
  const first = visibleRange(track, v.start, v.end)[0];
  const k = Math.min(track.seq.length - 1, Math.max(0, selected === null ? Math.min(first, track.seq.length - 1) : positionOf(track, selected) + step));
  set({ selected: track.seq[k], hover: null });
  const from = track.pos[k];
  const to = from + track.len[k];
  if (from < v.start || to > v.end) setViewState(panView(v, (from + to) / 2 - (v.start + v.end) / 2, bounds()));
}

/** Whether the selected area is the one the search put there: the current match, or the area holding the address. */
function selectedBySearch(): boolean {
  const { track, query, matches, matchCursor, selected } = get();
  if (!track || selected === null) return false;
  if (matches && matchCursor >= 0) return track.seq[matches[matchCursor]] === selected;
  const q = parseQuery(query);
  if (q.type !== 'address') return false;
  const found = locateAddress(track, q.value);
  return found.type === 'area' && track.seq[found.k] === selected;
}

export function setQuery(query: string): void {
  const track = get().track;
  if (!track) return set({ query });
  const next = searchState(track, query, captureOf(get())?.modules ?? NO_MODULES);
  // A search that finds nothing does not leave the last search's match selected, as if it were one.
  const clear = next.matches !== null && next.matches.length === 0 && selectedBySearch();
  set({ query, ...next, ...(clear ? { selected: null } : {}) });
}

/** Enter in the search box: go to the address, or step to the next (or previous) match. */
export function searchStep(step: 1 | -1 = 1): void {
  const { track, query, matches, matchCursor } = get();
  if (!track) return;
  const q = parseQuery(query);
  const digits = track.model.snapshot.addressDigits || 16;
  if (q.type === 'address') {
    const found = locateAddress(track, q.value);
    const at = hexBig(q.value, digits);
    if (found.type === 'outside') {
      const clear = selectedBySearch();
      set({ found: null, searchNote: `No match: ${found.reason}`, ...(clear ? { selected: null } : {}) });
    }
    else if (found.type === 'area') {
      const index = track.seq[found.k];
      const name = areaName(track.model.snapshot.area(index));
      // A loader area carries no [module] tag: /proc/modules, when known, names its module.
      const loader = loaderModule(track.model, captureOf(get())?.modules ?? NO_MODULES, index);
      set({ found: null, selected: index, searchNote: `${at} is inside ${name}${loader ? `, ${loader}'s code and data (by /proc/modules)` : ''}` });
      zoomToPosition(found.k, 2);
    } else {
      const range = `${hexBig(found.start, digits)}–${hexBig(found.end, digits)}`;
      set({ found, selected: null, searchNote: `${at} is in a free hole of ${formatBytes(found.bytes)}, ${range}` });
      zoomToRange(found.from, found.to, 0.5);
    }
    return;
  }
  if (!matches || matches.length === 0) {
    if (q.type === 'text') set({ searchNote: `No match: no area's caller or module contains “${query.trim()}”` });
    return;
  }
  const cursor = stepMatch(matches, matchCursor, step);
  const k = matches[cursor];
  set({ matchCursor: cursor, selected: track.seq[k], searchNote: `Match ${cursor + 1} of ${matches.length}` });
  zoomToPosition(k, 2);
}

/** Highlight a set of areas (the map dims the others, the table lists only these), or clear it. */
export function setHighlight(highlight: Highlight | null): void {
  if (highlight === null && get().highlight === null) return;
  set({ highlight });
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

/** The highlight when it belongs to the model on screen. */
export function highlightOf(s: Pick<AppState, 'model' | 'highlight'>): Highlight | null {
  return s.highlight && s.highlight.model === s.model ? s.highlight : null;
}

/** For components: the store's highlight when it belongs to the model on screen. */
export function useHighlight(): Highlight | null {
  const model = useStore((s) => s.model);
  const highlight = useStore((s) => s.highlight);
  return highlightOf({ model, highlight });
}
