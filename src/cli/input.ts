// Reading a FILE argument (or stdin for "-"): streamed, gunzipped as it arrives when it starts with
// the gzip magic, and stopped as soon as it passes MAX_INPUT_BYTES (the app's cap, from the
// library), so a gzip bomb or /dev/zero is refused within seconds in bounded memory. What is read
// then goes through parseDump / readDump (src/lib/input/read.ts), the app's own input path.
// A FILE that is a sosreport (.tar, .tar.gz, .tar.xz, or its unpacked directory), an Android
// bugreport (.zip or .txt) or crash's kmem -v output is opened by src/lib/sources first, so every
// command reads the dump inside it (with its /proc/meminfo and /proc/modules) and knows its origin.

import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MAX_INPUT_BYTES, formatBytes, isGzip, tooBigMessage } from '../lib/index.ts';
import { createTar } from 'nanotar';
import { openFolder, openSource, wanted } from '../lib/sources/open.ts';
import type { FolderFile, Opened } from '../lib/sources/open.ts';
import type { Origin } from '../lib/sources/origin.ts';
import { BIG_ARCHIVE_HINT, MAX_ENTRIES, isTarName } from '../lib/sources/unpack.ts';
import { processIo } from './io.ts';
import type { CliIo, TextOut } from './io.ts';

/** A FILE that cannot be read; the CLI says why and exits 1. */
export class InputError extends Error {}

/** A command's exit code: `run`'s, or 1 with the reason on stderr when it stops on an InputError (any other failure is thrown on). */
export async function exitOnInputError(stderr: TextOut, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    stderr.write(`vmscope: ${e.message}\n`);
    return 1;
  }
}

export interface InputBytes {
  bytes: Uint8Array;
  gzip: boolean;
  /** The archive, report or folder the dump was found in (src/lib/sources), when not alone. */
  origin?: Origin;
  /** How it was found there, for a note on stderr. */
  notes?: string[];
  /**
   * With an origin: the input as the page reads it, so it finds the origin itself (vmscope open):
   * the archive or report as it came, or a folder's wanted files as one small tar (as the page
   * packs a dropped folder, src/app/input/folder.ts).
   */
  whole?: Uint8Array;
}

/** The files below a directory (symbolic links to files followed, as sos makes them), at most MAX_ENTRIES. */
function folderFiles(dir: string): FolderFile[] {
  const out: FolderFile[] = [];
  const walk = (abs: string, rel: string, depth: number) => {
    if (depth > 32 || out.length >= MAX_ENTRIES) return;
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= MAX_ENTRIES) return;
      const path = join(abs, name);
      const relPath = rel ? `${rel}/${name}` : name;
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(path, relPath, depth + 1);
      else if (st.isFile()) out.push({ path: relPath, size: st.size, bytes: async () => new Uint8Array(readFileSync(path)) });
    }
  };
  walk(dir, '', 0);
  return out;
}

/** The input as it arrived, made a dump's bytes: what src/lib/sources found in it, or a refusal. */
function fromOpened(opened: Opened, gzip: boolean, whole: () => Uint8Array | Promise<Uint8Array>): Promise<InputBytes> | InputBytes {
  if (opened.kind === 'refused') throw new InputError(opened.message);
  if (opened.kind === 'plain') return { bytes: opened.bytes, gzip: gzip || opened.unpacked === 'gzip' };
  const { bytes, origin, notes } = opened;
  return Promise.resolve(whole()).then((w) => ({ bytes, gzip, origin, notes, whole: w }));
}

/** A folder's wanted files (src/lib/sources wanted) as one tar, paths under the folder's name. */
async function folderTar(name: string, files: FolderFile[]): Promise<Uint8Array> {
  const entries: { name: string; data: Uint8Array }[] = [];
  for (const f of files) if (wanted(`${name}/${f.path}`) || wanted(f.path)) entries.push({ name: `${name}/${f.path}`, data: await f.bytes() });
  return createTar(entries);
}

