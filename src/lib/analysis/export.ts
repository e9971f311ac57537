// One row per area, for engines that already handle fleets (DuckDB, BigQuery, Spark).
//
// Columns (EXPORT_COLUMNS, in this order):
//   line    1-based line number in the dump
//   start   exact hex address "0x" + the dump's width (16 digits on 64-bit, 8 on 32-bit), as the
//   end     kernel printed it: the real address (raw), the hash (hashed) or all zeros (zero);
//           null when masked as 0x(____ptrval____). end is exclusive and includes the guard page.
//   size    the size column in bytes (guard page included)
//   pages   pages= (0 when not printed)
//   kind    vmalloc | ioremap | vmap | vm_map_ram | unpurged | sparse | dma-coherent | other
//   caller  the caller's function name without offset, or null
//   offset  the byte offset into that function (+0x…), or null
//   module  the [module] tag, or null for built-in code
//   phys    phys= as hex, or null
//   flags   the flag words as printed, space separated ("ioremap", "vmalloc user"), or null
//   nodes   per-node pages as printed ("N0=3 N1=2"), or null
//   host    the machine the dump came from (an archive's host name, or `vmscope export --host`), or
//           null: so many hosts' exports concatenate into one table
//   moment  the moment's number in its series (1-based, as FILE@N counts), or null for a lone dump
//   time    when the moment was taken, ISO 8601 in UTC ("2026-11-30T00:59:06.000Z"), or null when
//           nothing says (the stamp line of a log, a recording's clock, an archive's date)
// CSV: a header row, then one row per area; fields quoted per RFC 4180 when they hold a comma, a
// quote or a line break; null is an empty field; lines end with LF. Text that a spreadsheet would
// run as a formula is defused (OWASP's CSV-injection advice): a text cell starting with =, +, -,
// @, tab or CR gets a leading single quote, so `=HYPERLINK(…)+0x1/0x2` becomes the caller
// `'=HYPERLINK(…)`. The dump decides the caller, module, flag-word and host text (a kernel module
// can be named anything it likes, and pasted dumps anything at all); numbers are never touched, and
// no column this file writes as text starts with a digit sign by itself (hex addresses start 0x,
// kinds and node counts are fixed words, times start with a 4-digit year). NDJSON: one JSON object per
// line with the same keys, null as JSON null, numbers as numbers.

import { hex } from '../addr.ts';
import type { Model } from '../model/model.ts';
import { BIT_MASKED, BIT_PHYS } from '../parse/snapshot.ts';

export const EXPORT_COLUMNS = [
  'line', 'start', 'end', 'size', 'pages', 'kind', 'caller', 'offset', 'module', 'phys', 'flags', 'nodes',
  'host', 'moment', 'time',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportRow = Record<ExportColumn, string | number | null>;

/** Where the dump sits among many: its host and its moment (all optional: null when not known). */
export interface ExportContext {
  host?: string | null;
  /** 1-based moment of a series. */
  moment?: number | null;
  /** Epoch milliseconds. */
  time?: number | null;
}

/** The end of year 9999: later (and pre-1970) times would not print as YYYY-MM-DDTHH:MM:SS.sssZ. */
const LAST_ISO_MS = 253402300800000;

/** Epoch milliseconds as ISO 8601 UTC, or null for no time (or one outside 1970–9999). */
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !(ms >= 0 && ms < LAST_ISO_MS) ? null : new Date(ms).toISOString();
}

/** The row of area i (file order), with the host and moment of `context`. */
export function exportRow(model: Model, i: number, context: ExportContext = {}): ExportRow {
  const s = model.snapshot;
  const c = s.columns;
  const digits = s.addressDigits || 16;
  const bits = c.flagBits[i];
  const masked = (bits & BIT_MASKED) !== 0;
  const flags = s.flagsOf(i);
  let nodes = '';
  for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) nodes += `${nodes ? ' ' : ''}N${c.nodeId[k]}=${c.nodePages[k]}`;
  const sym = c.symbol[i];
  const offset = c.callerOffset[i];
  return {
    line: c.line[i],
    start: masked ? null : hex(c.startHi[i], c.startLo[i], digits),
    end: masked ? null : hex(c.endHi[i], c.endLo[i], digits),
    size: c.size[i],
    pages: c.pages[i],
    kind: s.kindOf(i),
    caller: sym < 0 ? null : s.strings[sym],
    offset: sym < 0 || Number.isNaN(offset) ? null : offset,
    module: s.moduleOf(i),
    phys: bits & BIT_PHYS ? hex(c.physHi[i], c.physLo[i], 16) : null,
    flags: flags.length > 0 ? flags.join(' ') : null,
    nodes: nodes || null,
    host: context.host || null,
    moment: context.moment ?? null,
    time: isoTime(context.time),
  };
}

/** One row per area in file order: hex addresses ("0x…", exact), kind, caller symbol, module, pages,
 *  node counts as "N0=3 N1=2". */
export function* exportRows(model: Model, context: ExportContext = {}): Iterable<ExportRow> {
  for (let i = 0; i < model.snapshot.count; i++) yield exportRow(model, i, context);
}

function* selected(model: Model, indices: ArrayLike<number> | undefined, context: ExportContext): Iterable<ExportRow> {
  if (!indices) yield* exportRows(model, context);
  else for (let k = 0; k < indices.length; k++) yield exportRow(model, indices[k], context);
}

/** A text cell a spreadsheet would read as a formula (or strip to one): =, +, -, @, tab, CR first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. Text
 * that starts like a formula is prefixed with ' first (numbers, e.g. a negative one, are kept).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return EXPORT_COLUMNS.join(',') + '\n';
}

export function csvLine(row: ExportRow): string {
  return EXPORT_COLUMNS.map((k) => csvField(row[k])).join(',') + '\n';
}

export function ndjsonLine(row: ExportRow): string {
  return JSON.stringify(row) + '\n';
}

export function toCsv(model: Model, indices?: ArrayLike<number>, context: ExportContext = {}): string {
  const parts = [csvHeader()];
  for (const row of selected(model, indices, context)) parts.push(csvLine(row));
  return parts.join('');
}

/** A JSON array of the rows, one object per line. */
export function toJson(model: Model, indices?: ArrayLike<number>, context: ExportContext = {}): string {
  const parts: string[] = [];
  for (const row of selected(model, indices, context)) parts.push(JSON.stringify(row));
  return parts.length === 0 ? '[]\n' : `[\n${parts.join(',\n')}\n]\n`;
}

export function toNdjson(model: Model, indices?: ArrayLike<number>, context: ExportContext = {}): string {
  const parts: string[] = [];
  for (const row of selected(model, indices, context)) parts.push(ndjsonLine(row));
  return parts.join('');
}
