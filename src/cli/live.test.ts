import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes } from '../lib/bytes.ts';
import { decodeRecording, recordingToSeries } from '../lib/series/recording.ts';
import { areaLines, bytesOfLines, changingVersions } from '../lib/testing/series.ts';
import { LiveHub, defaultLiveName, runLive } from './live.ts';
import type { Served } from './open.ts';
import { parseOpenArgs } from './open.ts';
import { runCli } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-live-'));
let serial = 0;

function fakeApp(): string {
  const app = join(dir, `app-${serial++}`);
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>vmscope</title>');
  return app;
}

function fakeProc(text: string): string {
  const proc = join(dir, `proc-${serial++}`);
  mkdirSync(join(proc, 'sys/kernel'), { recursive: true });
  writeFileSync(join(proc, 'vmallocinfo'), text);
  writeFileSync(join(proc, 'sys/kernel/hostname'), 'testhost\n');
  return proc;
}

/** Versions of a real dump: lines dropped and thread stacks added from one to the next. */
const versions = changingVersions({ count: 8, dropEvery: 9, stacksPer: 2 });

/** One server-sent event. */
interface Event {
  id: string | null;
  event: string;
  data: string;
}

/** A GET of an event stream: its status, the events as they come, and a way to hang up. */
function stream(port: number, path: string, headers: Record<string, string> = {}): { status: Promise<number>; events: Event[]; close(): void; ended: Promise<void> } {
  const events: Event[] = [];
  let close = () => {};
  let done: () => void = () => {};
  const ended = new Promise<void>((resolve) => (done = resolve));
  const status = new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      resolve(res.statusCode ?? 0);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: Event = { id: null, event: 'message', data: '' };
          let has = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line === '') continue;
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') e.id = value;
            else if (field === 'event') e.event = value;
            else if (field === 'data') {
              e.data = value;
              has = true;
            }
          }
          if (has) events.push(e);
        }
      });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end();
    close = () => req.destroy();
  });
  return { status, events, close: () => close(), ended };
}

/** Areas and bytes per moment of recording bytes, read back as any recording is. */
function momentsOf(bytes: Uint8Array): { areas: number; bytes: number }[] {
  const { series } = recordingToSeries(decodeRecording(bytes));
  if (!series) return [];
  return Array.from({ length: series.count }, (_, i) => {
    const s = series.snapshot(i);
    let b = 0;
    for (let a = 0; a < s.count; a++) b += s.columns.size[a];
    return { areas: s.count, bytes: b };
  });
}

const expected = versions.map((v) => ({ areas: areaLines(v).length, bytes: bytesOfLines(areaLines(v)) }));

/** runLive against a fake /proc that takes the next version after each moment, stopped by the returned controller. */
function startLive(every = 60, out = join(dir, `live-${serial++}.vmscope-rec`)) {
  const proc = fakeProc(versions[0]);
  const stop = new AbortController();
  const stderr = new PassThrough();
  const stdout = new PassThrough();
  let said = '';
  stderr.on('data', (c: Buffer) => (said += c.toString()));
  stdout.on('data', (c: Buffer) => (said += c.toString()));
  let taken = 0;
  let onMoment: (index: number) => void = () => {};
  let ready: (v: { served: Served; hub: LiveHub }) => void = () => {};
  const serving = new Promise<{ served: Served; hub: LiveHub }>((resolve) => (ready = resolve));
  const done = runLive(
    { live: true, every, out, port: 0, open: false },
    {
      signal: stop.signal,
      proc,
      dir: fakeApp(),
      stdout,
      stderr,
      onServing: (served, hub) => ready({ served, hub }),
      onMoment: ({ index }) => {
        taken = index + 1;
        if (taken < versions.length) writeFileSync(join(proc, 'vmallocinfo'), versions[taken]);
        onMoment(index);
      },
    },
  );
  running.push(stop);
  const moments = (n: number) =>
    new Promise<void>((resolve) => {
      if (taken >= n) return resolve();
      onMoment = () => taken >= n && resolve();
    });
  return { out, stop, done, serving, moments, said: () => said, proc };
}

const running: AbortController[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.abort();
});

