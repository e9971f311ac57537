// The page's side of the parse worker. One worker, started on first use, given one job at a time
// (a dump to parse, a share link or .vmscope file to open); answers find their caller by id.
//
// Watchdog: each job has a time budget that grows with its input (budgetMs). A job still running
// when its budget is spent (a line that sends the scanner into a loop, anything else that never
// ends) is stopped: the worker is terminated, the job fails with a WatchdogError that says so,
// and the next job gets a fresh worker. A job whose caller gave up (its AbortSignal, e.g. another
// file was dropped meanwhile) is stopped the same way, without a message.
//
// The worker is started by spawn.ts (from its own file), or in the one-file report by
// spawn.inline.ts (from a blob: URL, its code inside the page).
//
// If the worker cannot be constructed (no Worker, blocked by a policy) or dies loading its script,
// the work falls back to the main thread, loaded on demand (there is no watchdog there: a main
// thread cannot be stopped from outside).

import { formatBytes, unpackModel } from '../../lib/index.ts';
import type { Model, Summary } from '../../lib/index.ts';
import type { ShareView } from '../../lib/share/codec.ts';
import type { LayoutHints } from '../../lib/index.ts';
import { Series } from '../../lib/series/series.ts';
import type { SeriesStats } from '../../lib/series/stats.ts';
import type { LinkResult, LiveResult, ParseResult, ReadInput, ReadJobResult, WorkerJob, WorkerRequest, WorkerResponse } from './protocol.ts';
import { startParseWorker } from './spawn.ts';

export type ParsedWhere = 'worker' | 'main thread';

/** What the page gets back: the worker's result with the model unpacked, and where it was parsed. */
export type Analysis = Omit<ParseResult, 'packed'> & { model: Model; where: ParsedWhere };

/** A share link or .vmscope file, opened. */
export interface OpenedLink {
  model: Model;
  summary: Summary;
  view: ShareView;
  addressesHidden: boolean;
  ms: number;
  where: ParsedWhere;
}

// ---- budgets -------------------------------------------------------------------------------------

/**
 * How long a job may run. bench:parse reads a dump at ~180 MB/s in Node (~6 ms per MiB), and the
 * app shows a 1M-area (80 MB) dump 1 s after it was chosen (bench:render: ~13 ms per MiB, worker
 * included); bench:share decodes 100k areas (a 188 KB link) in ~130 ms, ~0.8 s per MiB of link.
 * The budgets allow about 40 and 50 times that, over a floor for a slow or busy machine: 15 s plus
 * 0.5 s per MiB of a dump (115 s at the 200 MiB cap), 15 s plus 40 s per MiB of a link or
 * .vmscope file (their bytes unpack to far more).
 */
export const BUDGET = { floorMs: 15_000, dumpMsPerMiB: 500, linkMsPerMiB: 40_000 };

export function budgetMs(kind: 'dump' | 'link', bytes: number): number {
  const perMiB = kind === 'dump' ? BUDGET.dumpMsPerMiB : BUDGET.linkMsPerMiB;
  return Math.round(BUDGET.floorMs + (perMiB * bytes) / (1 << 20));
}

// ---- the client ------------------------------------------------------------------------------------

/** The part of a Worker the client uses (a fake one in the tests). */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  terminate(): void;
}

/** A job stopped by the watchdog. */
export class WatchdogError extends Error {}

/** The worker could not be started or died loading: the caller does the work on the main thread. */
export class NoWorker extends Error {}

export interface JobOptions {
  /** The input's name, for the watchdog's message ("vmscope stopped reading NAME …"). */
  name: string;
  /** The input's size in bytes (the budget grows with it). */
  bytes: number;
  budgetMs: number;
  transfer?: Transferable[];
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

interface Job {
  id: number;
  job: WorkerJob;
  options: JobOptions;
  resolve: (value: ParseResult | LinkResult | ReadJobResult | LiveResult) => void;
  reject: (reason: Error) => void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

function aborted(): Error {
  return new DOMException('The read was superseded.', 'AbortError');
}

export class WorkerClient {
  private worker: WorkerLike | null | undefined; // undefined: none running (start one on demand); null: unavailable
  private nextId = 1;
  private queue: Job[] = [];
  private running: { job: Job; timer: unknown; started: number } | null = null;
  /** Test hook: the next job hangs, with this budget (window.__vmscope.hangNextRead). */
  private hangNext: number | null = null;
  /** Workers started so far (the first, and one after each job stopped). */
  started = 0;

