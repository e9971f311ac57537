// A recording: what `vmscope record` writes on a host, one frame appended per moment, so a file cut
// anywhere (Ctrl-C, a kill, a full disk, a power cut) still opens with every complete moment. Byte
// layout in docs/recording-format.md:
//
//   file    = header frame*
//   header  = "VMSCREC\n" | u8 version | u32 length | u32 CRC-32(info) | info
//   frame   = u32 payload length | u32 uncompressed length | u32 CRC-32(uncompressed) | deflate-raw payload
//   payload = flags, ids before, [time, zone], ids gone (delta-coded), new areas' lines, [meminfo], [modules]
//
// A frame is a change from the moment before: the ids that went and the lines of the areas that
// came (they take the next ids in order), matched by `Matcher` (build.ts) on their whole line, so
// in hashed mode (stable within a boot) a quiet minute costs a few bytes. Pure: no Node, no DOM.

import { Inflate, deflateSync } from 'fflate';
import { concatBytes } from '../bytes.ts';
import { MAX_INPUT_BYTES } from '../input/gzip.ts';
import { readDump } from '../input/read.ts';
import type { ParsedDump } from '../input/read.ts';
import { inputNotes } from '../input/verdict.ts';
import { StreamParser } from '../parse/scanner.ts';
import { Matcher, SeriesBuilder, appendChange, areaKey } from './build.ts';
import type { MomentMeta } from './build.ts';
import type { Series } from './series.ts';

/** The first 8 bytes of a recording (a share file starts "VMSCOPE\n": see share/envelope.ts). */
export const RECORDING_MAGIC = Uint8Array.from([0x56, 0x4d, 0x53, 0x43, 0x52, 0x45, 0x43, 0x0a]); // "VMSCREC\n"
/** The version written, and the newest one read. */
export const RECORDING_VERSION = 1;
/** The name `vmscope record` suggests; the loader goes by the magic, never by the name. */
export const RECORDING_EXTENSION = '.vmscope-rec';
/** Largest header info. */
export const MAX_HEADER_INFO = 64 << 10;
/** Largest uncompressed frame payload. */
export const MAX_FRAME = 64 << 20;
/** Header and frame prefixes: magic + version + length + CRC, and length + length + CRC. */
export const HEADER_PREFIX = 17;
export const FRAME_PREFIX = 12;
/** Compressed bytes fed to inflate at a time: a slice inflates to at most ~16.5 MiB (1032:1). */
const SLICE = 16 << 10;

const FLAG_TIME = 1;
const FLAG_MEMINFO = 2;
const FLAG_MODULES = 4;
const KNOWN_FLAGS = FLAG_TIME | FLAG_MEMINFO | FLAG_MODULES;
/** Bit 0 of the header's optional flags after the tool: the addresses were hidden by a share. */
const HEADER_ADDRESSES_HIDDEN = 1;

/** What the header says about where and when the recording was made ('' when not known). */
export interface RecordingInfo {
  /** Epoch milliseconds when the recording was begun. */
  created: number;
  /** The recorder's offset from UTC at `created`, in minutes east (+60 for CET), or null. */
  zoneMinutes: number | null;
  pageSize: number;
  host: string;
  /** `uname -r` (/proc/sys/kernel/osrelease). */
  kernel: string;
  /** `uname -m`. */
  machine: string;
  /** /proc/sys/kernel/random/boot_id: hashed addresses are stable within one boot only. */
  bootId: string;
  /** What wrote it, e.g. "vmscope 0.1.0". */
  tool: string;
  /**
   * Written by a share (series/share.ts) with the addresses hidden: raw addresses are offsets from
   * the lowest area start, phys= offsets from the lowest phys, host and boot id blank. Absent (false)
   * in what `vmscope record` writes.
   */
  addressesHidden?: boolean;
}

export interface RecordingHeader extends RecordingInfo {
  version: number;
  /** Bytes the header takes; the first frame starts here. */
  length: number;
}

