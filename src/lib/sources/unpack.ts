// The containers dumps arrive in, recognised by their magic bytes (not their names) and unpacked
// with well-kept libraries, what is kept under the same cap as a plain dump (MAX_INPUT_BYTES):
//
//   gzip  1f 8b (RFC 1952)                 → DecompressionStream, fed a slice at a time as its output
//   xz    fd 37 7a 58 5a 00 (xz file format) → xz-decompress (xz-embedded in WebAssembly), likewise;
//                                            both read by their user (a compressed tar: stream.ts)
//   zip   50 4b 03 04 (PKWARE APPNOTE 4.3.7) → fflate's streaming Unzip: only the entries asked for are
//                                            inflated, slice by slice, each capped
//   tar   "ustar" at offset 257 (POSIX)    → nanotar: the headers are walked (entries capped), the data
//                                            of the entries asked for are views, never copies
//
// Nothing here throws on bad input: every failure is a value with a sentence in it.

import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import type { UnzipFile } from 'fflate';
import { parseTar } from 'nanotar';
import type { ParsedTarFileItem, ParsedTarFileItemMeta } from 'nanotar';
import { concatBytes } from '../bytes.ts';
import { formatBytes, formatCount } from '../format.ts';
import { MAX_INPUT_BYTES } from '../input/gzip.ts';

/** Entries of a tar or zip walked at most (a sosreport holds some tens of thousands). */
export const MAX_ENTRIES = 500_000;

export type Container = 'gzip' | 'xz' | 'zip' | 'tar';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

/** What the first bytes say the input is, or null for anything else (text, most likely). */
export function sniffContainer(bytes: Uint8Array): Container | null {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 6 && XZ_MAGIC.every((b, k) => bytes[k] === b)) return 'xz';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  if (isTar(bytes)) return 'tar';
  return null;
}

/** POSIX ustar ("ustar\0") and GNU tar ("ustar  \0") both put "ustar" at offset 257. */
function isTar(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  const magic = [0x75, 0x73, 0x74, 0x61, 0x72];
  return magic.every((b, k) => bytes[257 + k] === b);
}

/** Whether a name says tar archive (.tar, .tar.gz, .tgz, .tar.xz, .txz). */
export function isTarName(name: string): boolean {
  return /\.(?:tar(?:\.(?:gz|xz))?|tgz|txz)$/i.test(name);
}

/** What to do with an archive too big to unpack whole: a folder is read file by file. */
export const BIG_ARCHIVE_HINT = 'For a sosreport this big, unpack it (tar xf) and open its folder, or its proc/vmallocinfo: from a folder only the few files vmscope needs are read.';

/** Compressed bytes handed to the xz decoder at a time. */
const XZ_SLICE = 64 << 10;

type XzStream = new (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

/**
 * xz-decompress's stream class, loaded when an xz input first arrives (its WebAssembly stays out
 * of the page's first load). It is a UMD bundle: Node's ESM sees it as a default export only.
 */
async function xzStream(): Promise<XzStream> {
  const mod = (await import('xz-decompress')) as { XzReadableStream?: XzStream; default?: { XzReadableStream?: XzStream } };
  const found = mod.XzReadableStream ?? mod.default?.XzReadableStream;
  if (!found) throw new Error('the xz decoder did not load');
  return found;
}

/** The compressed bytes as a stream of slices, enqueued only as the decompressor asks for them. */
function sliced(bytes: Uint8Array, slice: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(at, at + slice));
        at += slice;
      }
    },
  });
}

/**
 * A reader of the decompressed bytes of a gzip or xz input, pulled by its user: the compressed
 * side is fed a slice at a time as the output is read, so a bomb costs only what is read of it.
 */
export async function decompressedReader(bytes: Uint8Array, format: 'gzip' | 'xz'): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  if (format === 'gzip') return sliced(bytes, 16 << 10).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const XzReadableStream = await xzStream();
  return new XzReadableStream(sliced(bytes, XZ_SLICE)).getReader();
}

/** One file of an archive: its path (no leading "./") and its size as declared. */
export interface Entry {
  path: string;
  size: number;
  /** Symbolic links and directories are listed (their names count) but have no bytes. */
  file: boolean;
}

export type Listing =
  | {
      ok: true;
      entries: Entry[];
      data: (path: string) => Uint8Array | null;
      /** Why the walk ended before the archive did (cut short, damaged), when it did. */
      cut?: string;
    }
  | { ok: false; message: string };

class TooMany extends Error {}

/**
 * The entries of a tar archive, and the bytes of those `want` keeps (views into `bytes`). The walk
 * stops at MAX_ENTRIES; a header whose size runs past the end ends it (what was read stays).
 */
