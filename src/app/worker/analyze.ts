// Bytes in, plain summary out. Runs inside the parse worker, or on the main thread when no worker
// can be started.

import { buildModel, parse, summarize } from '../../lib/index.ts';
import type { ParseResult } from './protocol.ts';

export function analyze(bytes: Uint8Array): ParseResult {
  const t0 = performance.now();
  const snapshot = parse(bytes);
  const summary = summarize(buildModel(snapshot));
  return {
    summary,
    diagnostics: snapshot.diagnostics.map((d) => ({ ...d })),
    diagnosticCount: snapshot.diagnosticCount,
    parseMs: performance.now() - t0,
  };
}
