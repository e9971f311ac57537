// One Zustand store built from typed slices. It keeps the session's loaded dumps and the id of the
// one on screen (history.ts); what is shown is selected from them (select.ts), not copied. Components
// read it with selectors; what changes it lives in plain functions (actions.ts, view.ts and each
// feature's actions), callable without hooks (the loader, canvas handlers, the test hook).

import { create } from 'zustand';
import type { StateCreator } from 'zustand';
import type { SampleEntry } from '../base/samples.ts';
import { FALLBACK_SAMPLE } from '../base/samples.ts';
import type { FileVia } from '../base/store.ts';
import { createMapSlice } from './mapSlice.ts';
import type { MapSlice } from './mapSlice.ts';
import { createHistorySlice } from './history.ts';
import { createTableSlice } from './tableSlice.ts';
import type { TableSlice } from './tableSlice.ts';
import type { HistorySlice } from './history.ts';
import { createAnalysisSlice } from './analysisSlice.ts';
import type { AnalysisSlice } from './analysisSlice.ts';

/** The sample menu. */
export interface SamplesSlice {
  samples: SampleEntry[];
  defaultSample: string;
  manifestError: string | null;
}

/** Where the dump on screen came from. */
export type Source =
  /** startup: shown because the page opened with it, not chosen by the user. */
  | { kind: 'sample'; path: string; label: string | null; startup?: boolean }
  | { kind: 'file'; name: string; via?: FileVia }
  | { kind: 'paste' }
  /**
   * A share link (#s=…) or a .vmscope file; addressesHidden: the link kept only the relative layout;
   * text: the link's text when it was opened from one (not from a file).
   */
  | { kind: 'link'; addressesHidden: boolean; text?: string };

/** Every way a dump comes in; the loader (src/app/load.ts) takes each the same way. */
export type LoadRequest =
  | { kind: 'file'; file: File; via?: FileVia }
  /** Several files dropped or chosen at once: one series, a moment each (one file: as 'file'). */
  | { kind: 'files'; files: File[]; via?: FileVia }
  | { kind: 'text'; text: string; name?: string }
  /** remember: put it in the URL (?sample=); startup: the sample the page opened with (not chosen). */
  | { kind: 'sample'; path: string; remember?: boolean; startup?: boolean }
  /** A share link's text (after `#s=`, or `#r=` for a recording), from the page's fragment or pasted. */
  | { kind: 'link'; text: string; recording?: boolean };

export type Status = 'idle' | 'loading' | 'parsing' | 'ready' | 'error';

/**
 * The loader's progress. What is on screen is not copied here: it is the history's current entry
 * (history.ts), read with the selectors of select.ts.
 */
export interface DumpSlice {
  status: Status;
  /**
   * The input the heading names while it is read, or the one that failed with no dump on screen
   * to fall back on; null once a dump is shown. fileBytes: null until its bytes are read.
   */
  input: { source: Source; fileName: string; fileBytes: number | null } | null;
  /** Fraction of the dump parsed so far (big dumps report progress), or null. */
  progress: number | null;
  error: string | null;
}

/** Work in flight: fetches and parses not yet settled. whenIdle() waits for this to reach 0. */
export interface ActivitySlice {
  pending: number;
  /** Bumped by every load and every switch; a load whose number is no longer current drops its result. */
  generation: number;
  /**
   * The loader, put here at start-up (src/app/boot.ts) so that features can ask for a load through
   * the store without importing the orchestrator above them.
   */
  loader: ((request: LoadRequest) => Promise<boolean>) | null;
}

/** What the share feature says beyond the dump on screen. */
export interface ShareSlice {
  /** A link that could not be opened, and what was shown instead. */
  shareError: string | null;
}

export type AppState = SamplesSlice & DumpSlice & ActivitySlice & ShareSlice & MapSlice & HistorySlice & AnalysisSlice & TableSlice;

const createSamplesSlice: StateCreator<AppState, [], [], SamplesSlice> = () => ({
  samples: [],
  defaultSample: FALLBACK_SAMPLE,
  manifestError: null,
});

const createDumpSlice: StateCreator<AppState, [], [], DumpSlice> = () => ({
  status: 'idle',
  input: null,
  progress: null,
  error: null,
});

const createActivitySlice: StateCreator<AppState, [], [], ActivitySlice> = () => ({
  pending: 0,
  generation: 0,
  loader: null,
});

export const useStore = create<AppState>()((...a) => ({
  ...createSamplesSlice(...a),
  ...createDumpSlice(...a),
  ...createActivitySlice(...a),
  shareError: null,
  ...createMapSlice(...a),
  ...createHistorySlice(...a),
  ...createAnalysisSlice(...a),
  ...createTableSlice(...a),
}));
