// The analysis panel's part of the store: which tab is open, the comparison of two loaded dumps
// (snapshot A before, B after; B is always the dump on screen) and the fragmentation probe.
// Results are computed by the library (src/lib/analysis) in actions.ts and kept here, so the
// panel, the map and the test hook read the same numbers.

import type { StateCreator } from 'zustand';
import type { ProbeResult, SnapshotDiff } from '../../lib/index.ts';
import type { AppState } from './store.ts';
import type { ColourMode, Colouring } from '../base/colours.ts';

export const ANALYSIS_TABS = ['compare', 'fragmentation', 'checks'] as const;
/** 'growth': What grew, a tab the page adds when a series is on screen (src/app/timeline). */
export type AnalysisTab = (typeof ANALYSIS_TABS)[number] | 'growth';

export interface Comparison {
  /** History ids of snapshot A (before) and B (after, the dump on screen). */
  aId: number;
  bId: number;
  /**
   * When A or B is a moment of a series: its index in the series of that entry (B's is the moment
   * on screen); null for a dump. Two moments of one series have aId === bId.
   */
  aMoment: number | null;
  bMoment: number | null;
  diff: SnapshotDiff;
  /** The colour mode to go back to when the comparison is closed. */
  previousColourMode: ColourMode;
}

export interface ProbeState {
  /** What the user typed, and the bytes it means. */
  text: string;
  bytes: number;
  result: ProbeResult;
}

export interface AnalysisSlice {
  analysisTab: AnalysisTab;
  comparison: Comparison | null;
  probe: ProbeState | null;
  /** Why the last probe request could not be read, or null. */
  probeError: string | null;
  /** The diff colouring last put on the map, to tell it from one the map made itself. */
  diffColouring: Colouring | null;
}

export const createAnalysisSlice: StateCreator<AppState, [], [], AnalysisSlice> = () => ({
  analysisTab: 'compare',
  comparison: null,
  probe: null,
  probeError: null,
  diffColouring: null,
});
