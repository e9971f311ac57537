// `vmscope report FILE -o report.html`: one HTML file holding the whole page and FILE, for attaching
// to a bug report or a ticket. It opens from file:// with no network and makes no request at all
// (its Content-Security-Policy forbids every one: reportPage.ts).
//
// FILE is read as every command reads one (input.ts: streamed, gunzipped, capped): one dump, or
// FILE@N for moment N of a log or recording, or a share link or .vmscope file, goes in as a
// .vmscope snapshot (lib/share, the Share button's file); a log of several moments or a recording
// goes in whole, as a recording (lib/series/share.ts), and the page shows its timeline. Raw
// addresses are hidden (offsets from the first area; a recording also leaves out the host and boot
// id) unless --addresses. The page's template is the app's second build (vite.report.config.ts →
// DIST/report/template.html), found next to the bundled CLI as `vmscope open` finds the app.

import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, formatBytes } from '../lib/index.ts';
import type { Snapshot } from '../lib/index.ts';
import { readSeries } from '../lib/series/read.ts';
import type { Series } from '../lib/series/series.ts';
import { encodeSeries } from '../lib/series/share.ts';
import { decodeHeader, isRecording } from '../lib/series/recording.ts';
import { decodeShare, decodeShareFile, encodeShareFile, shareTextOf } from '../lib/share/codec.ts';
import { words } from './argv.ts';
import { InputError, exitOnInputError, fileError } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo } from './io.ts';
import { fillReport } from './reportPage.ts';
import type { ReportMeta } from './reportPage.ts';
import { MomentError, momentIndex, momentSpec, seriesInput } from './timeline.ts';
import { VERSION } from './version.ts';

export const REPORT_USAGE = `       vmscope report FILE -o report.html [--addresses]`;

export const REPORT_HELP = `  report          write one HTML file with the page and FILE in it, that opens from file:// with
                  no network (for a bug report): a dump, FILE@N, or a whole log or recording with
                  its timeline; addresses hidden unless --addresses; -o - writes to stdout`;

export class ReportUsageError extends Error {}

export interface ReportOptions {
  file: string;
  out: string;
  addresses: boolean;
}