export function listTar(name: string, bytes: Uint8Array, want: (path: string) => boolean, maxEntries = MAX_ENTRIES): Listing {
  // nanotar reads `data.buffer` whole: hand it an array that starts at 0 and is the input only.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const entries: Entry[] = [];
  const data = new Map<string, Uint8Array>();
  const empty = new Set<string>();
  let cut: string | undefined;
  let items: ParsedTarFileItem[] = [];
  try {
    items = parseTar<never, { filter: (meta: ParsedTarFileItemMeta) => boolean }>(own, {
      filter: (meta) => {
        if (entries.length >= maxEntries) throw new TooMany();
        const path = meta.name.replace(/^\.\//, '');
        const file = meta.type === 'file' || meta.type === undefined || meta.type === 'contiguousFile';
        const size = Number.isFinite(meta.size) && meta.size >= 0 ? meta.size : 0;
        entries.push({ path, size, file });
        if (file && size === 0 && want(path)) empty.add(path);
        if (file && size > own.length && want(path)) cut ??= `${name} is cut short: ${path} declares ${formatBytes(size)}, more than the archive holds`;
        return file && size > 0 && size <= MAX_INPUT_BYTES && want(path);
      },
    });
  } catch (err) {
    if (err instanceof TooMany) return { ok: false, message: `${name} holds more than ${formatCount(maxEntries)} entries; vmscope stops there and did not read it.` };
    // A header declaring more bytes than the archive holds: keep what the walk found before it.
    if (!(err instanceof RangeError) || entries.length === 0) return { ok: false, message: `${name} looks like a tar archive but cannot be read: ${err instanceof Error ? err.message : String(err)}` };
    cut = `${name} is cut short after ${formatCount(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'} (an entry runs past its end)`;
  }
  for (const item of items) if (item.data) data.set(item.name.replace(/^\.\//, ''), item.data);
  for (const path of empty) data.set(path, new Uint8Array(0));
  return { ok: true, entries, data: (path) => data.get(path) ?? null, ...(cut ? { cut } : {}) };
}

/** Compressed bytes pushed into the unzipper at a time (deflate expands at most 1032:1). */
const ZIP_SLICE = 16 << 10;

/**
 * The entries of a zip archive, and the bytes of those `want` keeps, each inflated under the cap
 * (a zip of zeros stops at the cap, whatever its header claims).
 */
export function listZip(name: string, bytes: Uint8Array, want: (path: string) => boolean, maxEntries = MAX_ENTRIES): Listing {
  const entries: Entry[] = [];
  const data = new Map<string, Uint8Array>();
  let problem: string | null = null;
  let kept = 0;
  const unzip = new Unzip((file: UnzipFile) => {
    if (problem) return;
    if (entries.length >= maxEntries) {
      problem = `${name} holds more than ${formatCount(maxEntries)} entries; vmscope stops there and did not read it.`;
      return;
    }
    const path = file.name.replace(/^\.\//, '');
    const isDir = path.endsWith('/');
    entries.push({ path, size: file.originalSize ?? 0, file: !isDir });
    if (isDir || !want(path)) return;
    if ((file.originalSize ?? 0) > MAX_INPUT_BYTES) {
      problem = `${name}: ${path} is ${formatBytes(file.originalSize ?? 0)} unpacked, over the ${formatBytes(MAX_INPUT_BYTES)} that vmscope reads; it was not read.`;
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    file.ondata = (err, chunk, final) => {
      if (problem) return;
      if (err) {
        problem = `${name}: ${path} does not unpack: ${err.message}`;
        return;
      }
      total += chunk.length;
      kept += chunk.length;
      if (total > MAX_INPUT_BYTES || kept > MAX_INPUT_BYTES) {
        problem = `${name}: ${path} is over ${formatBytes(MAX_INPUT_BYTES)} once unpacked, over what vmscope reads; it was not read.`;
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) data.set(path, concatBytes(chunks));
    };
    try {
      file.start();
    } catch (err) {
      problem = `${name}: ${path} cannot be unpacked (${err instanceof Error ? err.message : String(err)})`;
    }
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for (let at = 0; at < bytes.length && !problem; at += ZIP_SLICE) unzip.push(bytes.subarray(at, at + ZIP_SLICE), at + ZIP_SLICE >= bytes.length);
  } catch (err) {
    if (entries.length === 0) return { ok: false, message: `${name} looks like a zip archive but cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (problem) return { ok: false, message: problem };
  return { ok: true, entries, data: (path) => data.get(path) ?? null };
}
