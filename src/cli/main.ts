// vmscope on the command line.
//
//   vmscope summary FILE|- [--json] [--meminfo F] [--modules F]   what the dump holds: areas, bytes, kinds, callers, modules
//   vmscope diff A B [--json] [--modules-a F] [--modules-b F]   what changed from A to B
//   vmscope export FILE|- [--format ndjson|csv] [--host NAME] [--all-moments]   one row per area, for DuckDB, BigQuery, Spark
//   vmscope metrics FILE|- [-o FILE.prom] [--top N]       Prometheus text for node_exporter (metrics.ts)
//   vmscope link FILE|- [--addresses] [--base URL] [--out F.vmscope]   a share link, made where the dump is
//   vmscope record [--every 10s] [--count N | --for 1h] [--meminfo] [--modules] -o FILE   a recording (record.ts)
//   vmscope timeline FILE... [--json]                     a series' moments and what grew (timeline.ts)
//   vmscope open FILE|- [--port N] [--no-open] [--keep]   the page and FILE on 127.0.0.1 (open.ts); vmscope FILE too
//   vmscope report FILE|- -o report.html [--addresses]   one HTML file, the page and FILE inside (htmlReport.ts)
//   vmscope help (--help, -h), vmscope --version (-V)     on stdout, exit 0; usage errors go to stderr, exit 2
//
// FILE@N picks moment N of a log or recording (1-based; @-1 the last) wherever a dump is read; a
// plain FILE that holds several moments means its last one, with a note on stderr (timeline.ts).
//
// Reads files (or stdin for "-") as a stream, gunzipping them when they start with the gzip magic
// and refusing them past the app's 200 MiB (input.ts), and share links or .vmscope files where a
// file goes. Every dump then takes the app's own input path (parseDump in src/lib/input/read.ts):
// UTF-16 and byte-order marks, CR-only line ends, /proc/meminfo and /proc/modules sections and
// shell prompts give the same areas and diagnostics here as in the app, and the same note about
// the input on stderr. Exits 0 whenever at least one area line was read from each dump (problems
// with other lines are reported, not fatal), 1 when an input cannot be read at all or an output
// cannot be written, 2 on usage errors.

import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { buildModel, diffForJson, diffModels, exactJson, layoutHintsFrom, noAreasMessage, readDump, readMessage, summarize, summaryForJson } from '../lib/index.ts';
import { readSeries } from '../lib/series/read.ts';
import { decodeShare, decodeShareFile, encodeShare, encodeShareFile, shareTextOf } from '../lib/share/codec.ts';
import type { DecodedShare } from '../lib/share/codec.ts';
import type { InputFacts, LayoutHints, MeminfoEntry, ModuleEntry, Snapshot } from '../lib/index.ts';
import { originLine } from '../lib/sources/origin.ts';
import type { Origin } from '../lib/sources/origin.ts';
import { words } from './argv.ts';
import { formatDiff } from './diffReport.ts';
import type { DiffSide } from './diffReport.ts';
import { writeExport, writeSeriesExport } from './export.ts';
import type { ExportFormat } from './export.ts';
import { liveCommand } from './live.ts';
import { METRICS_HELP, METRICS_USAGE, metricsCommand, parseMetricsArgs } from './metrics.ts';
import { OPEN_HELP, OPEN_USAGE, OpenUsageError, openCommand, parseOpenArgs } from './open.ts';
import { RECORD_HELP, RECORD_USAGE, parseRecordArgs, recordCommand } from './record.ts';
import { formatReport } from './report.ts';
import { REPORT_HELP, REPORT_USAGE, reportMain } from './htmlReport.ts';
import { runSeriesLink } from './seriesLink.ts';
import { MomentError, TIMELINE_HELP, TIMELINE_USAGE, momentIndex, momentSpec, readTimeline, runTimeline, seriesInput } from './timeline.ts';
import { InputError, exitOnInputError, fileError, readInputBytes } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo } from './io.ts';
import { PUBLISHED_BASE, VERSION } from './version.ts';

/** Where `npm start` serves the app. */
export const DEFAULT_BASE = PUBLISHED_BASE;

