// `vmscope open --live`: on the kernel host, record /proc/vmallocinfo exactly as `vmscope record`
// does (record.ts: the same Recorder, one fsynced frame per moment, an existing -o FILE continued)
// and serve the page as `vmscope open` does (open.ts: loopback, the token, the Host check), with
// two token-guarded resources:
//   - /dump?token=T: the recording so far, up to its last complete moment (the page's loader reads
//     it as any recording), with X-Vmscope-Moments (how many) and X-Vmscope-Every (ms);
//   - /live?token=T&from=N: server-sent events, one `moment` event per moment from N on (the
//     recording's frame in base64, `id:` its 0-based index in the file), then each new one as it is
//     written; a reconnecting EventSource sends Last-Event-ID and gets the moments after it only,
//     so none comes twice. An `end` event says the recording stopped.
// The page being closed changes nothing (a reload fetches the whole recording again); Ctrl-C
// (SIGINT, SIGTERM) stops recording, says where the recording is, and stops the server.

import { closeSync, openSync, readSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { RECORDING_EXTENSION } from '../lib/series/recording.ts';
import type { RecordedMoment } from '../lib/series/recording.ts';
import { InputError } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo, TextOut } from './io.ts';
import type { LiveOpenOptions, Served } from './open.ts';
import { appDir, openBrowser, serveDump } from './open.ts';
import { duration, runRecord } from './record.ts';
import type { RecordIo } from './record.ts';

/** Where the moments of this run are in the file (frames only grow the file: offsets stay). */
interface Stored {
  offset: number;
  length: number;
}

/** A comment line sent this often keeps the stream from looking idle to proxies and the browser. */
export const KEEPALIVE_MS = 15_000;

/**
 * The moments written so far and the pages listening. `add` is called by the recorder after each
 * moment is fsynced; `connect` answers GET /live.
 */