describe('vmscope open --live: the server', () => {
  it('streams each new moment as an event whose frame, after the recording so far, reads as the areas written to /proc', async () => {
    const live = startLive(80);
    const { served } = await live.serving;
    const dump = await fetch(`http://127.0.0.1:${served.port}/dump?token=${served.token}`);
    expect(dump.status).toBe(200);
    const so = new Uint8Array(await dump.arrayBuffer());
    const had = Number(dump.headers.get('x-vmscope-moments'));
    expect(had).toBeGreaterThanOrEqual(1);
    expect(dump.headers.get('x-vmscope-every')).toBe('80');
    expect(momentsOf(so)).toEqual(expected.slice(0, had));
    const s = stream(served.port, `/live?token=${served.token}&from=${had}`);
    expect(await s.status).toBe(200);
    await live.moments(had + 4);
    await new Promise((r) => setTimeout(r, 30));
    s.close();
    const got = s.events.filter((e) => e.event === 'moment');
    expect(got.length).toBeGreaterThanOrEqual(4);
    expect(got.map((e) => Number(e.id))).toEqual(got.map((_, k) => had + k));
    const whole = concatBytes([so, ...got.map((e) => new Uint8Array(Buffer.from(e.data, 'base64')))]);
    expect(momentsOf(whole)).toEqual(expected.slice(0, had + got.length));
    live.stop.abort();
    expect(await live.done).toBe(0);
  });

  it('gives a reconnecting page (Last-Event-ID) only the moments after its last one, and from=N the moments from N', async () => {
    const live = startLive(40);
    const { served } = await live.serving;
    await live.moments(4);
    const again = stream(served.port, `/live?token=${served.token}&from=0`, { 'Last-Event-ID': '1' });
    const from = stream(served.port, `/live?token=${served.token}&from=3`);
    await new Promise((r) => setTimeout(r, 20));
    live.stop.abort();
    await live.done;
    await Promise.all([again.ended, from.ended]);
    const ids = (s: { events: Event[] }) => s.events.filter((e) => e.event === 'moment').map((e) => Number(e.id));
    const a = ids(again);
    expect(a[0]).toBe(2);
    expect(a).toEqual(a.map((_, k) => 2 + k));
    expect(ids(from)[0]).toBe(3);
    expect(ids(from)).toEqual(ids(from).map((_, k) => 3 + k));
    // Both heard that the recording stopped.
    expect(again.events.at(-1)!.event).toBe('end');
    expect(from.events.at(-1)!.event).toBe('end');
    expect((await stream(served.port, `/live?token=${served.token}&from=x`).status.catch(() => 0)) === 200).toBe(false);
  });

  it('refuses /live without the token, with a wrong one, or with another Host, as it refuses /dump', async () => {
    const live = startLive(1000);
    const { served } = await live.serving;
    const wrong = served.token.slice(0, -1) + (served.token.endsWith('A') ? 'B' : 'A');
    for (const path of ['/live', `/live?token=${wrong}`, `/live?token=${served.token}x`, `/live?token=`]) expect(await stream(served.port, path).status, path).toBe(403);
    for (const host of ['evil.example', `evil.example:${served.port}`, `127.0.0.1:${served.port + 1}`]) expect(await stream(served.port, `/live?token=${served.token}`, { host }).status, host).toBe(403);
    const ok = stream(served.port, `/live?token=${served.token}`, { host: `localhost:${served.port}` });
    expect(await ok.status).toBe(200);
    ok.close();
    const bad = stream(served.port, `/live?token=${served.token}&from=-1`);
    expect(await bad.status).toBe(400);
    live.stop.abort();
    await live.done;
  });

  it('leaves a complete recording at -o FILE once stopped, says where it is, and stops serving', async () => {
    const live = startLive(40);
    const { served } = await live.serving;
    expect(served.url).toBe(`http://127.0.0.1:${served.port}/#live=${served.token}`);
    await live.moments(5);
    live.stop.abort();
    expect(await live.done).toBe(0);
    const file = new Uint8Array(readFileSync(live.out));
    const decoded = decodeRecording(file);
    expect(decoded.problem).toBeNull();
    const n = decoded.frames.length;
    expect(n).toBeGreaterThanOrEqual(5);
    expect(momentsOf(file)).toEqual(expected.slice(0, n));
    expect(live.said()).toContain(`live at ${served.url}`);
    expect(live.said()).toContain(`the recording is ${live.out} (${n} moments)`);
    await expect(fetch(`http://127.0.0.1:${served.port}/`)).rejects.toThrow();
  });

  it('fails with the reason, serving nothing, when /proc/vmallocinfo cannot be read', async () => {
    const proc = join(dir, `proc-${serial++}`);
    mkdirSync(proc);
    const out = join(dir, `none-${serial++}.vmscope-rec`);
    await expect(runLive({ live: true, every: 50, out, port: 0, open: false }, { proc, dir: fakeApp(), stdout: new PassThrough(), stderr: new PassThrough() })).rejects.toThrow(/cannot read .*vmallocinfo/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('vmscope open --live: the command line', () => {
  it('reads --live, --every and -o, and refuses a FILE, --keep, or --every without --live', () => {
    expect(parseOpenArgs(['--live'])).toEqual({ live: true, every: 10000, out: null, port: 0, open: true });
    expect(parseOpenArgs(['--live', '--every', '2s', '-o', 'x.rec', '--no-open', '--port=9'])).toEqual({ live: true, every: 2000, out: 'x.rec', port: 9, open: false });
    expect(parseOpenArgs(['--live', '--every=500ms', '--out=y'])).toMatchObject({ every: 500, out: 'y' });
    expect(() => parseOpenArgs(['--live', 'dump.txt'])).toThrow(/takes no FILE/);
    expect(() => parseOpenArgs(['--live', '--keep'])).toThrow(/--keep/);
    expect(() => parseOpenArgs(['--live', '--every', '5ms'])).toThrow(/--every/);
    expect(() => parseOpenArgs(['--live', '-o'])).toThrow(/file name/);
    expect(() => parseOpenArgs(['x', '--every', '1s'])).toThrow(/--every goes with --live/);
    expect(() => parseOpenArgs(['x', '-o', 'y'])).toThrow(/-o goes with --live/);
  });

  it('goes through vmscope open --live in-process: a /proc without vmallocinfo is exit 1 with the reason on stderr, nothing served', async () => {
    const proc = join(dir, `proc-${serial++}`);
    mkdirSync(proc);
    const out = join(dir, `cli-${serial++}.vmscope-rec`);
    const r = await runCli(['open', '--live', '--every', '50ms', '-o', out, '--no-open'], { env: { VMSCOPE_PROC: proc, VMSCOPE_APP_DIR: fakeApp() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read ${proc}/vmallocinfo`);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('names the recording after the host and the time when -o is not given', () => {
    expect(defaultLiveName('db01.example', new Date(2026, 10, 30, 7, 1, 2))).toBe('vmscope-live-db01.example-20261130-070102.vmscope-rec');
    expect(defaultLiveName('../evil/host', new Date(2026, 0, 2, 3, 4, 5))).toBe('vmscope-live-evil_host-20260102-030405.vmscope-rec');
  });
});
