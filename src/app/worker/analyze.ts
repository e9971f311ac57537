// Bytes in, summary and packed model out. Runs inside the parse worker, or on the main thread when
// no worker can be started. The input goes through parseDump (src/lib/input/read.ts), the same
// path as the CLI's: encodings and line ends, /proc/meminfo and /proc/modules set aside (kept,
// not counted as diagnostics), then the scanner.

import { buildModel, layoutHintsFrom, packModel, parseDump, summarize } from '../../lib/index.ts';
import type { ParseResult } from './protocol.ts';

/**
 * The result, and the buffers a worker should transfer with it (the result owns them afterwards).
 * `onProgress` hears the fraction of bytes parsed after each 4 MiB.
 */
export function analyze(input: Uint8Array, onProgress?: (fraction: number) => void): { result: ParseResult; transfer: ArrayBuffer[] } {
  const t0 = performance.now();
  const { snapshot, capture } = parseDump(input, onProgress);
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
