// `vmscope record`: reads /proc/vmallocinfo (and /proc/meminfo, /proc/modules when asked) every
// --every, and appends each moment to a recording (src/lib/series/recording.ts, byte layout in
// docs/recording-format.md) as it is taken: written and fsynced, so the file opens with every
// complete moment after Ctrl-C, a kill, a full disk or a power cut. An existing recording is
// continued (its header is checked, a frame cut short at its end is cut off first).
//
// VMSCOPE_PROC (or the hidden --proc DIR) reads another directory instead of /proc, for tests.

import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { machine } from 'node:os';
import { formatBytes } from '../lib/format.ts';
import { RECORDING_EXTENSION, Recorder, decodeHeader, decodeRecording, encodeHeader, isRecording, recordingToSeries } from '../lib/series/recording.ts';
import type { DecodedRecording, RecordedMoment, RecordingHeader, RecordingInfo } from '../lib/series/recording.ts';
import type { Series } from '../lib/series/series.ts';
import { words } from './argv.ts';
import { InputError, fileError, readInputBytes } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo } from './io.ts';
import { VERSION } from './version.ts';

export interface RecordOptions {
  /** Milliseconds between moments. */
  every: number;
  /** Moments to take, or null. */
  count: number | null;
  /** Milliseconds to record for (moments at 0, every, 2·every … up to it), or null. */
  forMs: number | null;
  meminfo: boolean;
  modules: boolean;
  out: string;
  /** The directory read as /proc. */
  proc: string;
}

export const RECORD_USAGE = `       vmscope record [--every 10s] [--count N | --for 1h] [--meminfo] [--modules] -o FILE`;

export const RECORD_HELP = `  record          read /proc/vmallocinfo every --every (10s by default) and append each moment
                  to FILE, a recording (${RECORDING_EXTENSION} is the usual name), until --count moments, --for
                  a while, or Ctrl-C; each moment is flushed to disk as it is taken, so a recording
                  stopped anyhow opens with its complete moments. An existing recording is
                  continued. --meminfo and --modules store /proc/meminfo and /proc/modules with
                  each moment. Durations: 500ms, 10s, 1m, 1h`;

/** Milliseconds in "500ms", "10s", "1.5m", "1h" (a bare number is seconds), or null. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  const ms = Number(m[1]) * unit[m[2] ?? 's'];
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** The options of `vmscope record …` (argv after "record"), or a usage error's message. */
export function parseRecordArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = processIo().env): RecordOptions | string {
  const o: RecordOptions = { every: 10000, count: null, forMs: null, meminfo: false, modules: false, out: '', proc: env.VMSCOPE_PROC || '/proc' };
  for (const { arg, name, inline, value } of words(argv)) {
    if (name === '--meminfo' && !inline) o.meminfo = true;
    else if (name === '--modules' && !inline) o.modules = true;
    else if (name === '--every' || name === '--for') {
      const v = value();
      const ms = v === null ? null : parseDuration(v);
      if (ms === null || ms <= 0) return `${name} needs a duration such as 500ms, 10s, 1m or 1h${v === null ? '' : `, not "${v}"`}`;
      if (name === '--every') {
        if (ms < 10) return '--every is at least 10ms';
        o.every = ms;
      } else o.forMs = ms;
    } else if (name === '--count') {
      const v = value();
      if (v === null || !/^\d+$/.test(v) || Number(v) < 1) return `--count needs a number of moments (1 or more)${v === null ? '' : `, not "${v}"`}`;
      o.count = Number(v);
    } else if (name === '-o' || name === '--out') {
      const v = value();
      if (v === null) return `${name} needs a file name`;
      o.out = v;
    } else if (name === '--proc') {
      const v = value();
      if (v === null) return '--proc needs a directory';
      o.proc = v;
    } else if (arg === '-h' || arg === '--help') return '';
    else if (arg.startsWith('-')) return `unknown option for record: ${arg}`;
    else return `unexpected argument "${arg}" (record writes to -o FILE)`;
  }
  if (o.count !== null && o.forMs !== null) return 'give --count or --for, not both';
  if (!o.out) return 'record needs -o FILE, the recording to write';
  if (o.out === '-') return 'record writes a file, not stdout: -o FILE';
  return o;
}

