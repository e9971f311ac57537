// The session's loaded dumps: the last few snapshots stay in memory with their models, so going
// back to "before" after loading "after" is instant. Also the message about the latest input
// (what was read and skipped, or why it was not shown).

import type { StateCreator } from 'zustand';
import type { Diagnostic, LayoutHints, Model, Summary } from '../../lib/index.ts';
import type { Series } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import type { ColourMode } from '../base/colours.ts';
import type { ParsedWhere } from '../worker/client.ts';
import type { CaptureFacts } from '../worker/protocol.ts';
import type { AppState, Source } from './store.ts';

/** How many loaded dumps the session keeps. */
export const HISTORY_SIZE = 5;

/**
 * A dump's view as it was left: the visible range (in the display units of its track with that
 * collapse setting), collapse, selection and colour mode. Switching back to the dump puts it back,
 * so a dump opened from a share link comes back as the link showed it.
 */
export interface SavedView {
  viewStart: number;
  viewEnd: number;
  collapse: boolean;
  /** Selected area (file order), or null. */
  selected: number | null;
  colourMode: ColourMode;
}

/**
 * A series' timeline: the moments, their figures for the strip, and the cursor. The entry holding
 * it shows the moment under the cursor (its model, summary, diagnostics and capture are that
 * moment's), so everything that selects from the entry on screen follows the cursor.
 */
export interface Timeline {
  series: Series;
  stats: SeriesStats;
  /** The moment on screen. */
  index: number;
  /** The range picked on the strip, first and last moment (a < b), or null. */
  range: readonly [number, number] | null;
  /** Stepping through the moments on its own. */
  playing: boolean;
  /** How the moments were found and ordered (one sentence), and anything else said about them. */
  how: string;
  notes: readonly string[];
  /** The layout hints every moment's model is built with. */
  hints: LayoutHints;
  /**
   * /proc/meminfo or /proc/modules records attached by the user (a file or paste of its own): every
   * moment that has none of its own shows these, so they are not lost on the next step.
   */
  attached?: Pick<CaptureFacts, 'meminfo' | 'modules' | 'sections'>;
  /** A recording `vmscope open --live` is making, growing by a moment at a time (state/timeline.ts appendMoment). */
  live?: LiveStatus;
}

/** How a live recording's stream is doing. */
export interface LiveStatus {
  /** Milliseconds between moments, as the server says (0: not said). */
  every: number;
  /** Moments arrive; or the stream ended (Ctrl-C on the server), failed, or is reconnecting. */
  state: 'live' | 'stopped';
  /** Why it stopped, when something went wrong (shown as the badge's title). */
  why?: string;
  /** Milliseconds from the last moment's arrival to its being on screen (the worker's figures included). */
  appendMs?: number;
  /** Of those, milliseconds spent on the page's own thread (the series grown, the moment built when followed). */
  threadMs?: number;
}

/** One loaded dump, everything needed to put it back on screen. */
export interface LoadedDump {
  id: number;
  source: Source;
  fileName: string;
  /** When it was loaded (ms since the epoch). */
  loadedAt: number;
  /** Bytes read (after gunzip). */
  fileBytes: number;
  gzip: boolean;
  summary: Summary;
  diagnostics: Diagnostic[];
  diagnosticCount: number;
  parseMs: number;
  parsedIn: ParsedWhere;
  model: Model;
  /** The other sections of a combined capture (/proc/meminfo, /proc/modules), kept for analysis. */
  capture: CaptureFacts;
  /** What was read and skipped, when there is something to say. */
  note: string | null;
  /** The view it was left with when another dump was put on screen; null until then. */
  view: SavedView | null;
  /** A series: its timeline, and the fields above describe the moment under its cursor. Absent for one dump. */
  timeline?: Timeline;
}

/** An input that was not shown: what it was, why, and its diagnostics. */
export interface InputNotice {
  message: string;
  /** The input held only /proc/meminfo or /proc/modules records and they were attached to the dump on screen. */
  attached?: boolean;
  diagnostics: Diagnostic[];
  diagnosticCount: number;
}

export interface HistorySlice {
  /** Oldest first; at most HISTORY_SIZE. */
  history: LoadedDump[];
  /** The id of the dump on screen, or null. */
  currentId: number | null;
  /** The last input that could not be shown, until the next one is. */
  notice: InputNotice | null;
}

export const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = () => ({
  history: [],
  currentId: null,
  notice: null,
});

function samplePath(d: LoadedDump): string | null {
  return d.source.kind === 'sample' ? d.source.path : null;
}

/**
 * The history with `dump` added, the oldest dropped past HISTORY_SIZE. A bundled sample loaded
 * again replaces its earlier entry (it cannot have changed); files and pastes are always kept, as
 * the same name may well be "before" and "after".
 */
export function withDump(history: LoadedDump[], dump: LoadedDump): LoadedDump[] {
  const path = samplePath(dump);
  const others = path === null ? history : history.filter((d) => samplePath(d) !== path);
  return [...others, dump].slice(-HISTORY_SIZE);
}