  constructor(
    private readonly create: () => WorkerLike,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Run a job in the worker. Rejects with WatchdogError past its budget, NoWorker without a worker. */
  run(job: WorkerJob, options: JobOptions): Promise<ParseResult | LinkResult | ReadJobResult | LiveResult> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(aborted());
      const entry: Job = { id: this.nextId++, job, options, resolve, reject };
      if (this.hangNext !== null) {
        entry.job = { kind: 'hang' };
        entry.options = { ...options, budgetMs: this.hangNext, transfer: [] };
        this.hangNext = null;
      }
      this.queue.push(entry);
      options.signal?.addEventListener('abort', () => this.abort(entry), { once: true });
      this.next();
    });
  }

  /** Test hook: the next job keeps the worker busy forever, and its budget is `budgetMs`. */
  hangNextJob(budgetMs: number): void {
    this.hangNext = budgetMs;
  }

  private abort(entry: Job): void {
    const k = this.queue.indexOf(entry);
    if (k >= 0) {
      this.queue.splice(k, 1);
      entry.reject(aborted());
    } else if (this.running?.job === entry) this.stop(aborted());
  }

  private spawn(): WorkerLike | null {
    if (this.worker !== undefined) return this.worker;
    try {
      const w = this.create();
      w.onmessage = (event) => this.answer(w, event.data);
      w.onerror = (event) => {
        event.preventDefault();
        if (w === this.worker) this.giveUp();
      };
      this.worker = w;
      this.started++;
    } catch {
      this.worker = null;
    }
    return this.worker;
  }

  /** Start the next queued job if the worker is free. */
  private next(): void {
    if (this.running || this.queue.length === 0) return;
    const w = this.spawn();
    if (!w) {
      this.giveUp();
      return;
    }
    const entry = this.queue.shift()!;
    const timer = this.timers.setTimeout(() => this.overrun(entry), entry.options.budgetMs);
    this.running = { job: entry, timer, started: this.timers.now() };
    w.postMessage({ ...entry.job, id: entry.id } as WorkerRequest, entry.options.transfer ?? []);
  }

  private answer(from: WorkerLike, msg: WorkerResponse): void {
    const r = this.running;
    if (from !== this.worker || !r || r.job.id !== msg.id) return;
    if ('progress' in msg) {
      r.job.options.onProgress?.(msg.progress);
      return;
    }
    this.timers.clearTimeout(r.timer);
    this.running = null;
    if (msg.ok) r.job.resolve(msg.result);
    else r.job.reject(new Error(msg.error));
    this.next();
  }

  private overrun(entry: Job): void {
    const r = this.running;
    if (!r || r.job !== entry) return;
    const seconds = Math.round((this.timers.now() - r.started) / 1000);
    const { name, bytes } = entry.options;
    this.stop(
      new WatchdogError(
        `vmscope stopped reading ${name} after ${seconds} s: far longer than ${formatBytes(bytes)} takes, so something in it kept the reader busy. The reader was restarted; please report the file if you can.`,
      ),
    );
  }

  /** Terminate the worker running a job, fail the job, and go on with a fresh worker. */
  private stop(reason: Error): void {
    const r = this.running;
    if (!r) return;
    this.timers.clearTimeout(r.timer);
    this.running = null;
    this.worker?.terminate();
    this.worker = undefined;
    r.job.reject(reason);
    this.next();
  }

  /** No worker: every job waiting, and the one running, goes to the main thread. */
  private giveUp(): void {
    this.worker?.terminate();
    this.worker = null;
    const waiting = [...(this.running ? [this.running.job] : []), ...this.queue];
    if (this.running) this.timers.clearTimeout(this.running.timer);
    this.running = null;
    this.queue = [];
    for (const entry of waiting) entry.reject(new NoWorker('no worker'));
  }
}

// ---- the app's worker ------------------------------------------------------------------------------

export const client = new WorkerClient(startParseWorker);

function receivedDump(result: ParseResult, where: ParsedWhere): Analysis {
  const { packed, ...rest } = result;
  return { ...rest, model: unpackModel(packed), where };
}

function receivedLink(result: LinkResult, where: ParsedWhere): OpenedLink {
  const { packed, ...rest } = result;
  return { ...rest, model: unpackModel(packed), where };
}

