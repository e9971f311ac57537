// A series shared: written back as a recording (the `.vmscope-rec` format of recording.ts, byte
// layout in docs/recording-format.md), one frame per moment, each new area's line printed back
// from the series' table (print.ts). Small when moments are mostly small changes, so a recording
// of a quiet hour fits in a link: `#r=` and the base64url of its compact form (compactLink.ts:
// each distinct area once, through the snapshot share codec, and each moment as a change; the
// real series' link is 8 KB rather than 61) or of its bytes as they are (links made before the
// compact form, and recordings with none); the app's links.ts puts the key on. A bigger one is
// shared as the file itself.
//
// Addresses are hidden unless asked for: raw addresses become offsets from the lowest area start
// of what is shared, phys= offsets from the lowest phys, callers printed as bare addresses are
// renumbered, and the host name and boot id are left blank; the header says so (its optional
// flags). Hashed addresses (%pK: keyed hashes, not addresses) are renumbered 1, 2, 3 …, which keeps
// what they tell (equal hashes: adjacent areas, the same area) and compresses far better. Pure: no
// DOM, no Node.

import { concatBytes } from '../bytes.ts';
import { fromBase64Url, toBase64Url } from '../share/envelope.ts';
import { BIT_MASKED, BIT_PHYS } from '../parse/snapshot.ts';
import { areaLine } from './print.ts';
import type { PrintAddresses } from './print.ts';
import { readSeries } from './read.ts';
import type { ReadResult } from './read.ts';
import { COMPACT_MARK, compactSeries, expandSeries } from './compactLink.ts';
import { FRAME_PREFIX, decodeHeader, encodeFrame, encodeHeader, isRecording } from './recording.ts';
import type { RecordingInfo } from './recording.ts';
import type { Series } from './series.ts';
import { zoneOffsetMinutes } from './stamps.ts';

/** Longest recording link text read (a link the app makes is at most 32 KB; files have no such cap). */
export const MAX_SERIES_LINK_CHARS = 1 << 20;
/** Most bytes a recording link may unpack to, all frames together. */
export const MAX_SERIES_LINK_UNPACKED = 64 << 20;
/** What a shared recording calls itself when the header names no tool. */
export const SHARE_TOOL = 'vmscope share';

export interface SeriesShareOptions {
  /** Keep absolute addresses, phys=, the host name and boot id (default: hidden). */
  includeAddresses: boolean;
  /** First and last moment shared (default: all). */
  from?: number;
  to?: number;
  /** What the header says of the host, when known (a recording being passed on; its addressesHidden is kept). */
  info?: Partial<RecordingInfo>;
}

/** The table ids of moments from … to, each once: the first moment's and those that came after it. */
function usedIds(series: Series, from: number, to: number): Uint32Array[] {
  const out = [series.ids(from)];
  for (let k = from + 1; k <= to; k++) out.push(series.added[k]);
  return out;
}

/** How the shared lines print their addresses. */
function printing(series: Series, from: number, to: number, hide: boolean): PrintAddresses {
  const t = series.table;
  const c = t.columns;
  const digits = t.addressDigits || 16;
  if (!hide) return { digits, base: 0n, physBase: 0n };
  let base: bigint | null = null;
  let physBase: bigint | null = null;
  const raw = t.pointerMode === 'raw';
  for (const ids of usedIds(series, from, to)) {
    for (const id of ids) {
      const bits = c.flagBits[id];
      if (raw && !(bits & BIT_MASKED)) {
        const start = (BigInt(c.startHi[id]) << 32n) | BigInt(c.startLo[id]);
        if (base === null || start < base) base = start;
      }
      if (bits & BIT_PHYS) {
        const phys = (BigInt(c.physHi[id]) << 32n) | BigInt(c.physLo[id]);
        if (physBase === null || phys < physBase) physBase = phys;
      }
    }
  }
  const bare = new Map<string, string>();
  const bareCaller = (text: string) => {
    let v = bare.get(text);
    if (v === undefined) bare.set(text, (v = `0x${(bare.size + 1).toString(16)}`));
    return v;
  };
  return { digits, base: base ?? 0n, physBase: physBase ?? 0n, bareCaller, rename: t.pointerMode === 'hashed' ? renumbered(series, from, to) : undefined };
}

