// npm run bench:timeline — a day of one host, and the real series, as a series:
// - sizes: the plain-text log (`date -Is; cat /proc/vmallocinfo` every minute) against the same
//   moments as a recording (`vmscope record`'s Recorder), goal ≤ 5 %;
// - `vmscope timeline` on the recording and on the text log, spawned as a user runs it
//   (`node src/cli/vmscope.mjs timeline …`, goal ≤ 1.5 s), against a bare `node -e ''` started the
//   same way, and in-process (readSeries + seriesStats + what grew);
// - scrubbing: moving moment to moment (series.snapshot(i) + buildModel + summarize), median and
//   p95 over every moment (goal median ≤ 16 ms);
// - memory per moment: heap (and typed-array buffers) held by the loaded series / moments, against
//   one full model;
// - in the app: open the day's recording in the built app (headless Debian chromium) and time it to
//   the timeline drawn (goal ≤ 3 s). --no-app skips it, --app-only measures only it, --no-build
//   uses the last build (bench/out/dist-timeline), --fresh remakes the generated day.
// The generated day is 1,440 moments of ~2,000 areas (src/lib/testing/day.ts); inputs go to bench/out.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { MAX_INPUT_BYTES, buildModel, summarize } from '../src/lib/index.ts';
import { decodeText } from '../src/lib/input/text.ts';
import { readSeries } from '../src/lib/series/read.ts';
import { Recorder, encodeHeader } from '../src/lib/series/recording.ts';
import { splitRounds } from '../src/lib/series/rounds.ts';
import type { Series } from '../src/lib/series/series.ts';
import { dayLog, generateDay } from '../src/lib/testing/day.ts';
import { timelineOf } from '../src/cli/timeline.ts';
import { OUT, ROOT, SAMPLES } from './paths.ts';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PORT = Number(process.env.PW_PORT ?? 4175);
const RUNS = 3;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mb = (n: number) => `${(n / 1048576).toFixed(2)} MiB`;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
};
const median = (xs: number[]) => pct(xs, 0.5);
const secs = (t: { wall: number; cpu: number }) => `${(t.wall / 1000).toFixed(2)} s / ${Number.isNaN(t.cpu) ? '?' : (t.cpu / 1000).toFixed(2)} s`;

/** Moments as the recorder takes them: time and the dump's bytes. */
interface Moment {
  time: number | null;
  dump: Uint8Array;
}