const USAGE = `usage: vmscope summary FILE [--json] [--meminfo F] [--modules F]
       vmscope diff A B [--json] [--modules-a F] [--modules-b F]
       vmscope export FILE [--format ndjson|csv] [--host NAME] [--all-moments]
       vmscope link FILE [--addresses] [--base URL] [--out F.vmscope]
${METRICS_USAGE}
${RECORD_USAGE}
${TIMELINE_USAGE}
${OPEN_USAGE}
${REPORT_USAGE}
       vmscope help | --help | -h       this text;  vmscope --version | -V   the version

  FILE, A, B      a copy of /proc/vmallocinfo (plain, gzip, xz or UTF-16; at most 200 MiB once
                  unpacked), or - for stdin (one of A and B); or a sosreport (.tar, .tar.gz,
                  .tar.xz or its directory), an Android bugreport (.zip or .txt), crash's kmem -v
                  output: the dump inside it is read, with its /proc/meminfo and /proc/modules;
                  also a vmscope share link (quote it) or a .vmscope file;
                  or FILE@N, moment N of a log or recording (see below): diff rec@1 rec@-1
  --json          print one JSON object instead of the report
  --meminfo F     /proc/meminfo taken with FILE: its VmallocTotal fixes the vmalloc range's size
                  (a /proc/meminfo section pasted into FILE, A or B is used the same way)
  --modules F     /proc/modules taken with FILE (a /proc/modules section pasted into FILE is used
                  when not given): counts each module's loader areas (every section since 6.4)
  --modules-a F   /proc/modules taken with A (B): attributes the module loader's areas (every
  --modules-b F   section since 6.4) to modules; a /proc/modules section pasted into A or B is
                  used when not given
  --format        ndjson (default: one JSON object per line) or csv (header row, RFC 4180)
  --host          export: the host column of every row (default: the host an archive names, else
                  empty), so many hosts' exports concatenate into one table
  --all-moments   export: every moment of a log or recording, each row with its moment and time
  --addresses     put the real kernel addresses in the link (they defeat KASLR; by default the
                  link keeps the layout relative to the first area)
  --base          the vmscope page the link opens (default ${DEFAULT_BASE}: where the build says the app is published, else what npm start serves)
  --out           write the snapshot as a .vmscope file (open it in vmscope) instead of a link
                  link FILE holding a series (a recording, a log with stamps): an #r= link to the
                  recording when it fits in 32 KiB, else --out F.vmscope-rec writes the recording
${METRICS_HELP}
${RECORD_HELP}
${TIMELINE_HELP}
${OPEN_HELP}
${REPORT_HELP}

examples:
  sudo cat /proc/vmallocinfo > vm.txt && vmscope summary vm.txt
  sudo cat /proc/vmallocinfo | vmscope summary - --json | jq .topCallers
  sudo cat /proc/vmallocinfo /proc/modules > before.txt; sudo insmod x.ko
  sudo cat /proc/vmallocinfo /proc/modules > after.txt; vmscope diff before.txt after.txt
  vmscope export vm.txt --format ndjson > host1.ndjson
  sudo vmscope metrics /proc/vmallocinfo -o /var/lib/node_exporter/textfile_collector/vmalloc.prom
  ssh host sudo cat /proc/vmallocinfo | vmscope link - --base https://vmscope.example/
  sudo vmscope record --every 1m --for 24h --meminfo -o host.vmscope-rec
  vmscope timeline host.vmscope-rec; vmscope diff host.vmscope-rec@1 host.vmscope-rec@-1
  vmscope timeline vmallocinfo-*.txt --json | jq '.growth[] | select(.verdict == "possible-leak")'
  sudo cat /proc/vmallocinfo | vmscope open -; vmscope host.vmscope-rec
  ssh -L 8123:127.0.0.1:8123 host 'sudo cat /proc/vmallocinfo | vmscope open - --no-open --port 8123'`;

/** Links longer than this are impractical (chat and mail clients cut them); say so. */
const PRACTICAL_LINK = 32 * 1024;

export class UsageError extends Error {}

