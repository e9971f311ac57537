// Bytes in, summary and packed model out. Runs inside the parse worker, or on the main thread when
// no worker can be started.

import { buildModel, packModel, parse, summarize } from '../../lib/index.ts';
import type { ParseResult } from './protocol.ts';

/** The result, and the buffers a worker should transfer with it (the result owns them afterwards). */
export function analyze(bytes: Uint8Array): { result: ParseResult; transfer: ArrayBuffer[] } {
  const t0 = performance.now();
  const snapshot = parse(bytes);
  const model = buildModel(snapshot);
  const summary = summarize(model);
  const { packed, transfer } = packModel(model);
  const result: ParseResult = {
    summary,
    diagnostics: snapshot.diagnostics.map((d) => ({ ...d })),
    diagnosticCount: snapshot.diagnosticCount,
    parseMs: performance.now() - t0,
    packed,
  };
  return { result, transfer };
}