/**
 * A FILE as a dump's bytes: read (readRawBytes), then a sosreport, bugreport or kmem -v table in
 * it, or a directory (a sosreport unpacked), opened by src/lib/sources.
 */
export async function readInputBytes(file: string, io: Pick<CliIo, 'stdin'> = processIo()): Promise<InputBytes> {
  if (file !== '-') {
    let dir: boolean;
    try {
      dir = statSync(file).isDirectory();
    } catch (e) {
      throw fileError('read', file, e);
    }
    if (dir) {
      const name = basename(file.replace(/\/+$/, '')) || file;
      const files = folderFiles(file);
      return fromOpened(await openFolder(name, files), false, () => folderTar(name, files));
    }
  }
  // Not gunzipped here: src/lib/sources does it, walking a .tar.gz as it streams out (a sosreport
  // may unpack to more than the cap around a small vmallocinfo) and capping anything else.
  const raw = await readRawBytes(file, io, false);
  return fromOpened(await openSource(nameOf(file), raw.bytes), raw.gzip, () => raw.bytes);
}

/** How a file is named in messages. */
function nameOf(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** A readable error for a file system failure. */
export function fileError(verb: 'read' | 'write', file: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT'
      ? verb === 'read' ? 'no such file' : 'no such directory'
      : err.code === 'EISDIR'
        ? verb === 'read' ? 'is a directory' : 'is a directory (give a file name, e.g. dump.vmscope)'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.message;
  return new InputError(`cannot ${verb} ${nameOf(file)}: ${why}`);
}

/**
 * The whole of a file or stdin, gunzipped when it starts with the gzip magic; refused with an
 * InputError once it passes MAX_INPUT_BYTES (before reading, for a plain file that is too big).
 * "-" reads io.stdin.
 */
export async function readRawBytes(file: string, io: Pick<CliIo, 'stdin'> = processIo(), gunzip = true): Promise<InputBytes> {
  const name = nameOf(file);
  let input: Readable;
  try {
    if (file !== '-') {
      const st = statSync(file);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      input = createReadStream(file, { highWaterMark: 1 << 20 });
    } else input = io.stdin;
  } catch (e) {
    throw fileError('read', file, e);
  }
  // The first two bytes say whether it is gzip; a pipe may deliver them one at a time.
  const first: Buffer[] = [];
  let got = 0;
  try {
    while (got < 2 && !input.readableEnded) {
      const chunk = input.read() as Buffer | null;
      if (chunk !== null) {
        first.push(chunk);
        got += chunk.length;
      } else await Promise.race([once(input, 'readable'), once(input, 'end')]);
    }
  } catch (e) {
    throw fileError('read', file, e);
  }
  if (got === 0) return { bytes: new Uint8Array(0), gzip: false };
  const head = Buffer.concat(first);
  input.unshift(head);
  const gzip = gunzip && isGzip(head);
  if (!gzip && file !== '-') {
    const size = statSync(file).size;
    if (size > MAX_INPUT_BYTES) {
      input.destroy();
      throw new InputError(tooBigMessage(name, `${formatBytes(size)} (${size.toLocaleString('en-US')} bytes)`) + (isTarName(name) ? ` ${BIG_ARCHIVE_HINT}` : ''));
    }
  }
  const source: Readable = gzip ? pipeline(input, createGunzip({ chunkSize: 1 << 16 }), () => {}) : input;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_INPUT_BYTES) {
        source.destroy();
        input.destroy();
        const hint = isTarName(name) ? ` ${BIG_ARCHIVE_HINT}` : '';
        throw new InputError(tooBigMessage(name, gzip ? `over ${formatBytes(MAX_INPUT_BYTES)} once decompressed` : `over ${formatBytes(MAX_INPUT_BYTES)}`) + hint);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (gzip) throw new InputError(`${name} looks like gzip but does not decompress: ${e instanceof Error ? e.message : String(e)}`);
    throw fileError('read', file, e);
  }
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), gzip };
}
