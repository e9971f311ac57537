// `vmscope open FILE|-` (and `vmscope FILE`): the built app and one dump, served on 127.0.0.1 for the
// browser on this machine (or at the end of an `ssh -L`).
//
// The dump is read as every command reads a FILE (input.ts: streamed, gunzipped, capped at 200 MiB)
// and its bytes are sent as they are: the page's one loader reads them (a dump, a log, a recording),
// so nothing is parsed here. The file may be root-only, so the server gives it to nobody else:
//   - it listens on 127.0.0.1 only, and refuses (403) any request whose Host is not
//     127.0.0.1:PORT or localhost:PORT, so a page on another site cannot reach it through a DNS name
//     rebound to 127.0.0.1;
//   - the dump is at /dump?token=T only, T being 128 random bits (crypto.randomBytes) compared in
//     constant time; the printed URL carries T in its fragment (#open=T), which the browser never
//     sends to a server nor puts in a Referer; the page fetches the dump with it and drops it from
//     its address (boot.ts);
//   - besides the dump, only GET and HEAD of files inside the app's folder (dist/), never dist/cli/
//     (the bundled CLI), never a directory listing; paths are normalised and checked (appPath);
//   - nothing is written to disk.
// `vmscope open --live` (live.ts) serves through the same server: /dump is the recording so far, and
// /live?token=T (the same token check) a stream of its new moments; the URL carries #live=T.
// Once the page has the dump (its response has finished) and no request has come for LINGER_MS
// (the page fetches its worker's script right after), the server stops; --keep serves until Ctrl-C.

import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, realpathSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, posix, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_INPUT_BYTES } from '../lib/index.ts';
import { words } from './argv.ts';
import { InputError, readInputBytes } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo, TextOut } from './io.ts';
import { parseDuration } from './record.ts';

export const OPEN_USAGE = `       vmscope open FILE [--port N] [--no-open] [--keep]     (or: vmscope FILE)
       vmscope open --live [--every 10s] [-o FILE] [--port N] [--no-open]`;

export const OPEN_HELP = `  open            serve the vmscope page and FILE on 127.0.0.1 (a free port unless --port) and
                  open it in the browser ($BROWSER, else xdg-open / open / start); the URL is
                  printed always: over SSH, ssh -L PORT:127.0.0.1:PORT host, then open it here.
                  Only this URL's page can fetch FILE (a random token); it stops once the page
                  has the dump
  --port N        listen on port N (default: a free one)
  --no-open       do not start a browser: only print the URL (SSH, containers)
  --keep          keep serving after the page has the dump, until Ctrl-C
  --live          on the kernel host: record /proc/vmallocinfo (with /proc/meminfo and /proc/modules)
                  every --every (10s by default) as vmscope record does, to -o FILE (default: vmscope-live-HOST-TIME.vmscope-rec here,
                  said when it starts), and show it on the page as it grows: each new moment is
                  pushed to the open page. Closing the page leaves the recording going (a reload
                  picks it up again); Ctrl-C stops it, and FILE holds every moment`;

/** How long the server waits, once the dump is sent, for the page's last requests (its worker's script). */
export const LINGER_MS = 3000;

export interface OpenOptions {
  file: string;
  port: number;
  open: boolean;
  keep: boolean;
}

/** `vmscope open --live`: record every `every` ms to `out` (null: a name made when it starts) and serve it as it grows. */
export interface LiveOpenOptions {
  live: true;
  every: number;
  out: string | null;
  port: number;
  open: boolean;
}

export class OpenUsageError extends Error {}

