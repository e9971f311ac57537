// The compact form of a series link (`#r=`, docs/recording-format.md, "Compact series links"): the
// recording a share writes (share.ts) re-coded so that each distinct area is carried once, by the
// snapshot share codec (share/payload.ts: its column sections, callers dictionary), and each moment
// only as which of those areas went and how many new ones came. Decoding gives back the very bytes
// of the recording (each frame re-deflated the same way), so a compact link opens exactly as the
// recording link it replaces. Pure and synchronous (fflate): no DOM, no Node.
//
//   link bytes = COMPACT_MARK, then deflate-raw(payload), then CRC-16 of the deflated bytes
//   payload    = the recording's header (bytes), U (areas), form flags, the snapshot payload
//                (bytes), [the order: raw mode], [the hashed addresses: hashed mode],
//                F (moments), F × moment
//
// Every count is checked against what is left, the payload is inflated with a cap, and the lines
// printed back are capped, so any bytes give a recording or a `broken` error, never a hang.

import { Inflate, deflateSync } from 'fflate';
import { concatBytes } from '../bytes.ts';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { BIT_MASKED } from '../parse/snapshot.ts';
import type { AreaColumns } from '../parse/snapshot.ts';
import { Reader, Writer, broken } from '../share/bits.ts';
import { crc16, withCheck } from '../share/envelope.ts';
import { decodePayload, encodePayload } from '../share/payload.ts';
import { areaLine } from './print.ts';
import { decodeRecording, encodeFrame } from './recording.ts';

/** First byte of a compact series link; a recording link's first byte is the "V" of VMSCREC. */
export const COMPACT_MARK = 0x02;
/** Most bytes a compact link's payload may inflate to. */
export const MAX_COMPACT_PAYLOAD = 16 << 20;
/** Most bytes of area lines a compact link may print back, all moments together. */
export const MAX_COMPACT_LINES = 64 << 20;
/** Compressed bytes fed to inflate at a time (a slice inflates to at most ~16.5 MiB). */
const SLICE = 16 << 10;

const FORM_ORDER = 1; // the areas' order in the snapshot payload differs from the recording's
const FORM_HASHED = 2; // the start and end numbers of hashed lines follow
const FORM_NEAR = 4; // … coded four ways (small renumbered hashes), else two (hashes as they are)

const MOMENT_TIME = 1;
const MOMENT_MEMINFO = 2;
const MOMENT_MODULES = 4;

const VIEW = { range: null, selected: null, colourMode: 'kind', collapse: false } as const;

function zz(v: number): number {
  return v < 0 ? -2 * v - 1 : 2 * v;
}