/** One moment as a frame says it. Byte fields are views into the decoded payload. */
export interface RecordingFrame {
  /** Where the frame starts in the file. */
  offset: number;
  /** Bytes the frame takes in the file. */
  length: number;
  /** Epoch milliseconds, or null. */
  time: number | null;
  /** The recorder's offset from UTC at `time`, minutes east, or null. */
  zoneMinutes: number | null;
  /** Ids handed out before this frame (the new areas take idsBefore, idsBefore + 1, …). */
  idsBefore: number;
  /** Ids that went since the moment before, ascending. */
  removed: Uint32Array;
  /** How many areas came. */
  added: number;
  /** Their /proc/vmallocinfo lines, each ending in LF, in id order. */
  lines: Uint8Array;
  /** The moment's /proc/meminfo and /proc/modules as read, or null when not recorded. */
  meminfo: Uint8Array | null;
  modules: Uint8Array | null;
}

export interface DecodedRecording {
  /** Null when the bytes are not a recording this version can read (`problem` says why). */
  header: RecordingHeader | null;
  /** Every complete, checked frame, in order. */
  frames: RecordingFrame[];
  /** Where reading stopped when it did not reach the end (a cut or damaged frame), else null. */
  truncatedAt: number | null;
  /** Why reading stopped early, or null. */
  problem: string | null;
  /** Reading stopped because the bytes end inside the header or a frame (a cut, not damage). */
  incomplete: boolean;
}

// ---------------------------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, as zlib and gzip: reflected polynomial 0xedb88320, initial and final xor ~0).

const CRC32_TABLE = new Uint32Array(256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC32_TABLE[b] = c >>> 0;
}