/** What the recorder does to the file; tests replace `write` to fill the disk. */
export interface RecordIo {
  write(fd: number, bytes: Uint8Array, position: number | null): number;
}

const realIo: RecordIo = { write: (fd, bytes, position) => writeSync(fd, bytes, 0, bytes.length, position) };

export interface RecordContext {
  /** Aborted by SIGINT/SIGTERM (main wires them): finish the moment being written and stop. */
  signal?: AbortSignal;
  io?: RecordIo;
  /** Where progress and notes go (stderr). */
  log?: (line: string) => void;
  /**
   * Told of each moment once it is written and fsynced (vmscope open --live pushes it to the page):
   * its index in the file (0-based, counting a continued recording's moments), its frame, and the
   * file's size with it.
   */
  onMoment?: (m: { index: number; frame: Uint8Array; fileSize: number; moment: RecordedMoment }) => void;
}

/** A recording read from a file: its header, the series of its complete moments, and any problem. */
export interface RecordingFile {
  header: RecordingHeader;
  series: Series;
  decoded: DecodedRecording;
  /** Why it ends early (a cut or damaged frame), or null. */
  problem: string | null;
}

/**
 * A recording file as a Series (gunzipped if need be, at most MAX_INPUT_BYTES read). Throws an
 * InputError when the file is not a recording or holds no complete moment; a problem after some
 * complete moments is returned (and said on stderr), not thrown.
 */
export async function readRecordingFile(path: string, io: Pick<CliIo, 'stdin' | 'stderr'> = processIo()): Promise<RecordingFile> {
  const { bytes } = await readInputBytes(path, io);
  if (!isRecording(bytes)) throw new InputError(`${path} is not a vmscope recording (it does not start with VMSCREC)`);
  const decoded = decodeRecording(bytes);
  const { series, problem } = recordingToSeries(decoded, path);
  if (!decoded.header || !series) throw new InputError(`nothing read from ${path}: ${problem ?? 'no moment'}`);
  if (problem) io.stderr.write(`vmscope: note: ${path}: ${problem}\n`);
  return { header: decoded.header, series, decoded, problem };
}

/** A /proc file's text, or null when it is not there or not readable. */
function readProc(o: RecordOptions, name: string): Uint8Array | null {
  try {
    return readFileSync(`${o.proc}/${name}`);
  } catch {
    return null;
  }
}

function procLine(o: RecordOptions, name: string): string {
  return new TextDecoder().decode(readProc(o, name) ?? new Uint8Array(0)).trim();
}

/** The page size from /proc/self/smaps (KernelPageSize of the first mapping), else 4096. */
function pageSize(o: RecordOptions): number {
  const m = /^KernelPageSize:\s+(\d+) kB/m.exec(new TextDecoder().decode((readProc(o, 'self/smaps') ?? new Uint8Array(0)).subarray(0, 4096)));
  return m ? Number(m[1]) * 1024 : 4096;
}

function toolName(): string {
  return `vmscope ${VERSION}`;
}