/** `vmscope open`'s arguments (after the word open), or an OpenUsageError. */
export function parseOpenArgs(argv: string[]): OpenOptions | LiveOpenOptions | 'help' {
  const files: string[] = [];
  let port = 0;
  let open = true;
  let keep = false;
  let live = false;
  let every: number | null = null;
  let out: string | null = null;
  for (const { arg, name, value } of words(argv)) {
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--no-open') open = false;
    else if (arg === '--keep') keep = true;
    else if (arg === '--live') live = true;
    else if (name === '--every') {
      const v = value();
      const ms = v === null ? null : parseDuration(v);
      if (ms === null || ms < 10) throw new OpenUsageError(`--every needs a duration of 10ms or more, such as 500ms, 10s or 1m, not "${v ?? ''}"`);
      every = ms;
    } else if (name === '-o' || name === '--out') {
      const v = value();
      if (v === null || v === '-') throw new OpenUsageError(`${name} needs a file name to record to`);
      out = v;
    } else if (name === '--port') {
      const v = value();
      if (v === null || !/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new OpenUsageError(`--port needs a port number (0 to 65535), not "${v ?? ''}"`);
      port = Number(v);
    } else if (arg.startsWith('--')) throw new OpenUsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (live) {
    if (files.length > 0) throw new OpenUsageError(`open --live records /proc/vmallocinfo and takes no FILE; unexpected argument "${files[0]}" (to write to a file: -o FILE)`);
    if (keep) throw new OpenUsageError('open --live serves until Ctrl-C: --keep is not needed');
    return { live: true, every: every ?? 10000, out, port, open };
  }
  if (every !== null) throw new OpenUsageError('--every goes with --live');
  if (out !== null) throw new OpenUsageError('-o goes with --live (vmscope open serves FILE as it is)');
  if (files.length === 0) throw new OpenUsageError('missing FILE (use - for stdin)');
  if (files.length > 1) throw new OpenUsageError(`open takes one FILE; unexpected argument "${files[1]}"`);
  return { file: files[0], port, open, keep };
}

/** Where the built app is: VMSCOPE_APP_DIR, else next to the bundled CLI (dist/cli/ → dist/), else the repository's dist/. */
export function appDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.VMSCOPE_APP_DIR ? [env.VMSCOPE_APP_DIR] : [fileURLToPath(new URL('../', import.meta.url)), fileURLToPath(new URL('../../dist/', import.meta.url))];
  for (const dir of candidates) {
    if (existsSync(join(dir, 'index.html'))) return realpathSync(dir);
  }
  throw new InputError(`the app is not built: run npm run build (looked in ${candidates.join(', ')})`);
}

/**
 * The file a request path names, relative to the app's folder ('index.html' for '/'), or null when
 * it names none that may be served: not decodable, a NUL or backslash, a dot segment or an empty
 * one, a hidden file, or anything under cli/. Pure: fuzzed in open.test.ts.
 */
export function appPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded)) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return null;
  if (segments[0] === 'cli') return null;
  // Belt and braces: what normalize makes of it is itself.
  if (posix.normalize(relative) !== relative || posix.isAbsolute(relative)) return null;
  return relative;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Served {
  /** What to open: http://127.0.0.1:PORT/#open=TOKEN (#live=TOKEN for vmscope open --live). */
  url: string;
  port: number;
  token: string;
  /** Resolves once the server has stopped (the page has the dump, or close()). */
  stopped: Promise<'fetched' | 'closed'>;
  close(): void;
}

export interface ServeOptions {
  /** The dump, or (vmscope open --live) what to send each time the page asks: the recording so far. */
  bytes: Uint8Array | (() => Uint8Array);
  /**
   * vmscope open --live: GET /live?token=T (token checked as for /dump) is handed here, to stay
   * open as a stream of server-sent events (live.ts).
   */
  live?: (req: IncomingMessage, res: ServerResponse, url: URL) => void;
  /** More response headers for /dump. */
  dumpHeaders?: () => Record<string, string>;
  /** The name the page shows (the file's base name, or stdin). */
  name: string;
  port: number;
  keep: boolean;
  dir: string;
  lingerMs?: number;
}

function tokenMatches(given: string | null, token: Buffer): boolean {
  if (given === null) return false;
  const g = Buffer.from(given, 'utf8');
  return g.length === token.length && timingSafeEqual(g, token);
}

