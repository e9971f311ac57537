// The timeline's words: a moment's time, the tooltip, the note about the time zones, and the
// sentences of the What grew panel. Pure, so tests read the exact sentences.

import { formatBytes, formatCount } from '../../lib/index.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import { clockText } from './figure.ts';

/** What the strip needs to know of each moment besides its figures. */
export interface MomentNote {
  /** The zone the stamp was written in (`+00:00`, `UTC`), or null. */
  zone: string | null;
  timeFrom: 'stamp' | 'name' | 'mtime' | 'recording' | null;
}

/** "UTC", "UTC+1", "UTC+5:30", "UTC−3": the browser's offset at `ms`. */
export function localOffsetText(ms: number): string {
  const minutes = -new Date(ms).getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const a = Math.abs(minutes);
  return `UTC${sign}${Math.floor(a / 60)}${a % 60 ? `:${String(a % 60).padStart(2, '0')}` : ''}`;
}

/** Whether the moments span more than one local day (then times name their date). */
function spansDays(times: readonly (number | null)[]): boolean {
  const known = times.filter((t): t is number => t !== null);
  return known.length > 1 && new Date(Math.min(...known)).toDateString() !== new Date(Math.max(...known)).toDateString();
}

/** A moment's time for text: 01:00:20 (local), with the date when the series spans days; null without one. */
export function momentTimeText(times: readonly (number | null)[], i: number): string | null {
  const t = times[i];
  if (t === null || t === undefined) return null;
  if (!spansDays(times)) return clockText(t, true);
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${clockText(t, true)}`;
}

/** "01:00:20" or "moment 3" when it has no time. */
export function momentName(times: readonly (number | null)[], i: number): string {
  return momentTimeText(times, i) ?? `moment ${i + 1}`;
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, '')}` : '±0');

/** A change in bytes with its sign: "+2.10 MiB", "−512 KiB", "±0". */
export function signedBytes(n: number): string {
  return signed(n, formatBytes(Math.abs(n)));
}

export function signedCount(n: number): string {
  return signed(n, formatCount(Math.abs(n)));
}

/** The tooltip over the strip: the moment's time, its areas and bytes, and the change since the one before. */
export function tooltipLines(stats: SeriesStats, i: number): string[] {
  const n = stats.times.length;
  const lines = [`${momentName(stats.times, i)} · moment ${formatCount(i + 1)} of ${formatCount(n)}`];
  lines.push(`${formatCount(stats.count[i])} areas, ${formatBytes(stats.bytes[i])}`);
  if (i > 0) {
    const d = stats.count[i] - stats.count[i - 1];
    lines.push(`${signedCount(d)} ${Math.abs(d) === 1 ? 'area' : 'areas'}, ${signedBytes(stats.bytes[i] - stats.bytes[i - 1])} since ${momentName(stats.times, i - 1)}`);
  } else lines.push('the first moment');
  const used = stats.vmallocUsed?.[i];
  if (used !== undefined && !Number.isNaN(used)) lines.push(`VmallocUsed ${formatBytes(used)}`);
  const hole = stats.largestHole?.[i];
  if (hole !== undefined && !Number.isNaN(hole)) lines.push(`largest free hole ${formatBytes(hole)}`);
  return lines;
}

/**
 * The note beside the time axis: "times local (UTC+1); stamps written in +00:00", or why the
 * moments are spaced by order instead.
 */
export function axisNote(times: readonly (number | null)[], notes: readonly MomentNote[], timed: boolean): string {
  const n = times.length;
  const missing = times.filter((t) => t === null).length;
  // A live recording's strip stands from its first moment.
  if (n === 1) return missing ? 'one moment so far, with no time' : 'one moment so far';
  if (!timed) {
    if (missing === n) return 'moments have no time: spaced by order';
    if (missing > 0) return `${formatCount(missing)} of ${formatCount(n)} moments have no time: all spaced by order`;
    return 'times go backwards: moments spaced by order';
  }
  const first = times.find((t): t is number => t !== null) ?? 0;
  const parts = [`times local (${localOffsetText(first)})`];
  const zones = [...new Set(notes.map((m) => m.zone).filter((z): z is string => z !== null))];
  const stamped = notes.filter((m) => m.timeFrom === 'stamp');
  if (zones.length > 0) parts.push(`stamps written in ${zones.join(', ')}`);
  if (stamped.some((m) => m.zone === null)) parts.push('stamps without a zone read as UTC');
  const from = [...new Set(notes.map((m) => m.timeFrom).filter((f) => f !== null && f !== 'stamp'))];
  if (from.includes('name')) parts.push('times from file names');
  if (from.includes('mtime')) parts.push('times from file modification times');
  return parts.join('; ');
}

/** "10 s", "500 ms", "1 min", "1 min 30 s", "2 h": a live recording's pace. */
export function everyText(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 1000 !== 0) return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', r ? `${r} s` : ''].filter(Boolean).join(' ');
}

/** The live badge's words: "live · every 10 s · 12 moments", or "stopped · 12 moments". */
export function liveText(live: { every: number; state: 'live' | 'stopped' }, moments: number): string {
  const n = `${formatCount(moments)} moment${moments === 1 ? '' : 's'}`;
  return live.state === 'live' ? ['live', ...(live.every > 0 ? [`every ${everyText(live.every)}`] : []), n].join(' · ') : `stopped · ${n}`;
}