/** `vmscope report`'s arguments (after the word report), 'help', or a ReportUsageError. */
export function parseReportArgs(argv: string[]): ReportOptions | 'help' {
  const files: string[] = [];
  let out: string | null = null;
  let addresses = false;
  for (const { arg, name, value } of words(argv)) {
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--addresses') addresses = true;
    else if (name === '-o' || name === '--out') {
      const v = value();
      if (v === null) throw new ReportUsageError(`${name} needs a file name (report.html)`);
      out = v;
    } else if (arg.startsWith('-') && arg !== '-') throw new ReportUsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new ReportUsageError('missing FILE (use - for stdin)');
  if (files.length > 1) throw new ReportUsageError(`report takes one FILE; unexpected argument "${files[1]}"`);
  if (out === null) throw new ReportUsageError('missing -o FILE.html: where to write the report');
  return { file: files[0], out, addresses };
}

/** Where the report's template is: VMSCOPE_APP_DIR/report, else next to the bundled CLI (dist/cli/ → dist/report/), else the repository's dist/report/. */
export function templatePath(env: CliIo['env'] = process.env): string {
  const dirs = env.VMSCOPE_APP_DIR ? [env.VMSCOPE_APP_DIR] : [fileURLToPath(new URL('../', import.meta.url)), fileURLToPath(new URL('../../dist/', import.meta.url))];
  const candidates = dirs.map((dir) => join(dir, 'report', 'template.html'));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new InputError(`the report page is not built: run npm run build (looked for ${candidates.join(', ')})`);
  return realpathSync(found);
}

/** What goes inside the report: its bytes and what the heading says of them. */
export interface Embedded {
  meta: ReportMeta;
  bytes: Uint8Array;
  /** A snapshot's areas, or a series' moments. */
  count: number;
}

function nameOf(file: string, moment: number | null): string {
  const base = file === '-' ? 'stdin' : shareTextOf(file) !== null ? 'shared link' : basename(file);
  return moment === null ? base : `${base}@${moment}`;
}

function stem(name: string): string {
  // The loader knows the embedded bytes by the extension added here: one already there goes first.
  return name.replace(/[^\w.@+-]+/g, '_').replace(/(\.gz)?$/, '').replace(/\.vmscope(-rec)?$/i, '') || 'dump';
}

async function snapshotEmbedded(snapshot: Snapshot, name: string, o: ReportOptions, made: string, hiddenBefore: boolean): Promise<Embedded> {
  if (snapshot.count === 0) throw new InputError(`nothing read from ${name}: no vmallocinfo area line`);
  const view = { range: null, selected: null, colourMode: 'kind', collapse: true };
  const bytes = await encodeShareFile(buildModel(snapshot), view, { includeAddresses: o.addresses });
  const addresses = snapshot.pointerMode !== 'raw' ? 'none' : o.addresses && !hiddenBefore ? 'included' : 'hidden';
  return { meta: { name, made, addresses, kind: 'snapshot', file: `${stem(name)}.vmscope`, version: VERSION }, bytes, count: snapshot.count };
}

function seriesEmbedded(series: Series, head: Uint8Array, name: string, o: ReportOptions, made: string): Embedded {
  // A recording passed on keeps what its header says of the host (the name and boot id only with --addresses).
  const header = isRecording(head) ? decodeHeader(head) : null;
  const { version: _v, length: _l, ...info } = typeof header === 'object' && header !== null ? header : { version: 0, length: 0 };
  const bytes = encodeSeries(series, { includeAddresses: o.addresses, info });
  const hiddenBefore = 'addressesHidden' in info && info.addressesHidden === true;
  const addresses = series.table.pointerMode !== 'raw' ? 'none' : o.addresses && !hiddenBefore ? 'included' : 'hidden';
  return { meta: { name, made, addresses, kind: 'recording', file: `${stem(name)}.vmscope-rec`, version: VERSION }, bytes, count: series.count };
}

/** FILE (FILE@N, a link, a .vmscope file, a log, a recording, - for stdin) as the report's content. */
export async function embeddedOf(o: ReportOptions, made: string, io: Pick<CliIo, 'stdin'> = processIo()): Promise<Embedded> {
  let spec: { file: string; moment: number | null };
  try {
    spec = momentSpec(o.file, (path) => path === '-' || existsSync(path) || shareTextOf(path) !== null);
  } catch (e) {
    if (e instanceof MomentError) throw new InputError(e.message);
    throw e;
  }
  const { file, moment } = spec;
  const name = nameOf(file, moment);
  const shared = shareTextOf(file) !== null || (file !== '-' && /\.vmscope$/i.test(file));
  if (shared) {
    if (moment !== null) throw new InputError(`${name.replace(/@.*$/, '')} is one snapshot: it has no moment ${moment}`);
    const decoded = shareTextOf(file) !== null ? await decodeShare(shareTextOf(file)!) : await decodeShareFile(await readFile(file).catch((e: unknown) => Promise.reject(fileError('read', file, e))));
    return snapshotEmbedded(decoded.snapshot, name, o, made, decoded.addressesHidden);
  }
  if (file !== '-' && existsSync(file) && statSync(file).isDirectory()) throw new InputError(`cannot read ${file}: is a directory`);
  const input = await seriesInput(file, io);
  const read = readSeries([input]);
  if (read.kind === 'none') throw new InputError(`nothing read from ${name}: ${read.message}`);
  if (read.kind === 'series') {
    if (moment === null) return seriesEmbedded(read.series, input.bytes, name, o, made);
    return snapshotEmbedded(read.series.snapshot(momentIndex(moment, read.series.count, file)), name, o, made, false);
  }
  if (moment !== null) momentIndex(moment, 1, file);
  return snapshotEmbedded(read.parsed.snapshot, name, o, made, false);
}

/** `vmscope report`: read FILE, fill the template, write the report, say what it weighs. Exit code 0. */
export async function reportCommand(o: ReportOptions, io: CliIo = processIo(), now: Date = new Date()): Promise<number> {
  const path = templatePath(io.env);
  let template: string;
  try {
    template = await readFile(path, 'utf8');
  } catch (e) {
    throw fileError('read', path, e);
  }
  const made = now.toISOString();
  const embedded = await embeddedOf(o, made, io);
  const html = Buffer.from(fillReport(template, embedded.meta, embedded.bytes), 'utf8');
  if (o.out === '-') io.stdout.write(html);
  else {
    try {
      await writeFile(o.out, html);
    } catch (e) {
      throw fileError('write', o.out, e);
    }
  }
  const { meta } = embedded;
  const dumpBytes = html.length - Buffer.byteLength(template, 'utf8');
  const what = meta.kind === 'recording' ? `a recording of ${embedded.count.toLocaleString('en-US')} moments` : `${embedded.count.toLocaleString('en-US')} areas`;
  const addresses = meta.addresses === 'hidden' ? 'addresses hidden' : meta.addresses === 'included' ? 'real addresses included (they defeat KASLR)' : 'no real addresses in the dump';
  const where = o.out === '-' ? 'the report' : o.out;
  io.stderr.write(`vmscope: ${where}: ${formatBytes(html.length)} (app ${formatBytes(html.length - dumpBytes)} + dump ${formatBytes(dumpBytes)}), ${what}, ${addresses}; it opens from file:// with no network\n`);
  return 0;
}

/** `vmscope report …` as main.ts runs it: usage errors exit 2 with `usage`, unreadable input 1. */
export async function reportMain(argv: string[], usage: string, io: CliIo = processIo()): Promise<number> {
  let options: ReportOptions | 'help';
  try {
    options = parseReportArgs(argv);
  } catch (e) {
    if (!(e instanceof ReportUsageError)) throw e;
    io.stderr.write(`vmscope: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(usage + '\n');
    return 0;
  }
  return exitOnInputError(io.stderr, () => reportCommand(options, io));
}
