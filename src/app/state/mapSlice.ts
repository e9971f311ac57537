// The map's part of the store: the model on screen and its track, the view, the colour mode, what
// is hovered and selected, and the search. The model and track are plain objects holding typed
// arrays; they are replaced, never mutated, and not frozen.

import type { StateCreator } from 'zustand';
import type { Hit, Model, ModuleEntry, Track, TrackRegion } from '../../lib/index.ts';
import type { AppState } from './store.ts';
import type { ColourMode, Colouring, Ghost } from '../base/colours.ts';

/** What the pointer is over, and where (CSS pixels inside the map container), for the tooltip. */
export interface Hover {
  target: NonNullable<Hit> | { type: 'region'; region: TrackRegion };
  xCssPx: number;
  yCssPx: number;
  /** Width of the map, so the tooltip can open leftwards near the right edge. */
  widthCssPx: number;
}

/**
 * Areas picked from the summary bars or the table (a kind, a caller, a module, a node): the map
 * dims every other area and the table lists only these. Belongs to one model; ignored on another.
 */
export interface Highlight {
  /** For the chip, e.g. "caller load_module". */
  label: string;
  /** Which bar it came from (e.g. "caller:load_module"), so that bar shows as pressed. */
  source: string;
  /** Per area index (file order): 1 when highlighted. */
  areas: Uint8Array;
  count: number;
  bytes: number;
  model: Model;
  /**
   * The same group in another model (another moment of a series on screen), with that moment's
   * /proc/modules: the highlight follows the cursor when this is given, and goes otherwise.
   */
  of?: (model: Model, modules: readonly ModuleEntry[]) => Pick<Highlight, 'areas' | 'count' | 'bytes'>;
}

/** A free hole found by an address search, in display units and exact addresses. */
export interface FoundHole {
  from: number;
  to: number;
  start: bigint;
  end: bigint;
  bytes: number;
  /** Other holes highlighted with it, more faintly: the fragmentation probe's other candidates. */
  others?: ReadonlyArray<{ start: bigint; end: bigint }>;
}

/**
 * A series' moment on screen: the areas that appeared since the moment before (marked on the map)
 * and the ones that went (ghosted). Belongs to one model; ignored on another.
 */
export interface MomentMarks {
  model: Model;
  /** Area indices (file order) that appeared since the moment before, ascending. */
  added: Uint32Array;
  /** Exact ranges of the areas that went, when the moment has real addresses; else empty. */
  ghosts: readonly Ghost[];
  /**
   * Where each area that went sat among the areas on screen: the index of the area it came
   * before (the count when after the last), ascending. For maps without real addresses.
   */
  goneBefore: Uint32Array;
  addedBytes: number;
  goneBytes: number;
}

export interface MapSlice {
  model: Model | null;
  track: Track | null;
  colouring: Colouring | null;
  /** Collapse big free holes into breaks (raw mode only). */
  collapse: boolean;
  colourMode: ColourMode;
  /** The view, in display units along the track. */
  viewStart: number;
  viewEnd: number;
  hover: Hover | null;
  /** Selected area index (file order), or null. */
  selected: number | null;
  query: string;
  /** Display positions of the areas matching a name query, ascending; null without one. */
  matches: Uint32Array | null;
  matchSet: Uint8Array | null;
  /** Index into `matches` of the current match, -1 before the first Enter. */
  matchCursor: number;
  found: FoundHole | null;
  /** One line about the search: how many matches, where an address lies, or why nothing was found. */
  searchNote: string | null;
  highlight: Highlight | null;
  /** A series' moment: what came and went since the moment before, or null. */
  momentMarks: MomentMarks | null;
}

export const createMapSlice: StateCreator<AppState, [], [], MapSlice> = () => ({
  model: null,
  track: null,
  colouring: null,
  collapse: true,
  colourMode: 'kind',
  viewStart: 0,
  viewEnd: 0,
  hover: null,
  selected: null,
  query: '',
  matches: null,
  matchSet: null,
  matchCursor: -1,
  found: null,
  searchNote: null,
  highlight: null,
  momentMarks: null,
});
