// Messages between the page and the parse worker. Everything crossing is plain JSON-able data:
// the library's Summary (addresses already as hex strings) and its diagnostics list.

import type { Diagnostic, Summary } from '../../lib/index.ts';

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
}

export type ParseResponse = { id: number; ok: true; result: ParseResult } | { id: number; ok: false; error: string };
