// Messages between the page and the parse worker: the library's Summary (addresses already as hex
// strings), its diagnostics list, and the whole model packed as plain data whose column buffers
// are transferred rather than copied (src/lib/transfer.ts). The worker reads dumps and opens share
// links; the page gives each job a time budget (client.ts) and replaces a worker that overruns it.

import type { Diagnostic, PackedModel, SplitCapture, Summary, TextFacts } from '../../lib/index.ts';
import type { ShareView } from '../../lib/share/codec.ts';

/**
 * What the input pass found besides the area lines (src/lib/input/read.ts); the text facts are
 * absent for a dump opened from a share link.
 */
export type CaptureFacts = Omit<SplitCapture, 'bytes'> & Partial<TextFacts>;

export type WorkerJob =
  /** A dump's bytes (copied by structured clone, so the page keeps its own for a fallback). */
  | { kind: 'parse'; bytes: ArrayBuffer }
  /** A share link's text (after `#s=`). */
  | { kind: 'link'; text: string }
  /** A .vmscope file's bytes. */
  | { kind: 'share-file'; bytes: ArrayBuffer }
  /**
   * Test hook only (window.__vmscope.hangNextRead): the worker stays busy forever, as a line that
   * hangs the scanner would keep it, so that the end-to-end test can see the watchdog replace it.
   */
  | { kind: 'hang' };

export type WorkerRequest = WorkerJob & { id: number };

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

export type WorkerResponse =
  | { id: number; ok: true; result: ParseResult | LinkResult }
  | { id: number; ok: false; error: string }
  /** Sent while parsing a big dump: the fraction of its bytes read so far. */
  | { id: number; progress: number };