/** The snapshot a share link or a .vmscope file carries, or null when `file` is neither. */
async function readShared(file: string, io: Pick<CliIo, 'stderr'>): Promise<Snapshot | null> {
  const text = shareTextOf(file);
  let decoded: DecodedShare;
  if (text !== null) decoded = await decodeShare(text);
  else if (file !== '-' && /\.vmscope$/i.test(file)) decoded = await decodeShareFile(await readFile(file));
  else return null;
  if (decoded.addressesHidden) io.stderr.write(`vmscope: note: ${text !== null ? 'the link' : file} hid absolute addresses: they count from the first area\n`);
  return decoded.snapshot;
}

/** How a FILE argument is named in reports: a link by what it is, not by its hundreds of characters. */
function titleOf(file: string): string {
  return shareTextOf(file) === null ? file : 'shared link';
}

export interface Capture {
  snapshot: Snapshot;
  /** The /proc/modules lines found in the capture (empty when none). */
  modules: ModuleEntry[];
  /** What the app's messages about an input are made of; null for a share link or .vmscope file. */
  facts: InputFacts | null;
  /** The /proc/meminfo lines found in the capture (empty when none). */
  meminfo: MeminfoEntry[];
  /** The moment of a series this is (1-based) and its time (epoch ms), when the input is a series. */
  moment?: { number: number; time: number | null };
  /** The sosreport, bugreport or vmcore tool output the dump came in, when not alone. */
  origin?: Origin;
}

/** The layout hints of a capture: VmallocTotal from its /proc/meminfo, the kernel release and architecture from its origin. */
function hintsOf(c: { meminfo: MeminfoEntry[]; origin?: Origin }, meminfo = c.meminfo): LayoutHints {
  return { ...layoutHintsFrom(meminfo), ...(c.origin?.release ? { release: c.origin.release } : {}), ...(c.origin?.arch ? { arch: c.origin.arch } : {}) };
}

/**
 * A dump read whole (capped, gunzipped) through the app's input path, its /proc/meminfo and
 * /proc/modules sections separated; or a share link or .vmscope file. The note the app would show
 * about the input goes to stderr; "-" reads io.stdin.
 */
export async function readCapture(arg: string, io: Pick<CliIo, 'stdin' | 'stderr'> = processIo()): Promise<Capture> {
  let spec: { file: string; moment: number | null };
  try {
    spec = momentSpec(arg, (path) => path === '-' || existsSync(path) || shareTextOf(path) !== null);
  } catch (e) {
    if (e instanceof MomentError) throw new InputError(e.message);
    throw e;
  }
  const file = spec.file;
  if (spec.moment === null) {
    const shared = await readShared(file, io);
    if (shared) return { snapshot: shared, modules: [], meminfo: [], facts: null };
  } else if (shareTextOf(file) !== null || /\.vmscope$/i.test(file)) throw new InputError(`${titleOf(file)} is one snapshot: it has no moment ${spec.moment}`);
  const input = await seriesInput(file, io);
  for (const note of input.notes ?? []) io.stderr.write(`vmscope: note: ${note}\n`);
  const origin = input.origin;
  // A log of several rounds or a recording is a series: one moment of it is the dump.
  const read = readSeries([input]);
  if (read.kind === 'none') throw new InputError(`nothing read: ${read.message}`);
  if (read.kind === 'series') {
    const { series } = read;
    const index = spec.moment === null ? series.count - 1 : momentIndex(spec.moment, series.count, file);
    for (const note of read.notes) io.stderr.write(`vmscope: note: ${note}\n`);
    if (spec.moment === null) io.stderr.write(`vmscope: note: ${file} holds ${series.count.toLocaleString('en-US')} moments; this is the last (${file}@${series.count}, also @-1); ${file}@N picks moment N\n`);
    const m = series.moments[index];
    return { snapshot: series.snapshot(index), modules: m.capture.modules, meminfo: m.capture.meminfo, facts: null, moment: { number: index + 1, time: m.time }, origin };
  }
  if (spec.moment !== null) momentIndex(spec.moment, 1, file);
  const { snapshot, capture } = read.parsed;
  const facts: InputFacts = {
    ...capture,
    name: file === '-' ? 'stdin' : file,
    bytes: input.bytes.length,
    lines: snapshot.lineCount,
    areas: snapshot.count,
    errors: snapshot.errorCount,
    warnings: snapshot.warningCount,
    gzip: input.gzip,
    ...(origin ? { origin } : {}),
  };
  const note = snapshot.count > 0 ? readMessage(facts) : null;
  if (note) io.stderr.write(`vmscope: note: ${note}\n`);
  return { snapshot, modules: capture.modules, meminfo: capture.meminfo, facts, origin };
}

