// Messages between the page and the parse worker: the library's Summary (addresses already as hex
// strings), its diagnostics list, and the whole model packed as plain data whose column buffers
// are transferred rather than copied (src/lib/transfer.ts). The worker reads dumps and opens share
// links; the page gives each job a time budget (client.ts) and replaces a worker that overruns it.

import type { Diagnostic, PackedModel, SplitCapture, Summary, TextFacts } from '../../lib/index.ts';
import type { ShareView } from '../../lib/share/codec.ts';
import type { PackedSeries } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import type { LayoutHints } from '../../lib/index.ts';
import type { Origin } from '../../lib/sources/origin.ts';

/**
 * What the input pass found besides the area lines (src/lib/input/read.ts); the text facts are
 * absent for a dump opened from a share link.
 */
export type CaptureFacts = Omit<SplitCapture, 'bytes'> & Partial<TextFacts> & {
  /** The sosreport, bugreport, folder or vmcore tool output the dump was found in (src/lib/sources). */
  origin?: Origin;
  /** How it was found there. */
  originNotes?: string[];
};

export type WorkerJob =
  /** A dump's bytes (copied by structured clone, so the page keeps its own for a fallback). */
  | { kind: 'parse'; bytes: ArrayBuffer }
  /**
   * One input or several (files dropped or chosen at once), gunzipped: read as one dump or as a
   * series (src/lib/series/read.ts). Bytes copied by structured clone, as for 'parse'.
   */
  | { kind: 'read'; inputs: ReadInput[] }
  /** A share link's text (after `#s=`). */
  | { kind: 'link'; text: string }
  /** A .vmscope file's bytes. */
  | { kind: 'share-file'; bytes: ArrayBuffer }
  /**
   * A live recording (vmscope open --live) as the page loaded it: the worker keeps its series as
   * `live` (its own copy), so that each new moment costs it one frame and the figures (live.ts).
   */
  | { kind: 'live-start'; live: number; bytes: ArrayBuffer }
  /** New frames of live recording `live`, in order: appended, and the series' figures made again. */
  | { kind: 'live-append'; live: number; frames: ArrayBuffer[] }
  /**
   * Test hook only (window.__vmscope.hangNextRead): the worker stays busy forever, as a line that
   * hangs the scanner would keep it, so that the end-to-end test can see the watchdog replace it.
   */
  | { kind: 'hang' };

export type WorkerRequest = WorkerJob & { id: number };

/** One input of a 'read' job: its name, bytes (gunzipped) and modification time (epoch ms) or null. */
export interface ReadInput {
  name: string;
  bytes: ArrayBuffer;
  mtime: number | null;
}

/**
 * A series read: the series packed (its table's columns and changes transferred), its figures
 * for the strip, how its moments were found and ordered, and its latest moment already built (the
 * moment shown first), as a ParseResult of that moment.
 */
export interface SeriesResult {
  kind: 'series';
  series: PackedSeries;
  stats: SeriesStats;
  how: string;
  notes: string[];
  /** The layout hints every moment's model is built with (from the series' /proc/meminfo). */
  hints: LayoutHints;
  latest: ParseResult;
}

/** What a 'read' job gives: one dump as today, or a series. */
export type ReadJobResult = ({ kind: 'single' } & ParseResult) | SeriesResult;

export interface ParseResult {
  summary: Summary;
  /** The first MAX_DIAGNOSTICS diagnostics, in line order. */
  diagnostics: Diagnostic[];
  /** Every diagnostic raised, including those not kept in the list. */
  diagnosticCount: number;
  /** Wall time of parse + model + summary, in milliseconds. */
  parseMs: number;
  /** Other sections of a combined capture, and what the bytes looked like. */
  capture: CaptureFacts;
  /** The model, for the map. Unpack with unpackModel. */
  packed: PackedModel;
}

/** A share link or .vmscope file, decoded, its model built and summarised. */
export interface LinkResult {
  summary: Summary;
  view: ShareView;
  addressesHidden: boolean;
  /** Wall time of decode + model + summary, in milliseconds. */
  ms: number;
  packed: PackedModel;
}

/** What a live job gives: the moments of the worker's copy of the series and (live-append) its figures. */
export interface LiveResult {
  kind: 'live';
  count: number;
  stats: SeriesStats | null;
}

export type WorkerResponse =
  | { id: number; ok: true; result: ParseResult | LinkResult | ReadJobResult | LiveResult }
  | { id: number; ok: false; error: string }
  /** Sent while parsing a big dump: the fraction of its bytes read so far. */
  | { id: number; progress: number };
