// `vmscope export`: one row per area on stdout, NDJSON or CSV (columns and formats: see
// src/lib/analysis/export.ts). Rows are written in batches that respect the stream's
// backpressure, so a million-area dump does not become one giant string; a closed pipe
// (`| head`) ends the export quietly.
//
// The host and moment columns let many hosts' exports concatenate into one table: the host is
// `--host NAME`, else the one an archive names (InputFacts.origin.host), else null; the moment is
// the one FILE@N (or a plain FILE holding a series: its last) picked, with its time, or with
// --all-moments every moment of the series, one after another, each with its number and time.

import type { Writable } from 'node:stream';
import { buildModel, csvHeader, csvLine, exportRow, ndjsonLine } from '../lib/index.ts';
import type { Model } from '../lib/index.ts';
import type { ExportContext } from '../lib/analysis/export.ts';
import type { Series } from '../lib/series/series.ts';
import { processIo } from './io.ts';
import type { TextOut } from './io.ts';

export type ExportFormat = 'ndjson' | 'csv';

const BATCH = 1 << 20;

/** Rows in batches to `out`, minding its backpressure; a reader gone away stops them quietly. */
class RowWriter {
  private closed = false;
  private buf: string;
  private readonly line: typeof csvLine;

  constructor(
    private readonly out: Writable,
    format: ExportFormat,
    err: TextOut,
  ) {
    // A reader that went away (`| head`) ends the export; nothing else can fail on a stdout write
    // that the process could still report, so any error just stops the rows.
    out.on('error', (e: NodeJS.ErrnoException) => {
      this.closed = true;
      if (e.code !== 'EPIPE') err.write(`vmscope: cannot write: ${e.message}\n`);
    });
    this.buf = format === 'csv' ? csvHeader() : '';
    this.line = format === 'csv' ? csvLine : ndjsonLine;
  }

  get done(): boolean {
    return this.closed;
  }

  async rows(model: Model, context: ExportContext): Promise<void> {
    for (let i = 0; i < model.snapshot.count && !this.closed; i++) {
      this.buf += this.line(exportRow(model, i, context));
      if (this.buf.length >= BATCH) {
        const full = !this.out.write(this.buf);
        this.buf = '';
        if (full) await this.drained();
      }
    }
  }

  /** Until `out` drains; a stream that errors or closes first (a reader gone away) ends the rows. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const settle = (ended: boolean) => () => {
        if (ended) this.closed = true;
        this.out.off('drain', onDrain).off('close', onEnd).off('error', onEnd);
        resolve();
      };
      const onDrain = settle(false);
      const onEnd = settle(true);
      this.out.on('drain', onDrain).on('close', onEnd).on('error', onEnd);
    });
  }

  end(): void {
    if (this.buf && !this.closed) this.out.write(this.buf);
    this.buf = '';
  }
}

/** The rows of one dump, each with the host and moment of `context`. */
export async function writeExport(model: Model, format: ExportFormat, out: Writable, context: ExportContext = {}, err: TextOut = processIo().stderr): Promise<void> {
  const writer = new RowWriter(out, format, err);
  await writer.rows(model, context);
  writer.end();
}

/** Every moment of a series, in order, each moment's rows numbered (1-based) and timed. */
export async function writeSeriesExport(series: Series, format: ExportFormat, out: Writable, host: string | null, err: TextOut = processIo().stderr): Promise<void> {
  const writer = new RowWriter(out, format, err);
  for (let k = 0; k < series.count && !writer.done; k++) {
    const moment = series.moments[k];
    await writer.rows(buildModel(series.snapshot(k)), { host, moment: k + 1, time: moment.time });
  }
  writer.end();
}
