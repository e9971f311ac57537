// Several files, one moment each (FORMAT.md "Over time"): `vmallocinfo-$(date +%s).txt`,
// `vmalloc.2026-11-30T0040.txt`, `dump-20261130-004027.txt`, or just `dump1` … `dump10`.
// Their order comes from, in this order of preference:
//   1. a time in the name (read as UTC: a name carries no zone, and the order does not need one),
//   2. the stamp line inside (the first one, as splitRounds reads it),
//   3. the file's modification time.
// One source is used for every file when every file has it; a source that gives all the files that
// have it one and the same time (files copied or unpacked at once) counts as absent. Sources are mixed, file by file, only when none covers them all. With no time anywhere,
// names that all hold a number go in natural order (`dump2` before `dump10`), others as given.
// Ties go by natural name order, then as given. Pure: no DOM, no Node.

import type { Stamp } from './stamps.ts';

export interface MomentFile {
  /** The file's name (a path is fine: only the part after the last `/` or `\` is read). */
  name: string;
  /** Modification time in epoch ms, or null when unknown. */
  mtime: number | null;
  /** The first stamp line inside the file, or null. */
  firstStamp: Stamp | null;
}

export type OrderSource = 'name' | 'stamp' | 'mtime';

export interface MomentOrder {
  /** Indices into the files, earliest first. */
  order: number[];
  /** The time of each moment in `order` (parallel to `order`, not to the files), epoch ms or null. */
  times: (number | null)[];
  /** Where each time in `times` came from (parallel to `order`), or null. */
  from: (OrderSource | null)[];
  /** One sentence for the user: how the files were ordered. */
  how: string;
}

// 2026-11-30, 20261130, with an optional time: T0040, _00-40-27, -004027, T00:40:27, 00.40.27.
const NAME_DATE = /(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?:[Tt_. -]?(\d{2})[-:.h]?(\d{2})(?:[-:.m]?(\d{2}))?)?(?!\d)/g;
// Epoch seconds (10 digits, optionally .fraction) or milliseconds (13 digits).
const NAME_EPOCH = /(?<!\d)(\d{10}|\d{13})(?:\.\d{1,9})?(?!\d)/;

/** The time written in a file name, in epoch ms (read as UTC), or null. */
export function timeInName(path: string): number | null {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).slice(0, 255);
  for (const m of name.matchAll(NAME_DATE)) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) continue;
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) continue;
    return ms;
  }
  const e = NAME_EPOCH.exec(name);
  if (e) return e[1].length === 13 ? Number(e[1]) : Number(e[1]) * 1000;
  return null;
}

/** Compares names as people number them: `dump2` before `dump10`. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let k = 0; k < Math.min(pa.length, pb.length); k++) {
    const x = pa[k];
    const y = pb[k];
    if (x === y) continue;
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xd && yd) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

const SOURCE_WORDS: Record<OrderSource, string> = {
  name: 'the time in their names',
  stamp: 'the stamp line inside each',
  mtime: 'their modification times',
};

const ONE_SOURCE_WORDS: Record<OrderSource, string> = {
  name: 'the time in its name',
  stamp: 'a stamp line inside',
  mtime: 'its modification time',
};

/** Modification times closer together than this, all of them, are not a series' times. */
export const COPIED_AT_ONCE_MS = 2000;

/** The files' order as moments of one series, with each one's time and where it came from. */
export function orderMoments(files: readonly MomentFile[]): MomentOrder {
  const n = files.length;
  const byName = files.map((f) => timeInName(f.name));
  const byStamp = files.map((f) => (f.firstStamp && f.firstStamp.ms !== null && Number.isFinite(f.firstStamp.ms) ? f.firstStamp.ms : null));
  const byMtime = files.map((f) => (f.mtime !== null && Number.isFinite(f.mtime) ? f.mtime : null));
  // A source that gives two or more files one and the same time and no other orders nothing; so
  // do modification times all within COPIED_AT_ONCE_MS of each other (files copied, unpacked or
  // written by one command: the order they were written in says nothing of when they were taken).
  for (const times of [byName, byStamp, byMtime]) {
    const known = times.filter((t) => t !== null);
    if (known.length > 1 && known.every((t) => t === known[0])) times.fill(null);
  }
  const mtimes = byMtime.filter((t) => t !== null);
  if (mtimes.length > 1 && Math.max(...mtimes) - Math.min(...mtimes) < COPIED_AT_ONCE_MS) byMtime.fill(null);
  const sources: [OrderSource, (number | null)[]][] = [['name', byName], ['stamp', byStamp], ['mtime', byMtime]];
  const tie = (i: number, j: number) => naturalCompare(files[i].name, files[j].name) || i - j;
  const indices = files.map((_, i) => i);

  // One source for all: the first one every file has.
  for (const [source, times] of sources) {
    if (n === 0 || times.some((t) => t === null)) continue;
    const order = indices.sort((i, j) => (times[i] as number) - (times[j] as number) || tie(i, j));
    return { order, times: order.map((i) => times[i]), from: order.map(() => source), how: `Ordered by ${SOURCE_WORDS[source]}.` };
  }

  // Mixed: each file by the first source it has; files with none come last.
  const times = files.map((_, i) => byName[i] ?? byStamp[i] ?? byMtime[i]);
  const from = files.map((_, i): OrderSource | null => (byName[i] !== null ? 'name' : byStamp[i] !== null ? 'stamp' : byMtime[i] !== null ? 'mtime' : null));
  const timed = indices.filter((i) => times[i] !== null);
  if (timed.length > 0) {
    const untimed = indices.filter((i) => times[i] === null).sort(tie);
    const order = [...timed.sort((i, j) => (times[i] as number) - (times[j] as number) || tie(i, j)), ...untimed];
    const counts = (['name', 'stamp', 'mtime'] as const)
      .map((s) => [s, from.filter((f) => f === s).length] as const)
      .filter(([, c]) => c > 0)
      .map(([s, c]) => `${c} by ${ONE_SOURCE_WORDS[s]}`);
    const last = untimed.length > 0 ? `; ${untimed.length} without any time come last, by name` : '';
    return { order, times: order.map((i) => times[i]), from: order.map((i) => from[i]), how: `Ordered by time: ${counts.join(', ')}${last}.` };
  }

  // No time anywhere.
  const numbered = n > 0 && files.every((f) => /\d/.test(f.name));
  const order = numbered ? indices.sort(tie) : indices;
  const how = n === 0 ? 'No files.' : numbered ? 'No time in their names, inside them or in their dates: ordered by the numbers in their names.' : 'No time in their names, inside them or in their dates: kept in the order given.';
  return { order, times: order.map(() => null), from: order.map(() => null), how };
}
