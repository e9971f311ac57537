// The real recorded series for tests, split here with plain string work (a regex on its `date -Is`
// stamp lines, `0x` area lines), a Series built from rounds of lines, moment by moment, and the
// changing versions of a real capture that the record, live and timeline tests feed a fake /proc.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseDump } from '../input/read.ts';
import { SeriesBuilder } from '../series/build.ts';
import type { Series } from '../series/series.ts';
import { SAMPLES_DIR, fixture } from './fixtures.ts';

export const REAL_SERIES = 'series/host-6.18-hashed-date-Is.txt.gz';

export interface Round {
  /** The stamp line as written. */
  stamp: string;
  /** The round's area lines. */
  lines: string[];
}

/** The real series' text, gunzipped. */
export function realSeriesText(): string {
  return gunzipSync(readFileSync(SAMPLES_DIR + REAL_SERIES)).toString('utf8');
}

/** The rounds of a `date -Is` log: a stamp line, then the area lines up to the next stamp. */
export function roundsOf(text: string): Round[] {
  const rounds: Round[] = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(line)) rounds.push({ stamp: line, lines: [] });
    else if (line.startsWith('0x') && rounds.length > 0) rounds[rounds.length - 1].lines.push(line);
  }
  return rounds;
}

/** A series of the rounds, each parsed on its own and added as a whole moment. */
export function seriesOfRounds(rounds: readonly Round[]): Series {
  const encoder = new TextEncoder();
  const b = new SeriesBuilder();
  for (const r of rounds) {
    const parsed = parseDump(encoder.encode(r.lines.join('\n') + '\n'));
    b.addParsed({ time: Date.parse(r.stamp), timeFrom: 'stamp', label: r.stamp, zone: '+00:00', source: 'test', line: 1 }, parsed);
  }
  return b.finish();
}

/** A line as a multiset key: runs of spaces as one. */
export const normLine = (l: string): string => l.trim().replace(/\s+/g, ' ');

/** How many lines of `b` no line of `a` accounts for (as multisets). */
export function linesNotIn(a: readonly string[], b: readonly string[]): number {
  const left = new Map<string, number>();
  for (const l of a) left.set(normLine(l), (left.get(normLine(l)) ?? 0) + 1);
  let n = 0;
  for (const l of b) {
    const k = left.get(normLine(l)) ?? 0;
    if (k > 0) left.set(normLine(l), k - 1);
    else n++;
  }
  return n;
}

/** A dump's area lines (those that start with 0x). */
export const areaLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('0x'));

/** The sum of the size column of area lines. */
export const bytesOfLines = (lines: readonly string[]): number => lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);

/**
 * Versions of a real capture (x86_64 6.1, after insmod) that change from one to the next, as
 * vmscope record and open --live see /proc/vmallocinfo change: version m lacks the capture's lines
 * k with k % dropEvery === m, and has m × stacksPer more thread stacks (20 KiB kernel_clone areas,
 * at addresses no other line has).
 */
export function changingVersions(o: { count: number; dropEvery: number; stacksPer: number }): string[] {
  const base = areaLines(fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'));
  return Array.from({ length: o.count }, (_, m) => {
    const kept = base.filter((_, k) => k % o.dropEvery !== m);
    const extra = Array.from({ length: o.stacksPer * m }, (_, k) => `0xffffd17d9${m}${k.toString(16).padStart(2, '0')}0000-0xffffd17d9${m}${k.toString(16).padStart(2, '0')}5000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4`);
    return [...kept, ...extra].join('\n') + '\n';
  });
}
