// Messages between the page and the parse worker: the library's Summary (addresses already as hex
// strings), its diagnostics list, and the whole model packed as plain data whose column buffers
// are transferred rather than copied (src/lib/transfer.ts).

import type { Diagnostic, PackedModel, SplitCapture, Summary, TextFacts } from '../../lib/index.ts';

/**
 * What the input pass found besides the area lines (src/lib/input/read.ts); the text facts are
 * absent for a dump opened from a share link.
 */
export type CaptureFacts = Omit<SplitCapture, 'bytes'> & Partial<TextFacts>;

export interface ParseRequest {
  id: number;
  /** The dump's bytes (copied by structured clone, so the page keeps its own for a fallback). */
  bytes: ArrayBuffer;
}

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

export type ParseResponse =
  | { id: number; ok: true; result: ParseResult }
  | { id: number; ok: false; error: string }
  /** Sent while parsing a big dump: the fraction of its bytes read so far. */
  | { id: number; progress: number };