/** A series, unpacked, with its figures and its latest moment (the one shown first) analysed. */
export interface SeriesRead {
  kind: 'series';
  series: Series;
  stats: SeriesStats;
  how: string;
  notes: string[];
  hints: LayoutHints;
  latest: Analysis;
}

/** What reading inputs gives: one dump as before, or a series. */
export type InputsRead = ({ kind: 'single' } & Analysis) | SeriesRead;

function receivedRead(result: ReadJobResult, where: ParsedWhere): InputsRead {
  if (result.kind === 'single') {
    const { kind, ...rest } = result;
    return { kind, ...receivedDump(rest, where) };
  }
  const { series, latest, ...rest } = result;
  return { ...rest, series: Series.unpack(series), latest: receivedDump(latest, where) };
}

export interface ReadOptions {
  /** The input's name, for the watchdog's message. */
  name: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Parse a dump, summarise it and build its model, in the worker when there is one. */
export async function analyzeInBackground(bytes: ArrayBuffer, options: ReadOptions): Promise<Analysis> {
  try {
    const result = await client.run({ kind: 'parse', bytes }, { ...options, bytes: bytes.byteLength, budgetMs: budgetMs('dump', bytes.byteLength) });
    return receivedDump(result as ParseResult, 'worker');
  } catch (err) {
    if (!(err instanceof NoWorker)) throw err;
    const { analyze } = await import('./analyze.ts');
    return receivedDump(analyze(new Uint8Array(bytes)).result, 'main thread');
  }
}

/** Open a share link's text or a .vmscope file's bytes, in the worker when there is one. Throws an Error saying what is wrong. */
export async function openInBackground(from: { text: string } | { bytes: ArrayBuffer }, options: ReadOptions): Promise<OpenedLink> {
  const size = 'text' in from ? from.text.length : from.bytes.byteLength;
  const job: WorkerJob = 'text' in from ? { kind: 'link', text: from.text } : { kind: 'share-file', bytes: from.bytes };
  try {
    const result = await client.run(job, { ...options, bytes: size, budgetMs: budgetMs('link', size) });
    return receivedLink(result as LinkResult, 'worker');
  } catch (err) {
    if (!(err instanceof NoWorker)) throw err;
    const { openShared } = await import('./openLink.ts');
    const { result } = await openShared('text' in from ? from : { bytes: new Uint8Array(from.bytes) });
    return receivedLink(result, 'main thread');
  }
}

/**
 * Read inputs (one, or several files at once) as one dump or a series, in the worker when there is
 * one. The budget is the dump budget of their bytes together.
 */
export async function readInBackground(inputs: ReadInput[], options: ReadOptions): Promise<InputsRead> {
  const bytes = inputs.reduce((sum, x) => sum + x.bytes.byteLength, 0);
  try {
    const result = await client.run({ kind: 'read', inputs }, { ...options, bytes, budgetMs: budgetMs('dump', bytes) });
    return receivedRead(result as ReadJobResult, 'worker');
  } catch (err) {
    if (!(err instanceof NoWorker)) throw err;
    const { readAll } = await import('./analyze.ts');
    return receivedRead((await readAll(inputs)).result, 'main thread');
  }
}

/**
 * A live recording's figures, kept in the worker (live.ts): `start` gives it the recording as the
 * page loaded it, `append` new frames (the page appends the same frames to its own series) and
 * resolves to the figures of the grown series. Without a worker, the same on the main thread.
 */
export const liveInBackground = {
  async start(live: number, bytes: ArrayBuffer): Promise<void> {
    try {
      await client.run({ kind: 'live-start', live, bytes }, { name: 'the live recording', bytes: bytes.byteLength, budgetMs: budgetMs('dump', bytes.byteLength) });
    } catch (err) {
      if (!(err instanceof NoWorker)) throw err;
      const { liveStart } = await import('./live.ts');
      liveStart(live, new Uint8Array(bytes));
    }
  },
  async append(live: number, frames: Uint8Array[]): Promise<LiveResult> {
    const buffers = frames.map((f) => f.slice().buffer);
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    try {
      return (await client.run({ kind: 'live-append', live, frames: buffers }, { name: 'the live recording', bytes, budgetMs: budgetMs('dump', bytes), transfer: buffers })) as LiveResult;
    } catch (err) {
      if (!(err instanceof NoWorker)) throw err;
      const { liveAppend } = await import('./live.ts');
      return liveAppend(live, frames);
    }
  },
};
