// Bytes in, summary and packed model out. Runs inside the parse worker, or on the main thread when
// no worker can be started. The input pass (src/lib/input) first sets aside the /proc/meminfo and
// /proc/modules lines of a combined capture, so they are kept and not counted as diagnostics.

import { StreamParser, buildModel, layoutHintsFrom, packModel, splitCapture, summarize } from '../../lib/index.ts';
import type { ParseResult } from './protocol.ts';

/** Bytes parsed between progress reports. */
const CHUNK = 4 << 20;

/**
 * The result, and the buffers a worker should transfer with it (the result owns them afterwards).
 * `onProgress` hears the fraction of bytes parsed after each 4 MiB.
 */
export function analyze(input: Uint8Array, onProgress?: (fraction: number) => void): { result: ParseResult; transfer: ArrayBuffer[] } {
  const t0 = performance.now();
  const { bytes, ...capture } = splitCapture(input);
  const parser = new StreamParser({ sizeHint: bytes.length });
  for (let at = 0; at < bytes.length; at += CHUNK) {
    parser.push(bytes.subarray(at, at + CHUNK));
    if (onProgress && bytes.length > CHUNK) onProgress(Math.min(1, (at + CHUNK) / bytes.length));
  }
  const snapshot = parser.finish();
  // A /proc/meminfo in the capture fixes the vmalloc range (VmallocTotal).
  const model = buildModel(snapshot, layoutHintsFrom(capture.meminfo));
  const summary = summarize(model);
  const { packed, transfer } = packModel(model);
  const result: ParseResult = {
    summary,
    diagnostics: snapshot.diagnostics.map((d) => ({ ...d })),
    diagnosticCount: snapshot.diagnosticCount,
    capture,
    parseMs: performance.now() - t0,
    packed,
  };
  return { result, transfer };
}