/**
 * Hashed addresses renumbered 1, 2, 3 … in order of first appearance: equal hashes stay equal (the
 * adjacency they prove, the matching of areas), but the recording carries no hash of that boot,
 * and small numbers compress far better than random ones (the real series' link is half as long).
 * A moment whose lines read end − start = size would be taken for raw addresses, so no line may:
 * a new end skips a number where it would, and should two old hashes of a line still do it, the
 * hashes are kept as they are (undefined). Zero stays zero (a zeroed line among hashed ones).
 */
function renumbered(series: Series, from: number, to: number): ((address: bigint) => bigint) | undefined {
  const c = series.table.columns;
  const map = new Map<bigint, bigint>();
  let next = 1n;
  const ranges: [bigint, bigint, bigint][] = [];
  for (const ids of usedIds(series, from, to)) {
    for (const id of ids) {
      if (c.flagBits[id] & BIT_MASKED) continue;
      const start = (BigInt(c.startHi[id]) << 32n) | BigInt(c.startLo[id]);
      const end = (BigInt(c.endHi[id]) << 32n) | BigInt(c.endLo[id]);
      const size = BigInt(c.size[id]);
      if (start !== 0n && !map.has(start)) map.set(start, next++);
      if (end !== 0n && !map.has(end)) {
        if (next - (map.get(start) ?? 0n) === size) next++;
        map.set(end, next++);
      }
      ranges.push([start, end, size]);
    }
  }
  const rename = (v: bigint) => (v === 0n ? 0n : (map.get(v) ?? v));
  if (next > 0xffffffffn) return undefined;
  for (const [start, end, size] of ranges) if (start !== 0n && end !== 0n && rename(end) - rename(start) === size) return undefined;
  return rename;
}

/**
 * Moments `from` … `to` of a series as a recording: a header, then one frame per moment (the first
 * lists its every area; the others the ids that went and the lines of the areas that came).
 * Throws a RangeError for moments the series does not have.
 */
export function encodeSeries(series: Series, options: SeriesShareOptions): Uint8Array {
  const from = options.from ?? 0;
  const to = options.to ?? series.count - 1;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to < series.count)) {
    throw new RangeError(`no moments ${from}…${to} in a series of ${series.count}`);
  }
  const hide = !options.includeAddresses;
  const table = series.table;
  const print = printing(series, from, to, hide);
  const first = series.moments[from];
  const zoneOf = (zone: string | null) => (zone === null ? null : zoneOffsetMinutes(zone));
  const info = options.info ?? {};
  const header = encodeHeader({
    created: info.created ?? first.time ?? 0,
    zoneMinutes: info.zoneMinutes !== undefined ? info.zoneMinutes : zoneOf(first.zone),
    pageSize: info.pageSize ?? 4096,
    host: hide ? '' : (info.host ?? ''),
    kernel: info.kernel ?? '',
    machine: info.machine ?? '',
    bootId: hide ? '' : (info.bootId ?? ''),
    tool: info.tool ?? SHARE_TOOL,
    // Once hidden, always: a recording shared hidden and passed on with its addresses still holds offsets.
    addressesHidden: hide || info.addressesHidden === true,
  });
  const parts: Uint8Array[] = [header];
  // File ids: handed out in table-id order, so the ids a frame lists stay ascending.
  const fileId = new Int32Array(table.count).fill(-1);
  let next = 0;
  for (let k = from; k <= to; k++) {
    const m = series.moments[k];
    const came = k === from ? series.ids(from) : series.added[k];
    const went = k === from ? [] : Array.from(series.removed[k], (id) => fileId[id]).sort((a, b) => a - b);
    const idsBefore = next;
    const lines: string[] = [];
    for (const id of came) {
      fileId[id] = next++;
      lines.push(areaLine(table, id, print));
    }
    parts.push(encodeFrame({ time: m.time, zoneMinutes: m.time === null ? null : zoneOf(m.zone), idsBefore, removed: went, lines }));
  }
  return concatBytes(parts);
}

/**
 * The link text of a recording's bytes (what follows `#r=`): its compact form (compactLink.ts),
 * checked to give back these very bytes, else (a recording with no compact form, or where the
 * compact one is not shorter) the recording itself in base64url, as links were before.
 */
