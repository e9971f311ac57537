// `vmscope timeline FILE...`: a log of `date; cat /proc/vmallocinfo` rounds, a recording, or several
// files of one moment each, read through readSeries (the app's one way in for series) and told as a
// table of moments and a ranking of what grew (callers, modules, kinds), with lazy-free build-ups and
// purges and the moments of most bytes and of the smallest largest hole.
//
// Also the moment resolver the other commands use: `FILE@N` is moment N of a series (1-based, as
// the table numbers them; @-1 the last, @-2 the one before; @0 is refused), and a plain FILE that
// holds a series means its last moment (with a note on stderr).

import { statSync } from 'node:fs';
import { MAX_INPUT_BYTES, exactJson, formatBytes, formatCount, layoutHintsFrom, tooBigMessage } from '../lib/index.ts';
import type { MeminfoEntry } from '../lib/index.ts';
import { LAZILY_FREED } from '../lib/analysis/diff.ts';
import { decodeText } from '../lib/input/text.ts';
import { SeriesBuilder } from '../lib/series/build.ts';
import { extremes, lazyFreeEvents, whatGrew } from '../lib/series/growth.ts';
import type { Growth, GrowthGroup } from '../lib/series/growth.ts';
import { isRecording } from '../lib/series/recording.ts';
import { readSeries } from '../lib/series/read.ts';
import type { ReadResult, SeriesInput } from '../lib/series/read.ts';
import type { Origin } from '../lib/sources/origin.ts';
import { splitRounds } from '../lib/series/rounds.ts';
import type { Series } from '../lib/series/series.ts';
import { OTHER_GROUP, seriesStats } from '../lib/series/stats.ts';
import type { GroupBy, SeriesStats } from '../lib/series/stats.ts';
import { InputError, readInputBytes } from './input.ts';
import type { InputBytes } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo } from './io.ts';

/** The text table lists every moment up to this many, else a sample of about this many rows. */
export const TABLE_ROWS = 60;
/** Rows per family in the text ranking. */
const RANK_ROWS = 10;

export const TIMELINE_USAGE = `       vmscope timeline FILE... [--json]`;

export const TIMELINE_HELP = `  timeline        the moments of a series and what grew: FILE is a log of rounds (a stamp line
                  such as date's before each dump), a recording, or several files of one moment
                  each (ordered by a time in their names, else a stamp inside, else their mtime);
                  --json prints { moments: [{ time, areas, bytes, kinds }], growth: [...], … }
  FILE@N          moment N of a log or recording, for summary, diff, export and link, counted
                  from 1 as timeline numbers them: @1 the first, @-1 the last, @-2 the one before
                  (there is no @0); a plain FILE holding several moments means its last`;

/** The series the inputs make: always a Series, a single dump being a series of one moment. */
export interface ReadTimeline {
  series: Series;
  how: string;
  notes: string[];
  /** The archive or report the one FILE was found in (src/lib/sources), when it was one. */
  origin?: Origin;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A file's bytes (streamed, gunzipped, capped, a sosreport or bugreport opened: input.ts; "-" is io.stdin) and its modification time. */
export async function seriesInput(file: string, io: Pick<CliIo, 'stdin'> = processIo()): Promise<SeriesInput & Omit<InputBytes, 'bytes'>> {
  const { bytes, gzip, origin, notes } = await readInputBytes(file, io);
  let mtime: number | null = null;
  if (file !== '-') {
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      mtime = null;
    }
  }
  return { name: file === '-' ? 'stdin' : file, bytes, mtime, gzip, origin, notes };
}

/** A single dump as a series of one moment: its stamp line's time when it has one. */
function oneMoment(input: SeriesInput, read: Extract<ReadResult, { kind: 'single' }>): ReadTimeline {
  const round = splitRounds(decodeText(input.bytes).bytes).rounds[0];
  const stamp = round?.stamp ?? null;
  const builder = new SeriesBuilder();
  const time = stamp?.ms ?? null;
  builder.addParsed({ time, timeFrom: time !== null ? 'stamp' : null, label: stamp?.text ?? null, zone: stamp?.zone ?? null, source: input.name, line: round?.line ?? 1 }, read.parsed);
  return { series: builder.finish(), how: `${input.name}: one dump, one moment`, notes: [...read.parsed.notes] };
}

