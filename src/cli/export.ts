// `vmscope export`: one row per area on stdout, NDJSON or CSV (columns and formats: see
// src/lib/analysis/export.ts). Rows are written in batches that respect the stream's
// backpressure, so a million-area dump does not become one giant string; a closed pipe
// (`| head`) ends the export quietly.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvHeader, csvLine, exportRow, ndjsonLine } from '../lib/index.ts';
import type { Model } from '../lib/index.ts';
import { processIo } from './io.ts';
import type { TextOut } from './io.ts';

export type ExportFormat = 'ndjson' | 'csv';

const BATCH = 1 << 20;

export async function writeExport(model: Model, format: ExportFormat, out: Writable, err: TextOut = processIo().stderr): Promise<void> {
  let closed = false;
  // A reader that went away (`| head`) ends the export; nothing else can fail on a stdout write
  // that the process could still report, so any error just stops the rows.
  out.on('error', (e: NodeJS.ErrnoException) => {
    closed = true;
    if (e.code !== 'EPIPE') err.write(`vmscope: cannot write: ${e.message}\n`);
  });
  let buf = format === 'csv' ? csvHeader() : '';
  const line = format === 'csv' ? csvLine : ndjsonLine;
  for (let i = 0; i < model.snapshot.count && !closed; i++) {
    buf += line(exportRow(model, i));
    if (buf.length >= BATCH) {
      // once() rejects when the stream errors: a reader gone away (EPIPE) just ends the rows.
      if (!out.write(buf)) await Promise.race([once(out, 'drain'), once(out, 'close')]).catch(() => (closed = true));
      buf = '';
    }
  }
  if (buf && !closed) out.write(buf);
}