export function seriesLinkText(bytes: Uint8Array): string {
  let compact: Uint8Array | null;
  try {
    compact = compactSeries(bytes);
    if (compact && !sameBytes(expandSeries(compact), bytes)) compact = null;
  } catch {
    compact = null;
  }
  return toBase64Url(compact && compact.length < bytes.length ? compact : bytes);
}

/**
 * The length of seriesLinkText(bytes) as it is when the compact form gives the recording back (it
 * always has so far), without decoding it to check: for searching many ranges of a series.
 */
export function seriesLinkLength(bytes: Uint8Array): number {
  let n = bytes.length;
  try {
    const compact = compactSeries(bytes);
    if (compact && compact.length < n) n = compact.length;
  } catch {
    // The recording as it is.
  }
  return Math.ceil((n * 4) / 3);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

const damaged = (why: string) => ({ problem: `This recording link is damaged: ${why}.` });

/**
 * The recording a link text (after `#r=`) carries, or why not. Strict and capped: at most
 * MAX_SERIES_LINK_CHARS of base64url, a recording's magic and readable header, and frames that
 * claim at most MAX_SERIES_LINK_UNPACKED bytes together. Never throws.
 */
export function decodeSeriesLink(text: string): { bytes: Uint8Array } | { problem: string } {
  if (typeof text !== 'string') return damaged('it is not text');
  if (text.length > MAX_SERIES_LINK_CHARS) {
    return { problem: `This recording link is ${text.length.toLocaleString('en-US')} characters long; vmscope opens links of at most ${MAX_SERIES_LINK_CHARS.toLocaleString('en-US')} (share the .vmscope-rec file instead).` };
  }
  if (text.length === 0) return damaged('it is empty');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch (e) {
    // The share codec's words ("This share link is damaged: <why>. It may …"): keep the why.
    return damaged(/damaged: (.*?)\. It may/.exec((e as Error).message)?.[1] ?? 'its text is not base64url');
  }
  if (bytes[0] === COMPACT_MARK) {
    try {
      bytes = expandSeries(bytes);
    } catch (e) {
      // The share codec's words, kept as the why of a damaged recording link.
      const message = (e as Error).message;
      const why = /damaged: (.*?)\. It may/.exec(message)?.[1];
      if (why !== undefined) return damaged(why);
      if (/unpacks to more than/.test(message)) return { problem: message.replace('This share link', 'This recording link') };
      return damaged(`its areas do not read (${message.replace(/^This share link /, 'they ').replace(/\.$/, '')})`);
    }
  }
  if (!isRecording(bytes)) return damaged('it does not hold a vmscope recording');
  const head = decodeHeader(bytes);
  if (head === 'incomplete') return damaged('it is cut inside the recording’s header');
  if (typeof head === 'string') return damaged(head);
  let total = 0;
  for (let at = head.length; at + FRAME_PREFIX <= bytes.length; at += FRAME_PREFIX + u32(bytes, at)) {
    total += u32(bytes, at + 4);
    if (total > MAX_SERIES_LINK_UNPACKED) return { problem: `This recording link unpacks to more than ${MAX_SERIES_LINK_UNPACKED >> 20} MiB; vmscope refuses it (it may be a decompression bomb).` };
  }
  return { bytes };
}

/** A recording link's moments (decodeSeriesLink, then readSeries as for a dropped recording). Never throws. */
export function readSeriesLink(text: string, name = 'shared recording'): ReadResult {
  const got = decodeSeriesLink(text);
  if ('problem' in got) return { kind: 'none', message: got.problem };
  try {
    return readSeries([{ name, bytes: got.bytes, mtime: null }]);
  } catch (e) {
    return { kind: 'none', message: `This recording link could not be read: ${(e as Error).message}` };
  }
}

/**
 * The link text of a recording link given on its own, as people paste one: the whole URL or just
 * its `#r=…` fragment, blanks around it allowed. Null for anything else.
 */
export function seriesTextOf(input: string): string | null {
  if (input.length > MAX_SERIES_LINK_CHARS + 4096) return null;
  const m = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/\S*)?#r=([A-Za-z0-9_-]+)\s*$/i.exec(input);
  return m ? m[1] : null;
}