/** The series of FILE... (see the top of this file); InputError when nothing can be read as a moment. */
export async function readTimeline(files: readonly string[], io: Pick<CliIo, 'stdin'> = processIo()): Promise<ReadTimeline> {
  const inputs: Awaited<ReturnType<typeof seriesInput>>[] = [];
  // Several files are capped together, as the app caps them (each is capped on its own as it is read).
  let total = 0;
  for (const file of files) {
    const input = await seriesInput(file, io);
    total += input.bytes.length;
    if (total > MAX_INPUT_BYTES) throw new InputError(tooBigMessage(`${files.length} files`, `over ${formatBytes(MAX_INPUT_BYTES)} together`));
    inputs.push(input);
  }
  const recording = inputs.find((input) => isRecording(input.bytes));
  if (recording && inputs.length > 1) throw new InputError(`${recording.name} is a recording: give it alone (timeline reads one recording, or several files of one moment each)`);
  const read = readSeries(inputs);
  if (read.kind === 'none') throw new InputError(`nothing read: ${read.message}`);
  const origin = inputs.length === 1 ? inputs[0].origin : undefined;
  if (read.kind === 'single') {
    if (read.parsed.snapshot.count === 0) throw new InputError(`nothing read from ${inputs[0].name}: no vmallocinfo area line`);
    return { ...oneMoment(inputs[0], read), origin };
  }
  return { series: read.series, how: read.how, notes: read.notes, origin };
}

// ---------------------------------------------------------------------------------------------
// FILE@N

/** `FILE@N` split into the file and N (null when the argument names no moment). */
export interface MomentSpec {
  file: string;
  moment: number | null;
}

export class MomentError extends Error {}

/**
 * `rec.vmscope-rec@3` → { file: 'rec.vmscope-rec', moment: 3 }; `@-1` the last. An argument that
 * is an existing file's name (even one ending in @3) is that file. Throws a MomentError for @0.
 */
export function momentSpec(arg: string, exists: (path: string) => boolean): MomentSpec {
  const m = /^(.+)@([+-]?\d+)$/.exec(arg);
  if (!m || exists(arg)) return { file: arg, moment: null };
  const moment = Number(m[2]);
  if (moment === 0 || !Number.isSafeInteger(moment)) throw new MomentError(`${arg}: moments count from 1 (@1 is the first, @-1 the last)`);
  return { file: m[1], moment };
}