function record(moments: Iterable<Moment>, host: string): Uint8Array {
  const parts: Uint8Array[] = [encodeHeader({ created: Date.UTC(2026, 10, 30), zoneMinutes: 0, pageSize: 4096, host, kernel: '', machine: 'x86_64', bootId: '', tool: 'vmscope bench' })];
  const recorder = new Recorder();
  for (const m of moments) parts.push(recorder.take({ time: m.time, zoneMinutes: 0, vmallocinfo: m.dump }).frame);
  return Buffer.concat(parts);
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Wall time of a spawned node command, and its CPU time (user + system, from /usr/bin/time: what
 * the wall time would be on an idle machine, near enough), medians of RUNS.
 */
function spawnTime(args: string[]): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    const r = TIME
      ? spawnSync(TIME, ['-f', 'vmscope-bench-cpu %U %S', process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
      : spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    walls.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const m = /vmscope-bench-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
    cpus.push(m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function inProcess(name: string, bytes: Uint8Array): { ms: number; readMs: number; series: Series } {
  const times: number[] = [];
  const reads: number[] = [];
  let series: Series | null = null;
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    const read = readSeries([{ name, bytes, mtime: null }]);
    if (read.kind !== 'series') throw new Error(`${name}: not a series (${read.kind})`);
    reads.push(performance.now() - t0);
    timelineOf(read.series);
    times.push(performance.now() - t0);
    series = read.series;
  }
  return { ms: median(times), readMs: median(reads), series: series! };
}

function scrub(series: Series): { median: number; p95: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < series.count; i++) {
    const t0 = performance.now();
    const model = buildModel(series.snapshot(i));
    summarize(model, 10);
    times.push(performance.now() - t0);
  }
  return { median: median(times), p95: pct(times, 0.95), max: Math.max(...times) };
}

function heap(): { heap: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

function memory(name: string, bytes: Uint8Array): { perMoment: number; heapPerMoment: number; model: number; moments: number } {
  const h0 = heap();
  const read = readSeries([{ name, bytes, mtime: null }]);
  const h1 = heap();
  if (read.kind !== 'series') throw new Error('not a series');
  const series = read.series;
  const last = series.count - 1;
  const snap = series.snapshot(last);
  const h2 = heap();
  const model = buildModel(snap);
  summarize(model, 10);
  const h3 = heap();
  const moments = series.count;
  const held = h1.heap + h1.buffers - h0.heap - h0.buffers;
  const out = { perMoment: held / moments, heapPerMoment: (h1.heap - h0.heap) / moments, model: h3.heap + h3.buffers - h2.heap - h2.buffers + snapBytes(snap), moments };
  // Both stay alive until measured.
  if (!model || !read) throw new Error('unreachable');
  return out;
}

/** Bytes of a snapshot's columns (part of a full model's cost, made before the model was measured). */
function snapBytes(s: ReturnType<Series['snapshot']>): number {
  return Object.values(s.columns).reduce((t, c) => t + (c as ArrayBufferView).byteLength, 0);
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

interface Hook {
  whenIdle(): Promise<void>;
  getState(): { areas: number; timeline?: { count: number; index: number; times: (number | null)[] } };
}

/** Open the recording in the built app; the time from choosing the file to the timeline drawn, or why not. */
async function inApp(file: string, moments: number): Promise<string> {
  const dist = join(OUT, 'dist-timeline');
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) return 'not measured: vite build failed';
  }
  const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const url = `http://localhost:${PORT}/`;
  try {
    await waitForServer(url);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
    try {
      const took: number[] = [];
      let where = '';
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
        await page.goto(url);
        await page.waitForFunction(() => 'whenIdle' in ((window as unknown as { __vmscope?: object }).__vmscope ?? {}));
        await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.whenIdle());
        const t0 = Date.now();
        await page.getByTestId('file-input').setInputFiles(file);
        // Opened: either the timeline holds every moment, or the app shows the recording some other way.
        const how = await page
          .waitForFunction(
            (n) => {
              const s = (window as unknown as { __vmscope: Hook }).__vmscope.getState();
              if (s.timeline && s.timeline.count === n) return 'timeline';
              const status = (s as { status?: string }).status;
              if (s.areas > 0 && !s.timeline && status === 'ready') return 'no-timeline';
              if (status === 'error') return 'error';
              return false;
            },
            moments,
            { timeout: 60_000, polling: 20 },
          )
          .then((h) => h.jsonValue())
          .catch((e: Error) => `timeout: ${e.message.split('\n')[0]}`);
        await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.whenIdle());
        const state = await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.getState().timeline);
        if (!state || state.count !== moments) {
          if (how === 'no-timeline') return `not measured: this build opens the recording without a timeline (getState().timeline is undefined once it shows ${await page.evaluate(() => (window as unknown as { __vmscope: Hook }).__vmscope.getState().areas)} areas); the app's timeline is not on this branch yet`;
          return `not measured: the app did not open the recording (${how})`;
        }
        // The strip on screen and painted: two animation frames after it is there.
        await page.getByTestId('timeline').waitFor({ state: 'visible', timeout: 30_000 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        took.push(Date.now() - t0);
        where = `${state.count} moments, on moment ${state.index + 1}`;
        if (run === 0) await page.screenshot({ path: join(OUT, 'timeline-app.png') });
        await page.close();
      }
      return `${(median(took) / 1000).toFixed(2)} s to the timeline drawn, median of ${RUNS} (${took.map((t) => (t / 1000).toFixed(2)).join(', ')} s; ${where}; screenshot bench/out/timeline-app.png)  (goal <= 3 s)`;
    } finally {
      await browser.close();
    }
  } catch (e) {
    return `not measured: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log(`bench:timeline  (${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the start: times on a busy machine run long)`);

  // Inputs: the generated day (deterministic: kept in bench/out between runs; --fresh remakes it), and the real series.
  const t0 = performance.now();
  const dayLogFile = join(OUT, 'day.log');
  const dayRecFile = join(OUT, 'day.vmscope-rec');
  const dayPartFile = join(OUT, 'day-part.log');
  let dayText: Buffer;
  let dayRec: Buffer;
  let dayPartMoments: number;
  const cached = !process.argv.includes('--fresh') && [dayLogFile, dayRecFile, dayPartFile].every((f) => existsSync(f));
  if (cached) {
    dayText = readFileSync(dayLogFile);
    dayRec = readFileSync(dayRecFile);
    dayPartMoments = splitRounds(readFileSync(dayPartFile)).rounds.length;
  } else {
    const day = generateDay();
    dayText = Buffer.from(dayLog(day));
    dayRec = Buffer.from(record(
      day.map((m) => ({ time: m.time, dump: Buffer.from(m.dump) })),
      'bench-day',
    ));
    writeFileSync(dayLogFile, dayText);
    writeFileSync(dayRecFile, dayRec);
    // The moments of the day whose text log fits under the input cap.
    let size = 0;
    dayPartMoments = 0;
    for (const m of day) {
      size += Buffer.byteLength(`${m.stamp}\n${m.dump}`);
      if (size > MAX_INPUT_BYTES) break;
      dayPartMoments++;
    }
    writeFileSync(dayPartFile, dayLog(day.slice(0, dayPartMoments)));
  }
  const dayCount = readSeries([{ name: 'day', bytes: dayRec, mtime: null }]);
  const dayMoments = dayCount.kind === 'series' ? dayCount.series.count : 1;
  console.log(`  generated day: ${dayMoments} moments of ~2,000 areas (${cached ? 'kept from the last run; --fresh remakes it' : `made in ${((performance.now() - t0) / 1000).toFixed(1)} s`})`);
  if (process.argv.includes('--app-only')) {
    console.log(`\n  in the app: open the day's recording to the timeline drawn (headless chromium)\n  ${await inApp(dayRecFile, dayMoments)}`);
    return;
  }

  const realFile = join(SAMPLES, 'series', 'host-6.18-hashed-date-Is.txt.gz');
  const realText = gunzipSync(readFileSync(realFile));
  const rounds = splitRounds(decodeText(realText).bytes).rounds;
  const realRec = record(
    rounds.map((r) => ({ time: r.stamp?.ms ?? null, dump: r.bytes })),
    'bench-real',
  );
  const realLogFile = join(OUT, 'real-series.log');
  const realRecFile = join(OUT, 'real-series.vmscope-rec');
  writeFileSync(realLogFile, realText);
  writeFileSync(realRecFile, realRec);

  console.log('\n  size                         text log        recording   ratio  (goal <= 5 %)');
  for (const [name, text, rec, n] of [
    ['generated day', dayText, dayRec, dayMoments],
    ['real series (6.18, hashed)', realText, realRec, rounds.length],
  ] as const) {
    console.log(`  ${`${name}, ${n} moments`.padEnd(36)} ${mb(text.length).padStart(10)}  ${kb(rec.length).padStart(12)}  ${((100 * rec.length) / text.length).toFixed(2).padStart(5)} %   (${text.length.toLocaleString('en-US')} → ${rec.length.toLocaleString('en-US')} bytes)`);
  }

  // vmscope timeline, spawned as a user runs it, against a bare node start.
  const bare = spawnTime(['-e', '']);
  console.log(`\n  vmscope timeline, spawned: wall time / CPU time (user + system), medians of ${RUNS}; a bare node -e '' start: ${ms(bare.wall)} / ${ms(bare.cpu)}   goal <= 1.5 s`);
  const over = spawnSync(process.execPath, ['src/cli/vmscope.mjs', 'timeline', dayLogFile], { cwd: ROOT, encoding: 'utf8' });
  console.log(`  day text log, whole (${mb(dayText.length)}): ${over.status === 0 ? 'read' : `refused, exit ${over.status}: ${over.stderr.trim().replace(/^vmscope: /, '')}`}`);
  for (const [name, file] of [
    ['day recording', dayRecFile],
    [`day text log, first ${dayPartMoments} moments (${mb(statSync(dayPartFile).size)}, what fits under the cap)`, dayPartFile],
    ['real recording', realRecFile],
    ['real text log (gzip)', realFile],
  ] as const) {
    const text = spawnTime(['src/cli/vmscope.mjs', 'timeline', file]);
    const json = spawnTime(['src/cli/vmscope.mjs', 'timeline', file, '--json']);
    console.log(`  ${name}: ${secs(text)} text, ${secs(json)} --json   (wall ${(text.wall / bare.wall).toFixed(1)}× a bare node start)`);
  }
  const tsx = spawnTime(['src/cli/vmscope.mjs', '--help']);
  console.log(`  (vmscope --help, the tsx loader and the imports alone: ${secs(tsx)})`);

  console.log('\n  in-process: readSeries + seriesStats + what grew (median of 3)');
  const inDay = inProcess('day.vmscope-rec', dayRec);
  const inDayLog = inProcess('day.log', dayText); // the whole day: the cap is the CLI's and the app's, not readSeries'

  const inReal = inProcess('real.vmscope-rec', realRec);
  const inRealLog = inProcess('real.log', realText);
  for (const [name, r] of [
    ['day recording', inDay],
    [`day text log, whole (${mb(dayText.length)}, no cap in-process)`, inDayLog],
    ['real recording', inReal],
    ['real text log', inRealLog],
  ] as const) {
    console.log(`  ${name}: ${ms(r.ms)} (readSeries ${ms(r.readMs)}, seriesStats + what grew ${ms(r.ms - r.readMs)})`);
  }

  console.log('\n  scrubbing moment to moment: series.snapshot(i) + buildModel + summarize, every moment in order');
  for (const [name, series] of [
    ['generated day', inDay.series],
    ['real series', inReal.series],
  ] as const) {
    const s = scrub(series);
    console.log(`  ${name.padEnd(14)} ${series.count} moments: median ${ms(s.median)}, p95 ${ms(s.p95)}, max ${ms(s.max)}   (goal median <= 16 ms)`);
  }

  console.log('\n  memory (after gc; heap + typed-array buffers)');
  for (const [name, bytes] of [
    ['generated day', dayRec],
    ['real series', realRec],
  ] as const) {
    const m = memory(name, bytes);
    console.log(
      `  ${name.padEnd(14)} the loaded series: ${kb(m.perMoment)} per moment (${mb(m.perMoment * m.moments)} for ${m.moments}; heap alone ${kb(m.heapPerMoment)}/moment); one full model of its last moment: ${kb(m.model)}  → ${(m.model / Math.max(1, m.perMoment)).toFixed(0)}× a moment of the series`,
    );
  }

  console.log('\n  in the app: open the day\'s recording to the timeline drawn (headless chromium)');
  if (process.argv.includes('--no-app')) console.log('  not measured: --no-app');
  else console.log(`  ${await inApp(dayRecFile, dayMoments)}`);
  console.log(`\n  load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`  files: ${dayLogFile} (${statSync(dayLogFile).size.toLocaleString('en-US')} bytes), ${dayRecFile}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