function addressOf(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * The compact link bytes of a recording, or null when it has no compact form (it does not read
 * cleanly, a line does not parse back as one area, or the areas would not print back exactly).
 */
export function compactSeries(recording: Uint8Array): Uint8Array | null {
  const rec = decodeRecording(recording);
  if (!rec.header || rec.problem !== null || rec.truncatedAt !== null || rec.frames.length === 0) return null;
  const frames = rec.frames;
  let total = 0;
  for (const f of frames) {
    if (f.idsBefore !== total) return null;
    total += f.added;
  }
  const text = concatBytes(frames.map((f) => f.lines));
  const snapshot = parse(text);
  if (snapshot.count !== total || snapshot.diagnosticCount !== 0) return null;
  const model = buildModel(snapshot);
  let payload: Uint8Array;
  try {
    payload = encodePayload(model, VIEW, { includeAddresses: true });
  } catch {
    return null;
  }
  const c = snapshot.columns;
  let permuted = false;
  for (let k = 0; k < total; k++) if (model.order[k] !== k) permuted = true;
  const hashed = snapshot.pointerMode === 'hashed';
  // Hashed numbers coded both ways (below), the one that deflates shorter kept.
  const numbers = hashed ? ([true, false] as const).map((way) => hashedNumbers(c, total, way)) : [];
  const near = hashed && deflateSync(numbers[0], { level: 6 }).length <= deflateSync(numbers[1], { level: 6 }).length;

  const w = new Writer();
  w.uint(rec.header.length);
  w.bytes(recording.subarray(0, rec.header.length));
  w.uint(total);
  w.uint((permuted ? FORM_ORDER : 0) | (hashed ? FORM_HASHED : 0) | (near ? FORM_NEAR : 0));
  w.uint(payload.length);
  w.bytes(payload);
  if (permuted) {
    // Where each area of the recording sits in the snapshot payload, as a step from the one before.
    const positionOf = new Int32Array(total);
    for (let k = 0; k < total; k++) positionOf[model.order[k]] = k;
    let prev = -1;
    for (let i = 0; i < total; i++) {
      w.uint(zz(positionOf[i] - prev - 1));
      prev = positionOf[i];
    }
  }
  if (hashed) w.bytes(numbers[near ? 0 : 1]);
  w.uint(frames.length);
  let prevTime = 0;
  let prevZone = 0;
  for (const f of frames) {
    w.uint((f.time !== null ? MOMENT_TIME : 0) | (f.meminfo ? MOMENT_MEMINFO : 0) | (f.modules ? MOMENT_MODULES : 0));
    if (f.time !== null) {
      w.zigzag(f.time - prevTime);
      w.zigzag((f.zoneMinutes ?? 0) - prevZone);
      prevTime = f.time;
      prevZone = f.zoneMinutes ?? 0;
    }
    w.uint(f.removed.length);
    let prev = -1;
    for (const id of f.removed) {
      w.uint(id - prev - 1);
      prev = id;
    }
    w.uint(f.added);
    for (const extra of [f.meminfo, f.modules]) {
      if (!extra) continue;
      w.uint(extra.length);
      w.bytes(extra);
    }
  }
  const body = withCheck(deflateSync(w.done(), { level: 9 }));
  const out = new Uint8Array(1 + body.length);
  out[0] = COMPACT_MARK;
  out.set(body, 1);
  return out;
}

/**
 * The start and end numbers of the hashed lines (those not masked), in id order. The snapshot
 * payload keeps only which hash follows which within one dump; a table over many moments has more
 * equalities (an end that starts two areas at two moments), so the numbers themselves. `near`
 * (renumbered hashes, small numbers): each as the shortest of a new one, its step past the highest
 * so far (4k); an old one, its distance below the highest (4k + 1) or from the last old one coded
 * so (4k + 2 above, 4k + 3 at or below): areas that come back to old places come in address order.
 * Else (hashes as they are, random numbers): 2k new, 2k + 1 old below the highest.
 */
function hashedNumbers(c: AreaColumns, total: number, near: boolean): Uint8Array {
  const w = new Writer();
  let hi = 0n;
  let last = 0n;
  const put = (v: bigint) => {
    if (!near) {
      if (v >= hi) {
        w.big(2n * (v - hi));
        hi = v + 1n;
      } else w.big(2n * (hi - 1n - v) + 1n);
      return;
    }
    if (v >= hi) {
      w.big(4n * (v - hi));
      hi = v + 1n;
      return;
    }
    const below = 4n * (hi - 1n - v) + 1n;
    const fromLast = v > last ? 4n * (v - last - 1n) + 2n : 4n * (last - v) + 3n;
    if (below <= fromLast) w.big(below);
    else {
      w.big(fromLast);
      last = v;
    }
  };
  for (let i = 0; i < total; i++) {
    if (c.flagBits[i] & BIT_MASKED) continue;
    put(addressOf(c.startHi[i], c.startLo[i]));
    put(addressOf(c.endHi[i], c.endLo[i]));
  }
  return w.done();
}

/** inflate-raw, refusing more than `cap` bytes; null for corrupt data. */
function inflateCapped(packed: Uint8Array, cap: number): Uint8Array | 'too-big' | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < packed.length && !over; i += SLICE) inflater.push(packed.subarray(i, i + SLICE), i + SLICE >= packed.length);
  } catch {
    return null;
  }
  if (over) return 'too-big';
  return ended ? concatBytes(chunks) : null;
}

/**
 * The recording a compact link's bytes (COMPACT_MARK first) stand for. Throws a `broken` error
 * ("This share link is damaged: …") or a too-big one on anything wrong; never hangs.
 */
