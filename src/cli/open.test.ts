import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTar, parseTar } from 'nanotar';
import { openSource } from '../lib/sources/open.ts';
import { appDir, appPath, openBrowser, parseOpenArgs, serveDump } from './open.ts';
import type { Served } from './open.ts';
import { runCli } from './testing.ts';
import type { CliResult } from './testing.ts';

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));
const SAMPLE = sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');

/** A stand-in for the built app: index.html, an asset, the bundled CLI in cli/, and a secret next to the folder. */
function fakeApp(): string {
  const top = mkdtempSync(join(tmpdir(), 'vmscope-open-'));
  const dir = join(top, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'cli'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>vmscope</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(dir, 'cli', 'vmscope.js'), '// the CLI');
  writeFileSync(join(top, 'package.json'), '{"secret": true}');
  return dir;
}

/** A raw HTTP request (node's fetch would normalise the path and refuses to set Host). */
function get(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const running: Served[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.close();
});

/**
 * `vmscope ...args` in-process, serving the fake app: `line` is the first line it prints (where it
 * serves), as soon as it is printed, while the command runs on; `done` is how it ended.
 */
function openCli(args: string[]): { line: Promise<string>; done: Promise<CliResult> } {
  let first!: (line: string) => void;
  const printed = new Promise<string>((resolve) => (first = resolve));
  const done = runCli(args, { env: { VMSCOPE_APP_DIR: fakeApp() }, onStdoutLine: (l) => first(l) });
  const ended = done.then((r) => Promise.reject(new Error(`vmscope ${args.join(' ')} ended (${r.code}) before printing a line: ${r.stderr}`)));
  return { line: Promise.race([printed, ended]), done };
}

async function serve(keep = false, bytes: Uint8Array = readFileSync(SAMPLE)): Promise<Served> {
  const served = await serveDump({ bytes, name: 'my dump.txt', port: 0, keep, dir: fakeApp(), lingerMs: 50 });
  running.push(served);
  return served;
}