export class LiveHub {
  /** Index (in the file) of the first moment of this run: moments before it are in /dump only. */
  first = -1;
  private readonly stored: Stored[] = [];
  private readonly clients = new Set<ServerResponse>();
  /** Bytes of the file up to the end of its last complete moment. */
  committed = 0;
  ended = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly file: string,
    readonly every: number,
  ) {}

  /** Moments in the file so far. */
  get count(): number {
    return this.first < 0 ? 0 : this.first + this.stored.length;
  }

  add(index: number, frame: Uint8Array, fileSize: number): void {
    if (this.first < 0) this.first = index;
    this.stored.push({ offset: fileSize - frame.length, length: frame.length });
    this.committed = fileSize;
    for (const res of this.clients) this.send(res, index, frame);
  }

  /** The recording up to its last complete moment, read from the file. */
  bytes(): Uint8Array {
    return this.read(0, this.committed);
  }

  private read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const fd = openSync(this.file, 'r');
    try {
      let at = 0;
      while (at < length) {
        const n = readSync(fd, out, at, length - at, offset + at);
        if (n <= 0) break;
        at += n;
      }
      return at === length ? out : out.subarray(0, at);
    } finally {
      closeSync(fd);
    }
  }

  private send(res: ServerResponse, index: number, frame: Uint8Array): void {
    res.write(`id: ${index}\nevent: moment\ndata: ${Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64')}\n\n`);
  }

  /**
   * GET /live: the moments from Last-Event-ID + 1 (a reconnect) else from ?from= (default: this
   * run's first), then every new one. 400 for a start that is not a number or is before this run's
   * first moment (those are in /dump).
   */
  connect(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const last = req.headers['last-event-id'];
    const text = typeof last === 'string' && last !== '' ? last : null;
    const from = text !== null ? (/^\d{1,9}$/.test(text) ? Number(text) + 1 : NaN) : url.searchParams.has('from') ? (/^\d{1,9}$/.test(url.searchParams.get('from')!) ? Number(url.searchParams.get('from')) : NaN) : this.first;
    if (!Number.isInteger(from) || from < this.first) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`bad request: moments from ${this.first} on are streamed; fetch /dump for the recording so far\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    if (req.method === 'HEAD') return void res.end();
    res.write(`retry: 1000\n: vmscope live, a moment every ${duration(this.every)}\n\n`);
    for (let index = from; index < this.count; index++) {
      const s = this.stored[index - this.first];
      this.send(res, index, this.read(s.offset, s.length));
    }
    if (this.ended) return void res.end('event: end\ndata: stopped\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    if (this.timer === null) {
      this.timer = setInterval(() => {
        for (const r of this.clients) r.write(': ping\n\n');
      }, KEEPALIVE_MS);
      this.timer.unref();
    }
  }

  /** The recording stopped: tell every page, and close their streams. */
  end(why: string): void {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const res of this.clients) res.end(`event: end\ndata: ${why.replace(/\n/g, ' ')}\n\n`);
    this.clients.clear();
  }
}

/** vmscope-live-HOST-20261130-070102.vmscope-rec: the recording's name when -o is not given. */
export function defaultLiveName(host: string, now: Date): string {
  const safe = host.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 64) || 'host';
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `vmscope-live-${safe}-${stamp}${RECORDING_EXTENSION}`;
}

export interface LiveContext {
  /** Aborted to stop (Ctrl-C); liveCommand wires SIGINT and SIGTERM to one of its own. */
  signal?: AbortSignal;
  /** The directory read as /proc (VMSCOPE_PROC, for tests). */
  proc?: string;
  /** The built app (default: appDir()). */
  dir?: string;
  stdout?: TextOut;
  stderr?: TextOut;
  /** The environment: BROWSER (the browser to start). */
  env?: NodeJS.ProcessEnv;
  io?: RecordIo;
  /** Told once the server is up (tests). */
  onServing?: (served: Served, hub: LiveHub) => void;
  /** Told of each moment after the page has been told (tests). */
  onMoment?: (m: { index: number; moment: RecordedMoment }) => void;
}

/**
 * Record and serve until the signal (or the recorder stops: /proc/vmallocinfo gone, the disk
 * full). Returns the exit code as vmscope record's: 0 when stopped by the signal, 1 when the
 * recording stopped on its own; the file holds every complete moment either way.
 */
export async function runLive(o: LiveOpenOptions, ctx: LiveContext = {}): Promise<number> {
  const stdout = ctx.stdout ?? processIo().stdout;
  const stderr = ctx.stderr ?? processIo().stderr;
  const dir = ctx.dir ?? appDir();
  const proc = ctx.proc ?? (process.env.VMSCOPE_PROC || '/proc');
  const out = o.out ?? defaultLiveName(hostname(), new Date());
  const hub = new LiveHub(out, o.every);
  const stop = new AbortController();
  if (ctx.signal?.aborted) stop.abort();
  ctx.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let served: Served | null = null;
  let failed: unknown = null;
  let first: () => void = () => {};
  const firstWritten = new Promise<void>((resolve) => (first = resolve));
  const recording = runRecord(
    { every: o.every, count: null, forMs: null, meminfo: true, modules: true, out, proc },
    {
      signal: stop.signal,
      io: ctx.io,
      log: (line) => void stderr.write(`${line}\n`),
      onMoment: ({ index, frame, fileSize, moment }) => {
        hub.add(index, frame, fileSize);
        first();
        ctx.onMoment?.({ index, moment });
      },
    },
  ).catch((e: unknown) => {
    failed = e;
    return 1;
  });
  // The server starts once the recording holds a moment (a recording with none does not open).
  const code = await Promise.race([recording, firstWritten.then(() => null)]);
  if (code === null) {
    try {
      served = await serveDump({
        bytes: () => hub.bytes(),
        name: basename(out),
        port: o.port,
        keep: true,
        dir,
        live: (req, res, url) => hub.connect(req, res, url),
        dumpHeaders: () => ({ 'X-Vmscope-Moments': String(hub.count), 'X-Vmscope-Every': String(o.every) }),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      failed = new InputError(`cannot serve on 127.0.0.1:${o.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`);
      stop.abort();
    }
    if (served) {
      stdout.write(`vmscope: live at ${served.url}\n`);
      stderr.write(`vmscope: recording to ${out}${o.out === null ? ' (in the current folder; -o FILE names it)' : ''}; Ctrl-C stops it\n`);
      if (o.open) openBrowser(served.url, ctx.env, process.platform, stderr);
      ctx.onServing?.(served, hub);
    }
  }
  const result = await recording;
  hub.end(result === 0 ? 'stopped' : 'the recording stopped');
  if (served) {
    served.close();
    await served.stopped;
  }
  if (failed) throw failed;
  if (hub.count > 0) stderr.write(`vmscope: the recording is ${out} (${hub.count} moment${hub.count === 1 ? '' : 's'}): vmscope open ${out}\n`);
  return result;
}

/** `vmscope open --live` as main runs it: SIGINT and SIGTERM stop it cleanly. */
export async function liveCommand(o: LiveOpenOptions, io: CliIo = processIo()): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runLive(o, { signal: stop.signal, stdout: io.stdout, stderr: io.stderr, env: io.env as NodeJS.ProcessEnv, proc: io.env.VMSCOPE_PROC || '/proc', dir: appDir(io.env as NodeJS.ProcessEnv) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