function hostInfo(o: RecordOptions, now: number): RecordingInfo {
  return {
    created: now,
    zoneMinutes: -new Date(now).getTimezoneOffset(),
    pageSize: pageSize(o),
    host: procLine(o, 'sys/kernel/hostname'),
    kernel: procLine(o, 'sys/kernel/osrelease'),
    machine: machine(),
    bootId: procLine(o, 'sys/kernel/random/boot_id'),
    tool: toolName(),
  };
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Write all of `bytes` at the end of the file (a short write goes on where it stopped). */
function writeAll(io: RecordIo, fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    const n = io.write(fd, bytes.subarray(done), null);
    if (n <= 0) throw Object.assign(new Error('the write made no progress'), { code: 'EIO' });
    done += n;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** 500ms, 10s, 1m, 1h30m: a duration as it would be typed. */
export function duration(ms: number): string {
  if (ms < 1000 || ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  const parts = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join('');
}

function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 19);
}

function signed(n: number, unit: (n: number) => string): string {
  return n >= 0 ? `+${unit(n)}` : `−${unit(-n)}`;
}

/**
 * The open recording: a new one (header written), or an existing one checked and continued from
 * its last moment. Returns the descriptor, the recorder and the moments already in it.
 */
function openRecording(o: RecordOptions, io: RecordIo, log: (line: string) => void): { fd: number; recorder: Recorder; before: number } {
  let existing: Uint8Array | null = null;
  try {
    if (existsSync(o.out) && statSync(o.out).isFile() && statSync(o.out).size > 0) existing = readFileSync(o.out);
  } catch (e) {
    throw fileError('read', o.out, e);
  }
  let fd: number;
  try {
    fd = openSync(o.out, 'a');
  } catch (e) {
    throw fileError('write', o.out, e);
  }
  try {
    // A header cut short (the power went as the file was begun) holds no moment: begin it again.
    if (existing !== null && decodeHeader(existing) === 'incomplete') {
      ftruncateSync(fd, 0);
      log(`vmscope: note: ${o.out} held only the start of a recording's header (${existing.length} bytes): begun again`);
      existing = null;
    }
    if (existing === null) {
      writeAll(io, fd, encodeHeader(hostInfo(o, Date.now())));
      fsyncSync(fd);
      return { fd, recorder: new Recorder(), before: 0 };
    }
    if (!isRecording(existing)) throw new InputError(`${o.out} exists and is not a vmscope recording; give another -o FILE`);
    const decoded = decodeRecording(existing);
    if (!decoded.header) throw new InputError(`cannot continue ${o.out}: ${decoded.problem}`);
    if (decoded.problem && !decoded.incomplete) throw new InputError(`cannot continue ${o.out}: ${decoded.problem}; record to a new file`);
    const { series, problem } = recordingToSeries(decoded, o.out);
    if (problem && !decoded.incomplete) throw new InputError(`cannot continue ${o.out}: ${problem}; record to a new file`);
    const here = hostInfo(o, Date.now());
    const h = decoded.header;
    if (h.host && here.host && h.host !== here.host) throw new InputError(`${o.out} was recorded on ${h.host}, not on ${here.host}; give another -o FILE`);
    if (decoded.truncatedAt !== null) {
      ftruncateSync(fd, decoded.truncatedAt);
      log(`vmscope: note: ${o.out} ended inside a moment (a cut write): cut back to its ${decoded.frames.length} complete moments`);
    }
    if (h.bootId && here.bootId && h.bootId !== here.bootId) log(`vmscope: note: the machine has rebooted since ${o.out} was begun: areas are matched afresh from here`);
    if (h.kernel && here.kernel && h.kernel !== here.kernel) log(`vmscope: note: ${o.out} was begun on kernel ${h.kernel}; this is ${here.kernel}`);
    const before = series?.count ?? 0;
    log(`vmscope: continuing ${o.out} (${before} moment${before === 1 ? '' : 's'} in it)`);
    return { fd, recorder: new Recorder(series), before };
  } catch (e) {
    closeSync(fd);
    if (e instanceof InputError) throw e;
    throw fileError('write', o.out, e);
  }
}

/**
 * Record until --count, --for, or the signal. Returns the exit code: 0 when stopped as asked, 1
 * when the disk filled or /proc/vmallocinfo could not be read (the file keeps what was written).
 */
export async function runRecord(o: RecordOptions, ctx: RecordContext = {}): Promise<number> {
  const io = ctx.io ?? realIo;
  const log = ctx.log ?? lineTo(processIo().stderr);
  if (readProc(o, 'vmallocinfo') === null) {
    let why = 'no such file';
    try {
      readFileSync(`${o.proc}/vmallocinfo`);
    } catch (e) {
      why = errno(e) === 'EACCES' || errno(e) === 'EPERM' ? 'permission denied (run it as root)' : errno(e) === 'ENOENT' ? 'no such file (not Linux?)' : (e as Error).message;
    }
    throw new InputError(`cannot read ${o.proc}/vmallocinfo: ${why}`);
  }
  const { fd, recorder, before } = openRecording(o, io, log);
  const what = ['vmallocinfo', ...(o.meminfo ? ['meminfo'] : []), ...(o.modules ? ['modules'] : [])].map((f) => `${o.proc}/${f}`).join(', ');
  const until = o.count !== null ? `${o.count} moment${o.count === 1 ? '' : 's'}` : o.forMs !== null ? `for ${duration(o.forMs)}` : 'until Ctrl-C';
  log(`vmscope: recording ${what} every ${duration(o.every)} to ${o.out}, ${until}`);
  const started = Date.now();
  let taken = 0;
  let warnedZero = false;
  let code = 0;
  let stopped: string | null = null;
  try {
    // Moments keep to the schedule started + k·every; one that took longer than a period skips the ticks it missed.
    for (let k = 0; ; ) {
      if (ctx.signal?.aborted) break;
      const time = Date.now();
      const vmallocinfo = readProc(o, 'vmallocinfo');
      if (vmallocinfo === null) {
        stopped = `cannot read ${o.proc}/vmallocinfo any more`;
        code = 1;
        break;
      }
      const moment = recorder.take({
        time,
        zoneMinutes: -new Date(time).getTimezoneOffset(),
        vmallocinfo,
        meminfo: o.meminfo ? (readProc(o, 'meminfo') ?? new Uint8Array(0)) : null,
        modules: o.modules ? (readProc(o, 'modules') ?? new Uint8Array(0)) : null,
      });
      const size = fstatSync(fd).size;
      try {
        writeAll(io, fd, moment.frame);
        fsyncSync(fd);
      } catch (e) {
        // Leave the file as it was before this moment (best effort: a reader skips a cut frame anyway).
        try {
          ftruncateSync(fd, size);
        } catch {
          // the cut frame stays; decodeRecording stops before it
        }
        const full = errno(e) === 'ENOSPC' || errno(e) === 'EDQUOT';
        stopped = full ? `the disk is full (${errno(e)})` : `cannot write ${o.out}: ${(e as Error).message}`;
        code = 1;
        break;
      }
      taken++;
      ctx.onMoment?.({ index: before + taken - 1, frame: moment.frame, fileSize: size + moment.frame.length, moment });
      const snapshot = moment.parsed.snapshot;
      if (!warnedZero && (snapshot.pointerMode === 'zero' || snapshot.pointerMode === 'masked')) {
        warnedZero = true;
        const who = typeof process.getuid === 'function' && process.getuid() !== 0 ? 'not running as root, so ' : '';
        log(`vmscope: note: ${who}the kernel shows ${snapshot.pointerMode === 'zero' ? 'zeroed' : 'masked'} addresses: areas are matched between moments only as a multiset of identical lines (counts and bytes stay exact; which area is which is unknown). Run as root for hashed or real addresses.`);
      }
      const change =
        taken + before === 1
          ? 'first moment'
          : moment.added + moment.removed === 0
            ? 'no change'
            : `${signed(moment.added - moment.removed, (n) => n.toLocaleString('en-US'))} areas (${moment.added} came, ${moment.removed} went, ${signed(moment.addedBytes - moment.removedBytes, formatBytes)})`;
      log(`vmscope: ${clock(time)}  moment ${before + taken}: ${moment.areas.toLocaleString('en-US')} areas, ${formatBytes(moment.bytes)}, ${change}; ${moment.frame.length.toLocaleString('en-US')} bytes written`);
      if (o.count !== null && taken >= o.count) break;
      k = Math.max(k + 1, Math.floor((Date.now() - started) / o.every) + 1);
      const next = started + k * o.every;
      if (o.forMs !== null && next - started > o.forMs) break;
      await sleep(next - Date.now(), ctx.signal);
    }
  } finally {
    closeSync(fd);
  }
  const total = before + taken;
  const moments = `${total} moment${total === 1 ? '' : 's'}`;
  if (stopped) log(`vmscope: stopped: ${stopped}. ${o.out} holds ${moments} and opens with all of them.`);
  else log(`vmscope: recorded ${taken} moment${taken === 1 ? '' : 's'} to ${o.out}${before > 0 ? ` (${moments} in all)` : ''}`);
  return code;
}

/** Each line written to `out`, with its line end. */
function lineTo(out: CliIo['stderr']): (line: string) => void {
  return (line) => void out.write(`${line}\n`);
}

/** `vmscope record …` as main runs it: SIGINT and SIGTERM stop it cleanly; its lines go to io.stderr. */
export async function recordCommand(o: RecordOptions, io: Pick<CliIo, 'stderr'> = processIo()): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runRecord(o, { signal: stop.signal, log: lineTo(io.stderr) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