/** Serve the app in `dir` and the dump's bytes on 127.0.0.1 (see the top of this file). */
export async function serveDump(o: ServeOptions): Promise<Served> {
  const token = randomBytes(16).toString('base64url');
  const tokenBytes = Buffer.from(token, 'utf8');
  const linger = o.lingerMs ?? LINGER_MS;
  let port = 0;
  let inFlight = 0;
  let fetched = false;
  let timer: NodeJS.Timeout | null = null;
  let finish: (how: 'fetched' | 'closed') => void = () => {};
  const stopped = new Promise<'fetched' | 'closed'>((resolve) => (finish = resolve));

  const stop = (how: 'fetched' | 'closed') => {
    if (timer) clearTimeout(timer);
    server.close(() => finish(how));
    server.closeAllConnections();
  };
  const settle = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (fetched && !o.keep && inFlight === 0) timer = setTimeout(() => stop('fetched'), linger);
  };

  const common = (res: ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
  };
  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`${text}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    common(res);
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(res, 403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(res, 405, 'method not allowed');
    }
    // The request target is a path (never //host/…, which new URL(target, base) would read as a host).
    const target = req.url ?? '';
    if (!target.startsWith('/')) return refuse(res, 400, 'bad request');
    let url: URL;
    try {
      url = new URL(`http://127.0.0.1:${port}${target}`);
    } catch {
      return refuse(res, 400, 'bad request');
    }
    if (url.pathname === '/live' && o.live) {
      if (!tokenMatches(url.searchParams.get('token'), tokenBytes)) return refuse(res, 403, 'forbidden');
      return o.live(req, res, url);
    }
    if (url.pathname === '/dump') {
      if (!tokenMatches(url.searchParams.get('token'), tokenBytes)) return refuse(res, 403, 'forbidden');
      const bytes = typeof o.bytes === 'function' ? o.bytes() : o.bytes;
      res.writeHead(200, {
        ...o.dumpHeaders?.(),
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'no-store',
        'X-Vmscope-Name': encodeURIComponent(o.name),
      });
      if (req.method === 'HEAD') return res.end();
      res.on('finish', () => {
        fetched = true;
        settle();
      });
      return res.end(bytes);
    }
    const relative = appPath(url.pathname);
    if (relative === null) return refuse(res, 404, 'not found');
    let file: string;
    try {
      file = realpathSync(join(o.dir, ...relative.split('/')));
      if (!file.startsWith(o.dir + sep) || !statSync(file).isFile()) return refuse(res, 404, 'not found');
    } catch {
      return refuse(res, 404, 'not found');
    }
    const size = statSync(file).size;
    res.writeHead(200, { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': String(size), 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    if (timer) clearTimeout(timer);
    timer = null;
    res.on('close', () => {
      inFlight--;
      settle();
    });
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/#${o.live ? 'live' : 'open'}=${token}`, port, token, stopped, close: () => stop('closed') };
}

/** Start the user's browser on `url`: $BROWSER, else the platform's opener. Failures are notes, not errors. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, stderr: TextOut = processIo().stderr): void {
  const browser = env.BROWSER?.split(':').find((b) => b.trim() !== '');
  const [command, args] = browser
    ? [browser, [url]]
    : platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => stderr.write(`vmscope: note: could not start a browser (${command}: ${e.message}); open the URL above yourself\n`));
    child.unref();
  } catch (e) {
    stderr.write(`vmscope: note: could not start a browser (${command}: ${e instanceof Error ? e.message : String(e)}); open the URL above yourself\n`);
  }
}

/** `vmscope open`: read FILE, serve it with the app, say where, wait until it stops. */
export async function openCommand(o: OpenOptions, io: CliIo = processIo()): Promise<number> {
  const dir = appDir(io.env);
  const input = await readInputBytes(o.file, io);
  const name = o.file === '-' ? 'stdin' : basename(o.file.replace(/\/+$/, '')) || o.file;
  let served: Served;
  try {
    // An archive, report or folder goes to the page whole (a folder as a tar of the files it
    // needs), so the page finds the dump in it and says where it came from, as when it is dropped.
    const whole = input.whole && input.whole.length <= MAX_INPUT_BYTES ? input.whole : null;
    served = await serveDump({ bytes: whole ?? input.bytes, name, port: o.port, keep: o.keep, dir });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(`cannot serve on 127.0.0.1:${o.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`);
  }
  io.stdout.write(`vmscope: serving ${name} at ${served.url}\n`);
  io.stderr.write(o.keep ? 'vmscope: Ctrl-C stops it\n' : 'vmscope: it stops once the page has the dump (Ctrl-C stops it now)\n');
  if (o.open) openBrowser(served.url, io.env, process.platform, io.stderr);
  const interrupt = () => served.close();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const how = await served.stopped;
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  io.stderr.write(how === 'fetched' ? `vmscope: the page has ${name}; stopped serving\n` : 'vmscope: stopped serving\n');
  return 0;
}