export function expandSeries(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4 || bytes[0] !== COMPACT_MARK) throw broken('it is not a compact series link');
  const body = bytes.subarray(1, bytes.length - 2);
  if (crc16(body) !== ((bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1])) throw broken('it does not match its check (a character was changed, added or lost)');
  const payload = inflateCapped(body, MAX_COMPACT_PAYLOAD);
  if (payload === 'too-big') throw new Error(`This recording link unpacks to more than ${MAX_COMPACT_PAYLOAD >> 20} MiB; vmscope refuses it (it may be a decompression bomb).`);
  if (payload === null) throw broken('its compressed data is corrupt');
  const r = new Reader(payload);
  const header = r.take(r.uint('the header length', r.left), 'the header');
  const total = r.uint('the area count', r.left);
  const form = r.uint('the form', 7);
  const snapshotBytes = r.take(r.uint('the areas’ length', r.left), 'the areas');
  const { snapshot } = decodePayload(snapshotBytes);
  if (snapshot.count !== total) throw broken(`its areas number ${snapshot.count}, not ${total}`);
  // Snapshot index of each area of the recording.
  const indexOf = new Uint32Array(total);
  if (form & FORM_ORDER) {
    const seen = new Uint8Array(total);
    let prev = -1;
    for (let i = 0; i < total; i++) {
      const u = r.uint('a position', 2 * total);
      const p = prev + 1 + (u % 2 ? -(u + 1) / 2 : u / 2);
      if (p < 0 || p >= total || seen[p]) throw broken('an area’s position points nowhere');
      seen[p] = 1;
      indexOf[i] = p;
      prev = p;
    }
  } else for (let i = 0; i < total; i++) indexOf[i] = i;
  const c = snapshot.columns;
  if (form & FORM_HASHED) {
    let hi = 0n;
    let last = 0n;
    const get = (): bigint => {
      const u = r.big('a hashed address');
      const k = form & FORM_NEAR ? u >> 2n : u >> 1n;
      // Without FORM_NEAR: 2k new (tag 0), 2k + 1 old below the highest (tag 1).
      const tag = form & FORM_NEAR ? u & 3n : u & 1n;
      let v: bigint;
      if (tag === 0n) v = hi + k;
      else if (tag === 1n) v = hi - 1n - k;
      else v = tag === 2n ? last + 1n + k : last - k;
      if (v < 0n || v > 0xffffffffffffffffn) throw broken('a hashed address is out of range');
      if (tag === 0n) hi = v + 1n;
      else if (tag !== 1n) last = v;
      return v;
    };
    for (let i = 0; i < total; i++) {
      const j = indexOf[i];
      if (c.flagBits[j] & BIT_MASKED) continue;
      const start = get();
      const end = get();
      c.startHi[j] = Number(start >> 32n);
      c.startLo[j] = Number(start & 0xffffffffn);
      c.endHi[j] = Number(end >> 32n);
      c.endLo[j] = Number(end & 0xffffffffn);
    }
  }
  const print = { digits: snapshot.addressDigits || 16, base: 0n, physBase: 0n };
  const frameCount = r.uint('the moment count', r.left);
  const parts: Uint8Array[] = [header];
  let next = 0;
  let printed = 0;
  let time = 0;
  let zone = 0;
  for (let k = 0; k < frameCount; k++) {
    const flags = r.uint('a moment’s flags', 7);
    let t: number | null = null;
    let z: number | null = null;
    if (flags & MOMENT_TIME) {
      time += r.zigzag('a moment’s time');
      zone += r.zigzag('a moment’s zone');
      if (time < 0 || !Number.isSafeInteger(time) || !Number.isSafeInteger(zone)) throw broken('a moment’s time is out of range');
      t = time;
      z = zone;
    }
    const gone = r.uint('a count of areas gone', Math.min(next, r.left));
    const removed = new Uint32Array(gone);
    let prev = -1;
    for (let g = 0; g < gone; g++) {
      prev += 1 + r.uint('an area gone', next);
      if (prev >= next) throw broken('an area gone points nowhere');
      removed[g] = prev;
    }
    const came = r.uint('a count of areas come', total - next);
    const lines: string[] = [];
    for (let a = 0; a < came; a++) {
      const line = areaLine(snapshot, indexOf[next + a], print);
      printed += line.length + 1;
      if (printed > MAX_COMPACT_LINES) throw new Error(`This recording link unpacks to more than ${MAX_COMPACT_LINES >> 20} MiB; vmscope refuses it (it may be a decompression bomb).`);
      lines.push(line);
    }
    const meminfo = flags & MOMENT_MEMINFO ? r.take(r.uint('a meminfo length', r.left), 'a meminfo') : null;
    const modules = flags & MOMENT_MODULES ? r.take(r.uint('a modules length', r.left), 'a modules list') : null;
    parts.push(encodeFrame({ time: t, zoneMinutes: z, idsBefore: next, removed, lines, meminfo, modules }));
    next += came;
  }
  if (next !== total) throw broken(`its moments bring ${next} areas of ${total}`);
  r.finish('the link');
  return concatBytes(parts);
}
