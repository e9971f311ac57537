// Bytes in, summary and packed model out. Runs inside the parse worker, or on the main thread when
// no worker can be started. The input goes through parseDump (src/lib/input/read.ts), the same
// path as the CLI's: encodings and line ends, /proc/meminfo and /proc/modules set aside (kept,
// not counted as diagnostics), then the scanner. Several inputs, or one that holds stamped rounds
// or a recording, go through readSeries (src/lib/series/read.ts) and may come back as a series.
// An input that is a sosreport, a bugreport or a kmem -v table is opened first (openInputs:
// src/lib/sources), so the dump inside it is what is read; its origin goes with the capture.

import { buildModel, layoutHintsFrom, packModel, parseDump, summarize } from '../../lib/index.ts';
import type { DumpCapture, LayoutHints, MeminfoEntry, Snapshot } from '../../lib/index.ts';
import { readSeries } from '../../lib/series/read.ts';
import { seriesStats } from '../../lib/series/stats.ts';
import type { Series } from '../../lib/series/series.ts';
import { openSource } from '../../lib/sources/open.ts';
import type { Origin } from '../../lib/sources/origin.ts';
import type { ParseResult, ReadInput, ReadJobResult } from './protocol.ts';

/** Inputs as they arrived, opened: a container's dump in place of its bytes, and where it was found. */
export interface OpenedInputs {
  inputs: ReadInput[];
  /** The one input's origin, when it was found inside something (a series of archives keeps none). */
  origin: { origin: Origin; notes: string[] } | null;
}

/**
 * Each input through src/lib/sources: a sosreport (tar, tar.gz, tar.xz), a bugreport (zip, txt) or
 * a kmem -v table becomes the dump inside it; an archive with no dump inside is refused with what it
 * held (thrown, as any unreadable input is).
 */
export async function openInputs(inputs: readonly ReadInput[]): Promise<OpenedInputs> {
  const out: ReadInput[] = [];
  let origin: OpenedInputs['origin'] = null;
  for (const input of inputs) {
    const opened = await openSource(input.name, new Uint8Array(input.bytes));
    if (opened.kind === 'refused') throw new Error(opened.message);
    if (opened.kind === 'plain') {
      out.push(opened.unpacked ? { ...input, bytes: opened.bytes.slice().buffer } : input);
      continue;
    }
    out.push({ ...input, bytes: opened.bytes.slice().buffer });
    if (inputs.length === 1) origin = { origin: opened.origin, notes: opened.notes };
  }
  return { inputs: out, origin };
}

/** A parsed snapshot's model and summary, packed; `t0` is when the work on it began. */
function analyzed(snapshot: Snapshot, capture: DumpCapture, hints: LayoutHints, t0: number): { result: ParseResult; transfer: ArrayBuffer[] } {
  const model = buildModel(snapshot, hints);
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

/**
 * The result, and the buffers a worker should transfer with it (the result owns them afterwards).
 * `onProgress` hears the fraction of bytes parsed after each 4 MiB.
 */
export function analyze(input: Uint8Array, onProgress?: (fraction: number) => void): { result: ParseResult; transfer: ArrayBuffer[] } {
  const t0 = performance.now();
  const { snapshot, capture } = parseDump(input, onProgress);
  // A /proc/meminfo in the capture fixes the vmalloc range (VmallocTotal).
  return analyzed(snapshot, capture, layoutHintsFrom(capture.meminfo), t0);
}

/**
 * The layout hints for every moment of a series: the VmallocTotal of the latest moment that has a
 * /proc/meminfo (one boot's range does not change), else none.
 */
export function seriesHints(series: Series): LayoutHints {
  for (let i = series.count - 1; i >= 0; i--) {
    const meminfo: readonly MeminfoEntry[] = series.moments[i].capture.meminfo;
    if (meminfo.length > 0) return layoutHintsFrom(meminfo);
  }
  return {};
}

/**
 * Inputs in, one dump or a series out (readSeries decides), with the buffers to transfer. A series
 * comes with its figures and its latest moment built, so the page can show that moment at once.
 */
export async function readAll(given: readonly ReadInput[], onProgress?: (fraction: number) => void): Promise<{ result: ReadJobResult; transfer: ArrayBuffer[] }> {
  const { inputs, origin } = await openInputs(given);
  const read = readOpened(inputs, onProgress, origin?.origin);
  if (origin && read.result.kind === 'single') {
    read.result.capture = { ...read.result.capture, origin: origin.origin, originNotes: origin.notes };
  }
  return read;
}

/** readAll once the inputs are opened. */
function readOpened(inputs: readonly ReadInput[], onProgress?: (fraction: number) => void, origin?: Origin): { result: ReadJobResult; transfer: ArrayBuffer[] } {
  const t0 = performance.now();
  const bytes = inputs.map((x) => new Uint8Array(x.bytes));
  const read = readSeries(
    inputs.map((x, k) => ({ name: x.name, bytes: bytes[k], mtime: x.mtime })),
    onProgress,
  );
  if (read.kind === 'none') throw new Error(read.message);
  if (read.kind === 'single') {
    const { snapshot, capture } = read.parsed;
    // The kernel release an archive names picks the layout era and its architecture the family,
    // as VmallocTotal fixes the range.
    const hints = { ...layoutHintsFrom(capture.meminfo), ...(origin?.release ? { release: origin.release } : {}), ...(origin?.arch ? { arch: origin.arch } : {}) };
    const { result, transfer } = analyzed(snapshot, capture, hints, t0);
    return { result: { kind: 'single', ...result }, transfer };
  }
  const { series, how, notes } = read;
  const hints = seriesHints(series);
  const last = series.count - 1;
  const latest = analyzed(series.snapshot(last), series.moments[last].capture, hints, t0);
  const stats = seriesStats(series, hints);
  // pack() hands the series' buffers over: everything that reads the series comes before it.
  const { packed, transfer } = series.pack();
  latest.result.parseMs = performance.now() - t0;
  return { result: { kind: 'series', series: packed, stats, how, notes, hints, latest: latest.result }, transfer: [...transfer, ...latest.transfer] };
}