describe('vmscope open: the server', () => {
  it('serves the app index at / and its assets, with nosniff and the URL on 127.0.0.1 carrying the token in its fragment', async () => {
    const s = await serve();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/#open=${s.token}`);
    // 16 random bytes in base64url: 22 characters, 128 bits.
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const index = await fetch(`http://127.0.0.1:${s.port}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>vmscope</title>');
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`http://localhost:${s.port}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses the dump without the token or with a wrong one, and gives its exact bytes with it, not to be stored', async () => {
    const s = await serve(true);
    expect((await fetch(`http://127.0.0.1:${s.port}/dump`)).status).toBe(403);
    const wrong = s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A');
    expect((await fetch(`http://127.0.0.1:${s.port}/dump?token=${wrong}`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${s.port}/dump?token=${s.token}x`)).status).toBe(403);
    const ok = await fetch(`http://127.0.0.1:${s.port}/dump?token=${s.token}`);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(readFileSync(SAMPLE))).toBe(true);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(decodeURIComponent(ok.headers.get('x-vmscope-name') ?? '')).toBe('my dump.txt');
  });

  it('refuses a request whose Host is not 127.0.0.1 or localhost at its port (DNS rebinding)', async () => {
    const s = await serve(true);
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, '127.0.0.1', `localhost.evil.example:${s.port}`]) {
      expect((await get(s.port, '/', { host })).status).toBe(403);
      expect((await get(s.port, `/dump?token=${s.token}`, { host })).status).toBe(403);
    }
    expect((await get(s.port, '/', { host: `localhost:${s.port}` })).status).toBe(200);
  });

  it('serves nothing outside the app folder, nothing under cli/ and no directory listing', async () => {
    const s = await serve(true);
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/assets/..%2f..%2fpackage.json', '/..%5cpackage.json', '/cli/vmscope.js', '/assets/', '/assets', '/%00index.html', '/%zz', '//etc/passwd']) {
      const r = await get(s.port, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString()).not.toContain('secret');
    }
    expect((await get(s.port, 'index.html')).status).toBe(400);
  });

  it('answers 405 to a POST, a PUT or a DELETE, and a HEAD of the dump does not count as fetching it', async () => {
    const s = await serve();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect((await get(s.port, '/', { method })).status).toBe(405);
    const head = await get(s.port, `/dump?token=${s.token}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect((await get(s.port, '/')).status).toBe(200);
  });

  it('stops once the dump has been fetched, and keeps serving with --keep', async () => {
    const s = await serve(false);
    const kept = await serve(true);
    await (await fetch(`http://127.0.0.1:${s.port}/dump?token=${s.token}`)).arrayBuffer();
    await (await fetch(`http://127.0.0.1:${kept.port}/dump?token=${kept.token}`)).arrayBuffer();
    expect(await s.stopped).toBe('fetched');
    await expect(fetch(`http://127.0.0.1:${s.port}/`)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 150));
    expect((await fetch(`http://127.0.0.1:${kept.port}/`)).status).toBe(200);
    kept.close();
    expect(await kept.stopped).toBe('closed');
  });
});

describe('vmscope open: paths', () => {
  it('maps / to index.html and a plain path to itself', () => {
    expect(appPath('/')).toBe('index.html');
    expect(appPath('/assets/index-abc.js')).toBe('assets/index-abc.js');
    expect(appPath('/samples/kernels/x.vmallocinfo')).toBe('samples/kernels/x.vmallocinfo');
  });

  it('never names a path that leaves the folder, is hidden or is under cli/, for any request path (fuzzed)', () => {
    const piece = fc.constantFrom('..', '.', '', 'a', 'cli', '%2e', '%2E%2e', '%2f', '%5c', '\\', '%00', '.git', 'x.js', '%', '~', '//');
    const path = fc.oneof(fc.string(), fc.array(piece, { maxLength: 8 }).map((xs) => '/' + xs.join('/')), fc.array(piece, { maxLength: 8 }).map((xs) => '/' + xs.join('')));
    fc.assert(
      fc.property(path, (p) => {
        const got = appPath(p);
        if (got === null) return;
        expect(posix.isAbsolute(got)).toBe(false);
        expect(posix.normalize(got)).toBe(got);
        expect(posix.join('/app', got).startsWith('/app/')).toBe(true);
        expect(got.split('/')).not.toContain('..');
        expect(got.split('/')[0]).not.toBe('cli');
        expect(got).not.toMatch(/[\0\\]/);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('vmscope open: token-guarded paths', () => {
  it('gives /dump and /live to no request path but the exact ones with the token, for any path around them (fuzzed)', async () => {
    const streams: string[] = [];
    const s = await serveDump({ bytes: readFileSync(SAMPLE), name: 'd', port: 0, keep: true, dir: fakeApp(), live: (_req, res, url) => (streams.push(url.pathname), res.writeHead(200).end('live')) });
    running.push(s);
    const name = fc.constantFrom('live', 'dump', 'LIVE', 'live/', 'dump/', '%6cive', 'li%76e', '%2flive', 'live%00', '.live', 'live.', 'd%75mp');
    const pre = fc.constantFrom('/', '//', '/./', '/../', '/assets/../', '/%2e/', '/cli/');
    const query = fc.constantFrom('', '?token=', `?token=${s.token.slice(1)}`, `?token=${s.token.toUpperCase()}`, `?tok=${s.token}`, `?token=${s.token}%00`, `?token=x&token=${s.token}`, `#token=${s.token}`);
    await fc.assert(
      fc.asyncProperty(pre, name, query, async (p, n, q) => {
        const r = await get(s.port, `${p}${n}${q}`);
        if (r.status === 200) expect(r.body.toString()).toContain('<title>vmscope</title>');
      }),
      { numRuns: 300 },
    );
    // Only a request with the token reaches the stream, and only at /live.
    expect(streams).toEqual([]);
    expect((await get(s.port, `/live?token=${s.token}`)).body.toString()).toBe('live');
    expect(streams).toEqual(['/live']);
  });
});

describe('vmscope open: the command', () => {
  it('says where the app is missing: the app is not built', () => {
    expect(() => appDir({ VMSCOPE_APP_DIR: join(tmpdir(), 'no-such-vmscope-dist') })).toThrow(/the app is not built: run npm run build/);
  });

  it('reads its options (--live and its own: live.test.ts)', () => {
    expect(parseOpenArgs(['x.txt'])).toEqual({ file: 'x.txt', port: 0, open: true, keep: false });
    expect(parseOpenArgs(['-', '--no-open', '--keep', '--port', '8123'])).toEqual({ file: '-', port: 8123, open: false, keep: true });
    expect(parseOpenArgs(['x', '--port=1'])).toMatchObject({ port: 1 });
    expect(parseOpenArgs(['--live'])).toMatchObject({ live: true });
    expect(() => parseOpenArgs(['x', '--port', '70000'])).toThrow(/port/);
    expect(() => parseOpenArgs([])).toThrow(/missing FILE/);
    expect(() => parseOpenArgs(['a', 'b'])).toThrow(/one FILE/);
  });

  it('runs $BROWSER with the URL, and a browser that cannot start is a note, not a failure', async () => {
    const err: string[] = [];
    openBrowser('http://127.0.0.1:1/#open=x', { BROWSER: '/nonexistent/vmscope-browser' }, process.platform, { write: (chunk) => err.push(String(chunk)) });
    await vi.waitFor(() => expect(err.join('')).toMatch(/could not start a browser/));
  });

  it('serves FILE given as vmscope FILE, prints the URL, and exits 0 once the page has fetched it', async () => {
    const { line, done } = openCli([SAMPLE, '--no-open']);
    const first = await line;
    const m = /^vmscope: serving x86_64-6\.1\.0-56-after-insmod-raw\.vmallocinfo at (http:\/\/127\.0\.0\.1:(\d+)\/)#open=([A-Za-z0-9_-]+)$/.exec(first);
    expect(m, first).not.toBeNull();
    const body = await (await fetch(`${m![1]}dump?token=${m![3]}`)).arrayBuffer();
    expect(Buffer.from(body).equals(readFileSync(SAMPLE))).toBe(true);
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${first}\n`);
  });

  it('serves a gzipped FILE unpacked, as every command reads it', async () => {
    const gz = join(mkdtempSync(join(tmpdir(), 'vmscope-open-gz-')), 'dump.txt.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE)));
    const { line, done } = openCli(['open', gz, '--no-open']);
    const m = /at (http:\/\/127\.0\.0\.1:\d+\/)#open=([A-Za-z0-9_-]+)/.exec(await line);
    const response = await fetch(`${m![1]}dump?token=${m![2]}`);
    expect(decodeURIComponent(response.headers.get('x-vmscope-name') ?? '')).toBe('dump.txt.gz');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(SAMPLE))).toBe(true);
    expect((await done).code).toBe(0);
  });

  it('serves a sosreport whole, as a .tar.gz or a folder (a tar of the files it needs), so the page finds its origin too', async () => {
    const top = mkdtempSync(join(tmpdir(), 'vmscope-open-sos-'));
    const sos = join(top, 'sosreport-db01');
    mkdirSync(join(sos, 'proc'), { recursive: true });
    mkdirSync(join(sos, 'var', 'log'), { recursive: true });
    writeFileSync(join(sos, 'proc', 'vmallocinfo'), readFileSync(SAMPLE));
    writeFileSync(join(sos, 'hostname'), 'db01\n');
    writeFileSync(join(sos, 'var', 'log', 'messages'), 'not needed\n');
    const archive = join(top, 'sosreport-db01.tar.gz');
    writeFileSync(archive, gzipSync(createTar([{ name: 'sosreport-db01/proc/vmallocinfo', data: readFileSync(SAMPLE) }, { name: 'sosreport-db01/hostname', data: 'db01\n' }])));
    for (const file of [archive, sos]) {
      const { line, done } = openCli(['open', file, '--no-open']);
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)#open=([A-Za-z0-9_-]+)/.exec(await line);
      const served = new Uint8Array(await (await fetch(`${m![1]}dump?token=${m![2]}`)).arrayBuffer());
      expect((await done).code).toBe(0);
      if (file === archive) expect(Buffer.from(served).equals(readFileSync(archive))).toBe(true);
      // What the page reads from it: the dump, and where it came from.
      const opened = await openSource('served', served);
      expect(opened.kind).toBe('dump');
      if (opened.kind !== 'dump') continue;
      expect(Buffer.from(opened.bytes).equals(readFileSync(SAMPLE))).toBe(true);
      expect(opened.origin.host).toBe('db01');
      if (file === sos) expect(parseTar(served).map((e) => e.name).sort()).toEqual(['sosreport-db01/hostname', 'sosreport-db01/proc/vmallocinfo']);
    }
  });

  it('takes a command name for the command, not for a file of that name', async () => {
    // "summary" alone is the summary command missing its FILE, whatever the current folder holds.
    const r = await runCli(['summary']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing FILE/);
  });

  it('exits 2 with a usage message for vmscope open --live given a FILE', async () => {
    const r = await runCli(['open', '--live', SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/open --live records \/proc\/vmallocinfo and takes no FILE/);
  });
});