/** CRC-32 of bytes, as zlib's crc32 (check value of "123456789": 0xcbf43926). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC32_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Writing.

class Writer {
  private buf = new Uint8Array(256);
  at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  /** Unsigned LEB128, v an integer in [0, 2^53). */
  varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.at++] = v;
  }

  zigzag(v: number): void {
    this.varint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function textBytes(t: string | Uint8Array): Uint8Array {
  return typeof t === 'string' ? utf8.encode(t) : t;
}

function putU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

function getU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** The header a new recording starts with. */
export function encodeHeader(info: RecordingInfo): Uint8Array {
  const w = new Writer();
  w.varint(Math.max(0, Math.round(info.created)));
  w.u8(info.zoneMinutes === null ? 0 : 1);
  if (info.zoneMinutes !== null) w.zigzag(Math.round(info.zoneMinutes));
  w.varint(info.pageSize);
  for (const s of [info.host, info.kernel, info.machine, info.bootId, info.tool]) w.bytes(utf8.encode(s.slice(0, 1024)));
  // Later additions (docs/recording-format.md, "Header info"): readers of version 1 skip them.
  if (info.addressesHidden) w.varint(HEADER_ADDRESSES_HIDDEN);
  const body = w.done();
  const out = new Uint8Array(HEADER_PREFIX + body.length);
  out.set(RECORDING_MAGIC);
  out[8] = RECORDING_VERSION;
  putU32(out, 9, body.length);
  putU32(out, 13, crc32(body));
  out.set(body, HEADER_PREFIX);
  return out;
}

/** What one frame holds, to be written. */
export interface FrameInput {
  time: number | null;
  zoneMinutes?: number | null;
  /** Ids handed out before this frame. */
  idsBefore: number;
  /** Ids that went, ascending. */
  removed: ArrayLike<number>;
  /** The new areas' lines, in the order they take ids: an array of lines or text (each line ending in LF). */
  lines: readonly string[] | Uint8Array;
  meminfo?: string | Uint8Array | null;
  modules?: string | Uint8Array | null;
}

/** One frame, ready to append (pure: the bytes only). */
export function encodeFrame(f: FrameInput): Uint8Array {
  const w = new Writer();
  const meminfo = f.meminfo == null ? null : textBytes(f.meminfo);
  const modules = f.modules == null ? null : textBytes(f.modules);
  w.u8((f.time !== null ? FLAG_TIME : 0) | (meminfo ? FLAG_MEMINFO : 0) | (modules ? FLAG_MODULES : 0));
  w.varint(f.idsBefore);
  if (f.time !== null) {
    w.varint(Math.max(0, Math.round(f.time)));
    w.zigzag(Math.round(f.zoneMinutes ?? 0));
  }
  w.varint(f.removed.length);
  let prev = -1;
  for (let k = 0; k < f.removed.length; k++) {
    const id = f.removed[k];
    if (id <= prev) throw new Error('encodeFrame: removed ids must be strictly ascending');
    w.varint(id - prev - 1);
    prev = id;
  }
  let lines: Uint8Array;
  let added: number;
  if (f.lines instanceof Uint8Array) {
    lines = f.lines;
    added = 0;
    for (let i = 0; i < lines.length; i++) if (lines[i] === 10) added++;
    if (lines.length > 0 && lines[lines.length - 1] !== 10) throw new Error('encodeFrame: the lines must end in LF');
  } else {
    added = f.lines.length;
    lines = utf8.encode(f.lines.map((l) => `${l}\n`).join(''));
  }
  w.varint(added);
  w.bytes(lines);
  if (meminfo) w.bytes(meminfo);
  if (modules) w.bytes(modules);
  const payload = w.done();
  if (payload.length > MAX_FRAME) throw new Error(`encodeFrame: a frame over ${MAX_FRAME >> 20} MiB`);
  const packed = deflateSync(payload, { level: 9 });
  const out = new Uint8Array(FRAME_PREFIX + packed.length);
  putU32(out, 0, packed.length);
  putU32(out, 4, payload.length);
  putU32(out, 8, crc32(payload));
  out.set(packed, FRAME_PREFIX);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading.

class Reader {
  at = 0;
  constructor(private readonly b: Uint8Array) {}

  get left(): number {
    return this.b.length - this.at;
  }

  /** Unsigned LEB128 below 2^53; throws on a value past it or past the end. */
  varint(): number {
    let v = 0;
    let scale = 1;
    for (let k = 0; k < 8; k++) {
      if (this.at >= this.b.length) throw new Error('the payload ends inside a number');
      const byte = this.b[this.at++];
      v += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) {
        if (v > Number.MAX_SAFE_INTEGER) break;
        return v;
      }
      scale *= 0x80;
    }
    throw new Error('a number is too large');
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
  }

  u8(): number {
    if (this.at >= this.b.length) throw new Error('the payload ends early');
    return this.b[this.at++];
  }

  bytes(): Uint8Array {
    const n = this.varint();
    if (n > this.left) throw new Error('a length runs past the payload');
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/** Whether bytes start like a recording. */
export function isRecording(bytes: Uint8Array): boolean {
  return bytes.length >= RECORDING_MAGIC.length && RECORDING_MAGIC.every((b, k) => bytes[k] === b);
}

/** The header, or why it cannot be read ('incomplete' when the bytes stop inside it). */
export function decodeHeader(bytes: Uint8Array): RecordingHeader | 'incomplete' | string {
  const magicSeen = Math.min(bytes.length, RECORDING_MAGIC.length);
  for (let k = 0; k < magicSeen; k++) if (bytes[k] !== RECORDING_MAGIC[k]) return 'it is not a vmscope recording (no VMSCREC magic)';
  if (bytes.length < HEADER_PREFIX) return 'incomplete';
  const version = bytes[8];
  if (version === 0 || version > RECORDING_VERSION) return `it is a recording of version ${version}; this vmscope reads up to version ${RECORDING_VERSION}`;
  const length = getU32(bytes, 9);
  if (length > MAX_HEADER_INFO) return `its header claims ${length} bytes (at most ${MAX_HEADER_INFO})`;
  if (bytes.length < HEADER_PREFIX + length) return 'incomplete';
  const body = bytes.subarray(HEADER_PREFIX, HEADER_PREFIX + length);
  if (crc32(body) !== getU32(bytes, 13)) return 'its header is damaged (CRC-32 mismatch)';
  try {
    const r = new Reader(body);
    const created = r.varint();
    const zoneMinutes = r.u8() === 1 ? r.zigzag() : null;
    const pageSize = r.varint();
    const [host, kernel, machine, bootId, tool] = [0, 0, 0, 0, 0].map(() => fromUtf8.decode(r.bytes()));
    // Optional header flags (a varint) may follow; bytes after the known fields are left for later minor additions.
    let extra = 0;
    try {
      if (r.left > 0) extra = r.varint();
    } catch {
      extra = 0;
    }
    const head: RecordingHeader = { version, length: HEADER_PREFIX + length, created, zoneMinutes, pageSize, host, kernel, machine, bootId, tool };
    if (extra & HEADER_ADDRESSES_HIDDEN) head.addressesHidden = true;
    return head;
  } catch (e) {
    return `its header is damaged (${(e as Error).message})`;
  }
}

/** deflate-raw `packed` into exactly `size` bytes, or null when it does not make exactly that. */
function inflateExact(packed: Uint8Array, size: number): Uint8Array | null {
  const out = new Uint8Array(size);
  let at = 0;
  let over = false;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (at + chunk.length > size) over = true;
    else out.set(chunk, at);
    at += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < packed.length && !over; i += SLICE) inflater.push(packed.subarray(i, i + SLICE), i + SLICE >= packed.length);
    if (packed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch {
    return null;
  }
  return !over && ended && at === size ? out : null;
}

/** Running state of a reader: ids handed out and which of them are alive. */
interface ReadState {
  ids: number;
  alive: Uint8Array;
  decoded: number;
}

type FrameRead = { frame: RecordingFrame } | { incomplete: true } | { problem: string };

/** The frame at `offset`, checked against the ids seen so far (updated only when it is good). */
function readFrame(bytes: Uint8Array, offset: number, st: ReadState): FrameRead {
  if (bytes.length - offset < FRAME_PREFIX) return { incomplete: true };
  const packedLength = getU32(bytes, offset);
  const size = getU32(bytes, offset + 4);
  const crc = getU32(bytes, offset + 8);
  if (size > MAX_FRAME) return { problem: `frame claims ${size} bytes (at most ${MAX_FRAME >> 20} MiB)` };
  // Deflate never grows data by more than 5 bytes per 16 KiB block and a few for the end.
  if (packedLength > size + 5 * Math.ceil(size / 16384) + 64) return { problem: `frame claims ${packedLength} compressed bytes for ${size}` };
  if (bytes.length - offset - FRAME_PREFIX < packedLength) return { incomplete: true };
  if (st.decoded + size > MAX_INPUT_BYTES) return { problem: `the recording unpacks to more than ${MAX_INPUT_BYTES >> 20} MiB, which vmscope refuses` };
  const payload = inflateExact(bytes.subarray(offset + FRAME_PREFIX, offset + FRAME_PREFIX + packedLength), size);
  if (payload === null) return { problem: 'frame does not inflate to its stated size' };
  if (crc32(payload) !== crc) return { problem: 'frame is damaged (CRC-32 mismatch)' };
  try {
    const r = new Reader(payload);
    const flags = r.u8();
    if (flags & ~KNOWN_FLAGS) throw new Error(`unknown flags 0x${flags.toString(16)}`);
    const idsBefore = r.varint();
    if (idsBefore !== st.ids) throw new Error(`it follows ${idsBefore} ids, but ${st.ids} came before`);
    let time: number | null = null;
    let zoneMinutes: number | null = null;
    if (flags & FLAG_TIME) {
      time = r.varint();
      zoneMinutes = r.zigzag();
      if (Math.abs(zoneMinutes) > 24 * 60) throw new Error('its zone is more than a day from UTC');
    }
    const removedCount = r.varint();
    if (removedCount > st.ids) throw new Error('more ids went than there are');
    const removed = new Uint32Array(removedCount);
    let prev = -1;
    for (let k = 0; k < removedCount; k++) {
      const id = prev + 1 + r.varint();
      if (id >= st.ids || !st.alive[id]) throw new Error(`id ${id} went but was not there`);
      removed[k] = id;
      prev = id;
    }
    const added = r.varint();
    const lines = r.bytes();
    let lfs = 0;
    for (let i = 0; i < lines.length; i++) if (lines[i] === 10) lfs++;
    if (lfs !== added || (lines.length > 0 && lines[lines.length - 1] !== 10)) throw new Error(`it says ${added} new areas but holds ${lfs} lines`);
    const meminfo = flags & FLAG_MEMINFO ? r.bytes() : null;
    const modules = flags & FLAG_MODULES ? r.bytes() : null;
    if (r.left !== 0) throw new Error(`${r.left} bytes after its last field`);
    // Good: update the state.
    for (const id of removed) st.alive[id] = 0;
    if (st.ids + added > st.alive.length) {
      const grown = new Uint8Array(Math.max(st.ids + added, st.alive.length * 2));
      grown.set(st.alive);
      st.alive = grown;
    }
    st.alive.fill(1, st.ids, st.ids + added);
    st.ids += added;
    st.decoded += size;
    const frame: RecordingFrame = { offset, length: FRAME_PREFIX + packedLength, time, zoneMinutes, idsBefore, removed, added, lines, meminfo, modules };
    return { frame };
  } catch (e) {
    return { problem: `frame is damaged: ${(e as Error).message}` };
  }
}

/**
 * Read a recording: its header and every complete, checked frame up to the first one cut short or
 * damaged, where it stops (`truncatedAt`, `problem`). Never throws; the work is bounded by the
 * bytes given and MAX_INPUT_BYTES decoded.
 */
export function decodeRecording(bytes: Uint8Array): DecodedRecording {
  const reader = new RecordingReader();
  reader.push(bytes);
  return reader.end();
}

/**
 * decodeRecording fed as the bytes arrive (a file read in chunks, a recording being written):
 * `push` returns the frames each chunk completes; `end` says where and why reading stopped. Bytes
 * after a damaged frame are ignored. Never throws.
 */
export class RecordingReader {
  header: RecordingHeader | null = null;
  readonly frames: RecordingFrame[] = [];
  /** Bytes not yet read (the start of a header or frame still arriving), and where they start. */
  private pending: Uint8Array = new Uint8Array(0);
  private base = 0;
  private readonly st: ReadState = { ids: 0, alive: new Uint8Array(1024), decoded: 0 };
  private stopped: string | null = null;

  push(chunk: Uint8Array): RecordingFrame[] {
    if (this.stopped !== null || chunk.length === 0) return [];
    if (this.pending.length === 0) this.pending = chunk;
    else {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      this.pending = joined;
    }
    const bytes = this.pending;
    let at = 0;
    if (this.header === null) {
      const head = decodeHeader(bytes);
      if (head === 'incomplete') {
        if (bytes === chunk) this.pending = chunk.slice();
        return [];
      }
      if (typeof head === 'string') {
        this.stopped = `not read: ${head}`;
        return [];
      }
      this.header = head;
      at = head.length;
    }
    const got: RecordingFrame[] = [];
    while (at < bytes.length) {
      const r = readFrame(bytes, at, this.st);
      if ('incomplete' in r) break;
      if ('problem' in r) {
        this.stopped = `moment ${this.frames.length + 1} (at byte ${this.base + at}): ${r.problem}; the ${this.frames.length} before it are read`;
        break;
      }
      const frame = { ...r.frame, offset: this.base + at };
      this.frames.push(frame);
      got.push(frame);
      at += frame.length;
    }
    // Keep the rest of a chunk as a copy: the caller may reuse its buffer.
    this.pending = bytes === chunk ? bytes.slice(at) : bytes.subarray(at);
    this.base += at;
    return got;
  }

  /** What was read, once the bytes are all in. */
  end(): DecodedRecording {
    const { header, frames } = this;
    const left = this.pending.length;
    if (this.stopped !== null) return { header, frames, truncatedAt: this.base, problem: this.stopped, incomplete: false };
    if (header === null) return { header, frames, truncatedAt: 0, problem: `the recording is cut inside its header (${left} bytes)`, incomplete: true };
    if (left > 0) return { header, frames, truncatedAt: this.base, problem: `moment ${frames.length + 1} is cut short (${left} bytes of it at byte ${this.base}); the ${frames.length} before it are complete`, incomplete: true };
    return { header, frames, truncatedAt: null, problem: null, incomplete: false };
  }
}

// ---------------------------------------------------------------------------------------------
// A recording as a Series.


/** The ISO 8601 form of a time at an offset of `zone` minutes east: 2026-11-30T00:59:06.123+01:00. */
export function stampOf(time: number, zone: number | null): string {
  const z = zone ?? 0;
  const iso = new Date(time + z * 60000).toISOString().replace(/Z$/, '');
  if (zone === null) return `${iso}Z`;
  const sign = z < 0 ? '-' : '+';
  const a = Math.abs(z);
  return `${iso}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function zoneText(zone: number): string {
  return stampOf(0, zone).slice(23);
}

export interface RecordingSeries {
  /** The moments read, or null when not one frame could be read (then `problem` says why). */
  series: Series | null;
  /** Why the series ends before the file does (from decodeRecording, or a frame whose lines do not parse), or null. */
  problem: string | null;
}

/**
 * The moments of a decoded recording as a Series (SeriesBuilder.addChange per frame). A frame whose
 * new lines do not parse to exactly as many areas as it says is damaged: the series stops before it.
 * Never throws.
 */
export function recordingToSeries(decoded: DecodedRecording, source = 'recording'): RecordingSeries {
  const builder = new SeriesBuilder();
  let problem = decoded.problem;
  for (const [k, f] of decoded.frames.entries()) {
    const m = frameMoment(f, source);
    if (typeof m === 'string') {
      problem = `moment ${k + 1} (at byte ${f.offset}) is damaged: ${m}; the ${k} before it are read`;
      break;
    }
    try {
      builder.addChange(m.meta, f.removed, m.parsed.snapshot, m.parsed.capture);
    } catch (e) {
      problem = `moment ${k + 1} (at byte ${f.offset}) is damaged: ${(e as Error).message}; the ${k} before it are read`;
      break;
    }
  }
  if (builder.count === 0) return { series: null, problem: problem ?? 'the recording holds no moment yet' };
  return { series: builder.finish(), problem };
}

/** A frame's new areas parsed, and what is known of its moment; or why its lines do not read as it says. */
function frameMoment(f: RecordingFrame, source: string): { meta: MomentMeta; parsed: ParsedDump } | string {
  const parts = [f.lines];
  if (f.meminfo) parts.push(f.meminfo.length > 0 && f.meminfo[f.meminfo.length - 1] !== 10 ? concatBytes([f.meminfo, utf8.encode('\n')]) : f.meminfo);
  if (f.modules) parts.push(f.modules);
  const parsed = parseWithText(concatBytes(parts));
  if (parsed.snapshot.count !== f.added) return `its ${f.added} new lines read as ${parsed.snapshot.count} areas`;
  const meta: MomentMeta = {
    time: f.time,
    timeFrom: f.time === null ? null : 'recording',
    label: f.time === null ? null : stampOf(f.time, f.zoneMinutes),
    zone: f.time === null || f.zoneMinutes === null ? null : zoneText(f.zoneMinutes),
    source,
    line: 1,
  };
  return { meta, parsed };
}

/**
 * A series read from a recording (recordingToSeries) and the recording's next frame, as it is
 * written (vmscope open --live): the series with that moment after its last, or why the frame
 * cannot follow it. Checked as decodeRecording checks a frame (lengths, CRC, the ids it names);
 * only the new frame is read, never the moments before. Never throws.
 */
export function appendFrame(series: Series, frame: Uint8Array, source = 'recording'): { series: Series } | { problem: string } {
  const t = series.table;
  const alive = new Uint8Array(Math.max(1024, t.count));
  for (const id of series.ids(series.count - 1)) alive[id] = 1;
  const r = readFrame(frame, 0, { ids: t.count, alive, decoded: 0 });
  if ('problem' in r) return { problem: `moment ${series.count + 1}: ${r.problem}` };
  if ('incomplete' in r || r.frame.length !== frame.length) return { problem: `moment ${series.count + 1} is not one whole frame (${frame.length} bytes)` };
  const m = frameMoment(r.frame, source);
  if (typeof m === 'string') return { problem: `moment ${series.count + 1} is damaged: ${m}` };
  try {
    return { series: appendChange(series, m.meta, r.frame.removed, m.parsed.snapshot, m.parsed.capture) };
  } catch (e) {
    return { problem: `moment ${series.count + 1} is damaged: ${(e as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Recording: successive moments → frames.

/** parseDump (../input/read.ts), keeping the text the scanner read so a line can be taken by its number. */
function parseWithText(input: Uint8Array): ParsedDump & { text: Uint8Array } {
  const { bytes, ...capture } = readDump(input);
  const parser = new StreamParser({ sizeHint: bytes.length });
  parser.push(bytes);
  const snapshot = parser.finish();
  return { snapshot, capture, notes: inputNotes(capture), text: bytes };
}

/** One moment handed to the recorder, as read from /proc. */
export interface RecorderMoment {
  /** Epoch milliseconds, or null. */
  time: number | null;
  /** Offset from UTC in minutes east at `time`, or null. */
  zoneMinutes?: number | null;
  vmallocinfo: Uint8Array;
  meminfo?: Uint8Array | null;
  modules?: Uint8Array | null;
}

/** What taking a moment made. */
export interface RecordedMoment {
  /** The frame to append. */
  frame: Uint8Array;
  parsed: ParsedDump;
  /** Areas at this moment, and their bytes. */
  areas: number;
  bytes: number;
  /** Areas that came and went since the moment before, and their bytes. */
  added: number;
  removed: number;
  addedBytes: number;
  removedBytes: number;
}

/**
 * Turns successive moments into frames: each moment is parsed (parseDump's path), its areas keyed
 * (areaKey) and matched against the moment before (Matcher), and the frame holds the ids that went
 * and the lines of the areas that came. Pure. After a frame fails to be written, stop: the next
 * frame would follow the one that was lost.
 */
export class Recorder {
  private readonly matcher = new Matcher();
  /** Ids the file knows of matcher ids below `carried` (a resumed recording), ascending. */
  private readonly carriedIds: Uint32Array;
  /** File ids handed out before the matcher's first new id. */
  private readonly base: number;
  private sizes = new Float64Array(1024);
  private taken = 0;

  /** A new recording, or one continued after the last moment of `resume` (the file's series). */
  constructor(resume?: Series | null) {
    if (!resume || resume.count === 0) {
      this.carriedIds = new Uint32Array(0);
      this.base = 0;
      return;
    }
    // The matcher starts from the last moment's areas: its ids 0 … n−1 stand for the file's alive
    // ids (ascending); its new ids n, n+1 … for the file's table.count, table.count + 1 … Both maps
    // keep order, so the ids a frame lists stay ascending.
    const table = resume.table;
    this.carriedIds = resume.ids(resume.count - 1);
    this.base = table.count;
    const keys = Array.from(this.carriedIds, (id) => areaKey(table, id));
    this.matcher.next(keys);
    this.grow(this.carriedIds.length);
    this.carriedIds.forEach((id, k) => (this.sizes[k] = table.columns.size[id]));
  }

  /** Moments taken so far (not counting a resumed recording's). */
  get moments(): number {
    return this.taken;
  }

  private fileId(id: number): number {
    const n = this.carriedIds.length;
    return id < n ? this.carriedIds[id] : this.base + (id - n);
  }

  private grow(n: number): void {
    if (n <= this.sizes.length) return;
    const next = new Float64Array(Math.max(n, this.sizes.length * 2));
    next.set(this.sizes);
    this.sizes = next;
  }

  take(m: RecorderMoment): RecordedMoment {
    const parsed = parseWithText(m.vmallocinfo);
    const { snapshot, text } = parsed;
    const idsBefore = this.fileId(this.matcher.size);
    const keys = new Array<string>(snapshot.count);
    for (let i = 0; i < snapshot.count; i++) keys[i] = areaKey(snapshot, i);
    const { ids, added, removed } = this.matcher.next(keys);
    this.grow(this.matcher.size);
    let removedBytes = 0;
    for (const id of removed) removedBytes += this.sizes[id];
    // New areas take the next ids in order: list their lines by id.
    const order = [...added].sort((a, b) => ids[a] - ids[b]);
    const starts = lineStarts(text);
    const lines: Uint8Array[] = [];
    let addedBytes = 0;
    let bytes = 0;
    for (let i = 0; i < snapshot.count; i++) bytes += snapshot.columns.size[i];
    for (const i of order) {
      this.sizes[ids[i]] = snapshot.columns.size[i];
      addedBytes += snapshot.columns.size[i];
      lines.push(lineText(text, starts, snapshot.columns.line[i]));
    }
    const frame = encodeFrame({
      time: m.time,
      zoneMinutes: m.zoneMinutes ?? null,
      idsBefore,
      removed: Array.from(removed, (id) => this.fileId(id)),
      lines: concatBytes(lines),
      meminfo: m.meminfo ?? null,
      modules: m.modules ?? null,
    });
    this.taken++;
    return { frame, parsed, areas: snapshot.count, bytes, added: added.length, removed: removed.length, addedBytes, removedBytes };
  }
}

/** Offsets of each line's first byte (line n, 1-based, starts at starts[n − 1]). */
function lineStarts(text: Uint8Array): Uint32Array {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text[i] === 10) n++;
  const starts = new Uint32Array(n + 1);
  let k = 1;
  for (let i = 0; i < text.length; i++) if (text[i] === 10) starts[k++] = i + 1;
  starts[n] = text.length + 1;
  return starts;
}

/** Line n (1-based) with its LF, without a CR before it. */
function lineText(text: Uint8Array, starts: Uint32Array, n: number): Uint8Array {
  const from = starts[n - 1];
  let to = Math.min(starts[n] - 1, text.length);
  while (to > from && (text[to - 1] === 13 || text[to - 1] === 10)) to--;
  const out = new Uint8Array(to - from + 1);
  out.set(text.subarray(from, to));
  out[to - from] = 10;
  return out;
}