/** The 0-based index of moment `moment` (1-based, or negative from the end) of `count`; throws an InputError past the ends. */
export function momentIndex(moment: number, count: number, file: string): number {
  const index = moment > 0 ? moment - 1 : count + moment;
  if (index < 0 || index >= count) {
    const range = count === 1 ? '@1 or @-1' : `@1 … @${count}, or @-1 … @-${count} from the end`;
    throw new InputError(`moment ${moment} of ${count} does not exist: ${file} holds ${plural(count, 'moment')} (${range})`);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// The timeline

const FAMILIES: Array<{ by: GroupBy; title: string }> = [
  { by: 'caller', title: 'callers' },
  { by: 'module', title: 'modules' },
  { by: 'kind', title: 'kinds' },
];

export interface RankedGrowth extends Growth {
  by: GroupBy;
}

export interface Timeline {
  series: Series;
  stats: SeriesStats;
  /** Per family, whatGrew over the whole series (OTHER_GROUP left out: the CLI folds nothing). */
  growth: RankedGrowth[];
  lazy: ReturnType<typeof lazyFreeEvents>;
  extremes: ReturnType<typeof extremes>;
}

/** The last /proc/meminfo any moment carries (it fixes the vmalloc range for the largest hole). */
function lastMeminfo(series: Series): readonly MeminfoEntry[] {
  for (let i = series.count - 1; i >= 0; i--) if (series.moments[i].capture.meminfo.length > 0) return series.moments[i].capture.meminfo;
  return [];
}

/** Figures and growth of a whole series. Every key is kept (no OTHER_GROUP), so the ranking is exact. */
export function timelineOf(series: Series): Timeline {
  const stats = seriesStats(series, layoutHintsFrom(lastMeminfo(series)), { maxGroups: Number.MAX_SAFE_INTEGER });
  const growth: RankedGrowth[] = [];
  for (const { by } of FAMILIES) {
    const groups: GrowthGroup[] = stats.groups[by]
      .filter((g) => g.key !== OTHER_GROUP)
      .map((g) => ({ key: g.key, values: g.values, lazy: (by === 'caller' && g.key === LAZILY_FREED) || (by === 'kind' && g.key === 'unpurged') }));
    for (const g of whatGrew({ times: stats.times, groups }, 0, series.count - 1)) growth.push({ ...g, by });
  }
  return { series, stats, growth, lazy: lazyFreeEvents(stats.unpurged), extremes: extremes(stats.bytes, stats.largestHole ? Array.from(stats.largestHole) : []) };
}

/** 2026-11-30T00:59:06Z (with milliseconds only when there are some), or null. */
export function isoTime(time: number | null): string | null {
  if (time === null || !Number.isFinite(time)) return null;
  return new Date(time).toISOString().replace(/\.000Z$/, 'Z');
}

/** What `--json` prints (see TIMELINE_HELP); moment numbers are 1-based, as FILE@N takes them. */
export function timelineJson(t: Timeline, how: string, notes: readonly string[]): Record<string, unknown> {
  const { series, stats } = t;
  const at = (i: number | null) => (i === null ? null : { moment: i + 1, time: isoTime(stats.times[i]) });
  const moments = Array.from({ length: series.count }, (_, i) => {
    const kinds: Record<string, number> = {};
    for (const g of stats.groups.kind) if (g.values[i] !== 0) kinds[g.key] = g.values[i];
    const m = series.moments[i];
    return {
      time: isoTime(stats.times[i]),
      areas: stats.count[i],
      bytes: stats.bytes[i],
      kinds,
      unpurged: stats.unpurged[i],
      largestHole: stats.largestHole && Number.isFinite(stats.largestHole[i]) ? stats.largestHole[i] : null,
      vmallocUsed: stats.vmallocUsed && Number.isFinite(stats.vmallocUsed[i]) ? stats.vmallocUsed[i] : null,
      label: m.label,
      source: m.source,
      line: m.line,
      diagnostics: m.facts.diagnosticCount,
    };
  });
  return {
    how,
    notes,
    count: series.count,
    moments,
    growth: t.growth.map((g) => ({
      by: g.by,
      key: g.key,
      start: g.start,
      end: g.end,
      net: g.net,
      perHour: g.perHour,
      stepsRose: g.stepsRose,
      stepsFell: g.stepsFell,
      steps: g.steps,
      peak: g.peak,
      peakMoment: g.peakAt + 1,
      verdict: g.verdict,
    })),
    lazyFree: {
      buildUps: t.lazy.buildUps.map((b) => ({ fromMoment: b.from + 1, toMoment: b.to + 1, bytes: b.bytes })),
      purges: t.lazy.purges.map((p) => ({ moment: p.at + 1, bytes: p.bytes })),
    },
    mostBytes: t.extremes.mostBytesAt === null ? null : { ...at(t.extremes.mostBytesAt), bytes: stats.bytes[t.extremes.mostBytesAt] },
    smallestLargestHole: t.extremes.smallestHoleAt === null || !stats.largestHole ? null : { ...at(t.extremes.smallestHoleAt), bytes: stats.largestHole[t.extremes.smallestHoleAt] },
  };
}

/** 2 → "2nd", 3 → "3rd", 24 → "24th". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${formatCount(n)}${suffix}`;
}

function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : n < 0 ? `−${formatBytes(-n)}` : '0';
}

function signedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '0';
}

function table(rows: string[][], indent = '  '): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => indent + r.map((cell, c) => (c === 1 || c === rows[0].length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** The rows of the moments table: every moment up to TABLE_ROWS, else every k-th, the last and the extremes. */
export function tableRows(count: number, marked: readonly (number | null)[]): { rows: number[]; every: number } {
  if (count <= TABLE_ROWS) return { rows: Array.from({ length: count }, (_, i) => i), every: 1 };
  const every = Math.ceil(count / TABLE_ROWS);
  const set = new Set<number>();
  for (let i = 0; i < count; i += every) set.add(i);
  set.add(count - 1);
  for (const m of marked) if (m !== null) set.add(m);
  return { rows: [...set].sort((a, b) => a - b), every };
}

const VERDICT_TEXT: Record<string, string> = { 'possible-leak': 'possible leak', burst: 'burst', grew: 'grew', shrank: 'shrank', steady: 'steady' };

/** The text report: the moments, then what grew. */
export function formatTimeline(t: Timeline, how: string): string {
  const { series, stats } = t;
  const n = series.count;
  const out: string[] = [];
  const when = (i: number) => isoTime(stats.times[i]) ?? '(no time)';
  let total = 0;
  for (let i = 0; i < n; i++) total = Math.max(total, stats.bytes[i]);
  out.push(how);
  const span = stats.times[0] !== null && stats.times[n - 1] !== null ? `, ${when(0)} to ${when(n - 1)}` : '';
  out.push(`  ${plural(n, 'moment')}${span}; times in UTC`);
  out.push('');

  const most = t.extremes.mostBytesAt;
  const hole = t.extremes.smallestHoleAt;
  const { rows, every } = tableRows(n, [most, hole]);
  const header = ['#', 'time (UTC)', 'areas', 'bytes', '', 'change', 'change bytes', ''];
  const body: string[][] = [header];
  let prev = -1;
  for (const i of rows) {
    const marks = [i === most ? 'most bytes' : '', i === hole ? 'smallest largest hole' : ''].filter(Boolean).join(', ');
    body.push([
      String(i + 1),
      when(i),
      formatCount(stats.count[i]),
      formatBytes(stats.bytes[i]),
      `(${formatCount(stats.bytes[i])})`,
      prev < 0 ? '' : signedCount(stats.count[i] - stats.count[prev]),
      prev < 0 ? '' : signedBytes(stats.bytes[i] - stats.bytes[prev]),
      marks,
    ]);
    prev = i;
  }
  // Column 1 (time) and the last (marks) read left-aligned; the rest right-aligned.
  out.push(table(body));
  if (every > 1) out.push(`  (${formatCount(n)} moments: every ${ordinal(every)} shown, with the last and the extremes; change is since the row above; --json lists them all)`);
  out.push('');

  if (n === 1) {
    out.push('what grew: one moment, nothing to compare (give a log of several rounds, a recording, or several files)');
    return out.join('\n') + '\n';
  }
  out.push(`what grew from moment 1 to moment ${n}${span ? ` (${when(0)} to ${when(n - 1)})` : ''}:`);
  for (const { by, title } of FAMILIES) {
    const all = t.growth.filter((g) => g.by === by);
    const moved = all.filter((g) => g.verdict !== 'steady' || g.net !== 0);
    out.push(`  ${title}${moved.length > RANK_ROWS ? ` (the ${RANK_ROWS} that grew most of ${formatCount(moved.length)} that changed)` : ''}:`);
    if (moved.length === 0) {
      out.push('    (none changed)');
      continue;
    }
    const shown = moved.slice(0, RANK_ROWS);
    // Leaks and bursts further down the ranking are named too.
    for (const g of moved.slice(RANK_ROWS)) if (g.verdict === 'possible-leak' || g.verdict === 'burst') shown.push(g);
    const rowsOut: string[][] = [['net', 'key', 'per hour', 'rose', 'peak', 'verdict']];
    for (const g of shown) {
      rowsOut.push([signedBytes(g.net), g.key, g.perHour === null ? '—' : `${signedBytes(Math.round(g.perHour))}/h`, `${g.stepsRose} of ${g.steps} steps`, formatBytes(g.peak), VERDICT_TEXT[g.verdict ?? ''] ?? '']);
    }
    out.push(rankTable(rowsOut));
  }
  out.push('');
  out.push('lazily freed areas (unpurged vm_area, waiting for the kernel to purge them):');
  const { buildUps, purges } = t.lazy;
  if (buildUps.length === 0 && purges.length === 0) out.push('  no build-up or purge of 1 MiB or more');
  else out.push(`  ${plural(buildUps.length, 'build-up')} and ${plural(purges.length, 'purge')} of 1 MiB or more${buildUps.length + purges.length > 10 ? '; the largest:' : ':'}`);
  // The five largest of each, in time order.
  const largest = <T extends { bytes: number }>(xs: readonly T[]) => [...xs].sort((x, y) => y.bytes - x.bytes).slice(0, 5);
  for (const b of largest(buildUps).sort((x, y) => x.from - y.from)) out.push(`  built up ${formatBytes(b.bytes)} from moment ${b.from + 1} to ${b.to + 1} (${when(b.from)} to ${when(b.to)})`);
  for (const p of largest(purges).sort((x, y) => x.at - y.at)) out.push(`  purged ${formatBytes(p.bytes)} at moment ${p.at + 1} (${when(p.at)})`);
  out.push('');
  if (most !== null) out.push(`most bytes: ${formatBytes(stats.bytes[most])} (${formatCount(stats.bytes[most])}) at moment ${most + 1} (${when(most)})`);
  if (hole !== null && stats.largestHole) out.push(`smallest largest hole: ${formatBytes(stats.largestHole[hole])} at moment ${hole + 1} (${when(hole)})`);
  else out.push('smallest largest hole: not known (holes need raw addresses and a recognised vmalloc range)');
  return out.join('\n') + '\n';
}

/** The ranking table: net right-aligned, the key left, the figures right, the verdict left. */
function rankTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const left = new Set([1, 5]);
  return rows.map((r) => '    ' + r.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** `vmscope timeline FILE... [--json]`. */
export async function runTimeline(files: readonly string[], json: boolean, io: CliIo = processIo()): Promise<void> {
  const { series, how, notes } = await readTimeline(files, io);
  for (const note of notes) io.stderr.write(`vmscope: note: ${note}\n`);
  const t = timelineOf(series);
  if (json) io.stdout.write(exactJson(timelineJson(t, how, notes)) + '\n');
  else io.stdout.write(formatTimeline(t, how));
}