/** The snapshot of a dump, a share link or a .vmscope file (see readCapture). */
export async function readSnapshot(file: string, io: Pick<CliIo, 'stdin' | 'stderr'> = processIo()): Promise<Snapshot> {
  const capture = await readCapture(file, io);
  requireAreas(file, capture);
  return capture.snapshot;
}

export interface Options {
  command: 'summary' | 'diff' | 'export' | 'link' | 'timeline';
  files: string[];
  json: boolean;
  modulesA: string | null;
  modulesB: string | null;
  meminfo: string | null;
  /** summary: /proc/modules taken with the dump. */
  modules: string | null;
  format: ExportFormat;
  addresses: boolean;
  base: string;
  out: string | null;
  /** export: the host column, or null. */
  host: string | null;
  /** export: every moment of a series. */
  allMoments: boolean;
}

const VALUE_OPTIONS = ['--modules', '--modules-a', '--modules-b', '--meminfo', '--format', '--base', '--out', '--host'] as const;

export function parseArgs(argv: string[]): Options & { file: string } {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  let json = false;
  let addresses = false;
  let allMoments = false;
  for (const { arg, name, value } of words(argv)) {
    if (arg === '--json') json = true;
    else if (arg === '--addresses') addresses = true;
    else if (arg === '--all-moments') allMoments = true;
    else if (arg === '-h' || arg === '--help') throw new UsageError('');
    else if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const v = value();
      if (v === null) throw new UsageError(`${name} needs a value`);
      values[name] = v;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command, ...files] = positional;
  const counts = { summary: 1, export: 1, diff: 2, link: 1, timeline: Infinity } as const;
  if (command === 'record') throw new UsageError('record comes first, before its options: vmscope record … -o FILE');
  if (command !== 'summary' && command !== 'diff' && command !== 'export' && command !== 'link' && command !== 'timeline') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
  const want = counts[command];
  if (files.length === 0 || (command === 'diff' && files.length < 2)) throw new UsageError(command === 'diff' ? 'diff needs two dumps, A and B' : command === 'timeline' ? 'missing FILE: a log, a recording, or several files (use - for stdin)' : 'missing FILE (use - for stdin)');
  if (files.length > want) throw new UsageError(`unexpected argument "${files[want]}"`);
  if (command === 'timeline' && files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be given once');
  if (command === 'timeline') {
    const at = files.find((f) => /@[+-]?\d+$/.test(f) && !existsSync(f));
    if (at) throw new UsageError(`timeline reads whole files, not one moment: "${at}"`);
  }
  if (command === 'diff' && files[0] === '-' && files[1] === '-') throw new UsageError('only one of A and B can be - (stdin)');
  const format = values['--format'] ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') throw new UsageError(`unknown format "${format}" (ndjson or csv)`);
  if (values['--format'] && command !== 'export') throw new UsageError('--format is for export');
  if ((values['--modules-a'] || values['--modules-b']) && command !== 'diff') throw new UsageError('--modules-a and --modules-b are for diff');
  if (values['--meminfo'] && command !== 'summary') throw new UsageError('--meminfo is for summary');
  if (values['--modules'] && command !== 'summary') throw new UsageError(command === 'diff' ? 'diff takes --modules-a and --modules-b' : '--modules is for summary');
  if ((values['--host'] !== undefined || allMoments) && command !== 'export') throw new UsageError('--host and --all-moments are for export');
  if (allMoments && /@[+-]?\d+$/.test(files[0]) && !existsSync(files[0])) throw new UsageError(`--all-moments exports every moment: give ${files[0].replace(/@[+-]?\d+$/, '')} without @N`);
  if (json && command === 'export') throw new UsageError('export writes rows; use --format ndjson for JSON');
  if ((addresses || values['--base'] || values['--out']) && command !== 'link') throw new UsageError('--addresses, --base and --out are for link');
  const base = values['--base'] ?? DEFAULT_BASE;
  if (command === 'link' && !/^https?:\/\/[^\s#]+$/.test(base)) throw new UsageError(`--base must be an http(s) URL without a fragment, not "${base}"`);
  if (values['--out'] && json) throw new UsageError('--out writes a file; --json is for the link');
  return {
    command,
    files,
    file: files[0],
    json,
    modulesA: values['--modules-a'] ?? null,
    modulesB: values['--modules-b'] ?? null,
    meminfo: values['--meminfo'] ?? null,
    modules: values['--modules'] ?? null,
    format,
    addresses,
    base,
    out: values['--out'] ?? null,
    host: values['--host'] ?? null,
    allMoments,
  };
}

/** Why nothing could be read, in one line, for stderr. */
export function nothingReadReason(s: Snapshot): string {
  if (s.lineCount === 0) return 'the input is empty';
  const first = s.diagnostics[0];
  const where = first ? ` (line ${first.line}: ${first.reason})` : '';
  return `no vmallocinfo area line among ${s.lineCount} line${s.lineCount === 1 ? '' : 's'}${where}`;
}

async function load<T>(file: string, read: (file: string) => Promise<T>): Promise<T> {
  try {
    return await read(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw fileError('read', file, e);
    throw new InputError(`cannot read ${titleOf(file)}: ${err.message ?? String(e)}`);
  }
}

/** Refuses a dump without area lines, with the app's own message (noAreasMessage) when there is one. */
function requireAreas(file: string, c: Capture): void {
  if (c.snapshot.count > 0) return;
  if (c.facts) {
    const first = c.snapshot.diagnostics[0];
    const where = first && c.facts.errors > 0 ? ` First skipped: line ${first.line}: ${first.reason}.` : '';
    throw new InputError(`nothing read: ${noAreasMessage(c.facts)}${where}`);
  }
  throw new InputError(`nothing read from ${titleOf(file)}: ${nothingReadReason(c.snapshot)}`);
}

async function runSummary(o: Options, io: CliIo): Promise<void> {
  // A /proc/meminfo given with --meminfo, else one pasted into the capture, fixes the vmalloc range.
  const capture = await load(o.files[0], (f) => readCapture(f, io));
  requireAreas(o.files[0], capture);
  let meminfo = capture.meminfo;
  if (o.meminfo !== null) {
    meminfo = await load(o.meminfo, (f) => readInputBytes(f, io)).then((input) => readDump(input.bytes).meminfo);
    if (meminfo.length === 0) io.stderr.write(`vmscope: note: no /proc/meminfo line in ${o.meminfo}\n`);
  }
  const model = buildModel(capture.snapshot, hintsOf(capture, meminfo));
  // /proc/modules: given with --modules, else a section of the capture itself.
  const modules = o.modules === null ? capture.modules : await load(o.modules, (f) => readInputBytes(f, io)).then((input) => readDump(input.bytes).modules);
  const sibling = siblingModules(o.files[0]);
  if (o.modules === null && capture.modules.length === 0 && sibling) io.stderr.write(`vmscope: note: ${sibling} is next to ${o.files[0]}; add --modules ${sibling} to count modules' loader areas\n`);
  const summary = summarize(model, 10, modules);
  if (o.json) io.stdout.write(exactJson(summaryForJson(model, summary, modules)) + '\n');
  else io.stdout.write(formatReport(capture.origin ? `${titleOf(o.files[0])} (${originLine(capture.origin)})` : titleOf(o.files[0]), model, summary));
}

async function runDiff(o: Options, io: CliIo): Promise<void> {
  const [fileA, fileB] = o.files;
  const read = (f: string) => readCapture(f, io);
  const [a, b] = [await load(fileA, read), await load(fileB, read)];
  requireAreas(fileA, a);
  requireAreas(fileB, b);
  const modulesOf = async (given: string | null, capture: Capture): Promise<{ list: ModuleEntry[]; from: string | null }> => {
    if (given !== null) return { list: await load(given, (f) => readInputBytes(f, io)).then((input) => readDump(input.bytes).modules), from: given };
    return capture.modules.length > 0 ? { list: capture.modules, from: 'the capture itself' } : { list: [], from: null };
  };
  const ma = await modulesOf(o.modulesA, a);
  const mb = await modulesOf(o.modulesB, b);
  // A sibling x.modules is not read unasked (it may be from another moment); say it is there.
  for (const [file, m, flag] of [[fileA, ma, '--modules-a'], [fileB, mb, '--modules-b']] as const) {
    const sibling = siblingModules(file);
    if (m.from === null && sibling) io.stderr.write(`vmscope: note: ${sibling} is next to ${file}; add ${flag} ${sibling} to attribute loader areas to modules\n`);
  }
  const modelA = buildModel(a.snapshot, hintsOf(a));
  const modelB = buildModel(b.snapshot, hintsOf(b));
  // A side whose /proc/modules is not known passes none: the leak check then says it could not run.
  const d = diffModels(modelA, modelB, { modulesA: ma.from !== null ? ma.list : undefined, modulesB: mb.from !== null ? mb.list : undefined });
  if (o.json) {
    io.stdout.write(exactJson({ a: fileA, b: fileB, ...diffForJson(d, modelA, modelB) }) + '\n');
    return;
  }
  const sideA: DiffSide = { file: titleOf(fileA), model: modelA, modulesFrom: ma.from, moduleCount: ma.list.length };
  const sideB: DiffSide = { file: titleOf(fileB), model: modelB, modulesFrom: mb.from, moduleCount: mb.list.length };
  io.stdout.write(formatDiff(sideA, sideB, d));
}

/** "dir/x.modules" for "dir/x.vmallocinfo" (or x.txt, x.gz) when it exists, else null. */
export function siblingModules(file: string): string | null {
  if (file === '-') return null;
  const stem = file.replace(/(\.gz)?$/, '').replace(/\.[^./]*$/, '');
  const sibling = `${stem}.modules`;
  return sibling !== file && existsSync(sibling) && statSync(sibling).size > 0 ? sibling : null;
}

/** An archive's host name (InputFacts.origin, issue 14's shared shape), when the input names one. */
function originHost(facts: InputFacts | null): string | null {
  return (facts as (InputFacts & { origin?: { host?: string } }) | null)?.origin?.host || null;
}

async function runExport(o: Options, io: CliIo): Promise<void> {
  if (o.allMoments) {
    const { series, origin } = await load(o.files[0], (file) => readTimeline([file], io));
    await writeSeriesExport(series, o.format, io.stdout, o.host ?? origin?.host ?? null, io.stderr);
    return;
  }
  const capture = await load(o.files[0], (f) => readCapture(f, io));
  requireAreas(o.files[0], capture);
  const context = { host: o.host ?? originHost(capture.facts), moment: capture.moment?.number ?? null, time: capture.moment?.time ?? null };
  await writeExport(buildModel(capture.snapshot), o.format, io.stdout, context, io.stderr);
}

/**
 * A share link (or a .vmscope file) for a dump, made where the dump is: the same encoding the app's
 * Share button makes, so the page opens it with nothing uploaded. The link goes to stdout, what it
 * holds to stderr.
 */
async function runLink(o: Options, io: CliIo): Promise<void> {
  if (await runSeriesLink({ file: o.files[0], addresses: o.addresses, base: o.base, out: o.out, json: o.json }, io)) return;
  const snapshot = await load(o.files[0], (f) => readSnapshot(f, io));
  const model = buildModel(snapshot);
  const view = { range: null, selected: null, colourMode: 'kind', collapse: true };
  const options = { includeAddresses: o.addresses };
  const raw = snapshot.pointerMode === 'raw';
  const privacy = !raw ? `${snapshot.pointerMode} addresses (nothing to hide)` : o.addresses ? 'real kernel addresses included (they defeat KASLR)' : 'absolute addresses hidden (layout relative to the first area)';
  if (o.out !== null) {
    const file = await encodeShareFile(model, view, options);
    try {
      await writeFile(o.out, file);
    } catch (e) {
      throw fileError('write', o.out, e);
    }
    io.stderr.write(`vmscope: wrote ${o.out}: ${snapshot.count} areas in ${file.length} bytes, ${privacy}; open it in vmscope\n`);
    return;
  }
  const text = await encodeShare(model, view, options);
  const url = `${o.base}#s=${text}`;
  if (o.json) {
    io.stdout.write(JSON.stringify({ link: url, characters: url.length, areas: snapshot.count, addresses: raw ? (o.addresses ? 'included' : 'hidden') : snapshot.pointerMode }, null, 2) + '\n');
  } else io.stdout.write(url + '\n');
  const perArea = (text.length / snapshot.count).toFixed(2);
  io.stderr.write(`vmscope: ${snapshot.count} areas in a link of ${url.length} characters (${text.length} after #s=, ${perArea} per area), ${privacy}\n`);
  if (url.length > PRACTICAL_LINK) io.stderr.write(`vmscope: note: links over ${PRACTICAL_LINK / 1024} KiB are cut by many chat and mail clients; --out F.vmscope writes a file instead\n`);
}

/** `vmscope record …`: its own options (record.ts). */
async function record(argv: string[], io: CliIo): Promise<number> {
  const options = parseRecordArgs(argv, io.env);
  if (typeof options === 'string') {
    if (!options) {
      io.stdout.write(USAGE + '\n');
      return 0;
    }
    io.stderr.write(`vmscope: ${options}\n${USAGE}\n`);
    return 2;
  }
  return exitOnInputError(io.stderr, () => recordCommand(options, io));
}

/** `vmscope metrics …` (metrics.ts): the dump read as every command reads it. */
async function metrics(argv: string[], io: CliIo): Promise<number> {
  const args = parseMetricsArgs(argv);
  if (typeof args === 'string') {
    if (args === 'help') io.stdout.write(USAGE + '\n');
    else io.stderr.write(`vmscope: ${args}\n${USAGE}\n`);
    return args === 'help' ? 0 : 2;
  }
  return exitOnInputError(io.stderr, async () => {
    const capture = await load(args.file, (f) => readCapture(f, io));
    requireAreas(args.file, capture);
    metricsCommand(args, capture, io.stdout);
    return 0;
  });
}

/** The words `vmscope FILE` must not take for a file name. */
const COMMANDS = ['summary', 'diff', 'export', 'link', 'record', 'timeline', 'open', 'metrics', 'report', 'help'];

/** `vmscope open …` (open.ts). */
async function open(argv: string[], io: CliIo): Promise<number> {
  let options;
  try {
    options = parseOpenArgs(argv);
  } catch (e) {
    if (!(e instanceof OpenUsageError)) throw e;
    io.stderr.write(`vmscope: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  return exitOnInputError(io.stderr, () => ('live' in options ? liveCommand(options, io) : openCommand(options, io)));
}

/** vmscope with `argv` (the words after vmscope), writing to io.stdout and io.stderr; its exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // Asked for, help and the version are the answer: stdout, exit 0 (usage errors: stderr, exit 2).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`vmscope ${VERSION}\n`);
    return 0;
  }
  if (argv.length === 1 && argv[0] === 'help') {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv[0] === 'record') return record(argv.slice(1), io);
  if (argv[0] === 'open') return open(argv.slice(1), io);
  if (argv[0] === 'metrics') return metrics(argv.slice(1), io);
  if (argv[0] === 'report') return reportMain(argv.slice(1), USAGE, io);
  // `vmscope FILE` is `vmscope open FILE`, for a FILE that exists and is not a command's name.
  if (argv.length > 0 && !COMMANDS.includes(argv[0]) && !argv[0].startsWith('-') && existsSync(argv[0])) return open(argv, io);
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (!e.message) {
      io.stdout.write(USAGE + '\n');
      return 0;
    }
    io.stderr.write(`vmscope: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  return exitOnInputError(io.stderr, async () => {
    if (options.command === 'summary') await runSummary(options, io);
    else if (options.command === 'diff') await runDiff(options, io);
    else if (options.command === 'link') await runLink(options, io);
    else if (options.command === 'timeline') await runTimeline(options.files, options.json, io);
    else await runExport(options, io);
    return 0;
  });
}

/** main as the bin runs it: a failure no command expected is said on io.stderr, with exit code 1. */
export async function entry(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    io.stderr.write(`vmscope: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
