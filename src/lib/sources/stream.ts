// A compressed tar read as it is decompressed, so a sosreport bigger than the dump cap once
// unpacked (a few hundred MiB of logs around a 100 KiB /proc/vmallocinfo is common) still opens:
// only the entries asked for are kept (together at most MAX_INPUT_BYTES), the rest are skipped as
// they stream past, and the whole walk stops at MAX_ARCHIVE_BYTES of output, or sooner, once past
// MAX_INPUT_BYTES, at BOMB_RATIO times the compressed size (an archive bomb: a member of zeros
// declaring terabytes), or at MAX_ENTRIES entries.
//
// The decompressors are the platform's DecompressionStream (gzip) and xz-decompress (unpack.ts);
// each entry's header is handed to nanotar, which reads its name (pax and GNU long names
// included), type and size. Only the framing is done here: an entry is its 512-byte header and its
// data rounded up to 512 bytes (POSIX ustar), and pax/GNU extension entries go to nanotar with the
// header they qualify.

import { parseTar } from 'nanotar';
import { concatBytes } from '../bytes.ts';
import { formatBytes, formatCount } from '../format.ts';
import { MAX_INPUT_BYTES } from '../input/gzip.ts';
import type { Entry, Listing } from './unpack.ts';

/** Bytes of a compressed archive's output walked at most. */
export const MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Past the dump cap, output more than this many times the compressed bytes is a bomb (zeros
 * compress ~1000:1 with gzip, far more with xz), not a sosreport (logs and /proc text: 5-30:1),
 * and is refused there rather than at MAX_ARCHIVE_BYTES: in under a second, not six.
 */
export const BOMB_RATIO = 100;

/** Thrown when the output passes its limit; `ratio`: it passed BOMB_RATIO times its compressed size. */
export class OverLimit extends Error {
  constructor(readonly ratio = false) {
    super(ratio ? 'over the bomb ratio' : 'over the output limit');
  }
}

/** A reader's bytes, pulled as they are needed. */
export class Pull {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private done = false;
  /** Output bytes pulled so far. */
  total = 0;

  /** `packed`: the compressed bytes the reader unpacks (no ratio check when not given). */
  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    readonly limit: number,
    readonly packed = Infinity,
  ) {}

  private async more(): Promise<boolean> {
    if (this.done) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.done = true;
      return false;
    }
    this.total += value.length;
    const bomb = this.total > MAX_INPUT_BYTES && this.total > BOMB_RATIO * this.packed;
    if (this.total > this.limit || bomb) {
      await this.cancel();
      throw new OverLimit(bomb && this.total <= this.limit);
    }
    if (value.length > 0) {
      this.chunks.push(value);
      this.length += value.length;
    }
    return true;
  }

  /** Put bytes back in front (what was read to look at the head). */
  unshift(bytes: Uint8Array): this {
    if (bytes.length > 0) {
      this.chunks.unshift(bytes);
      this.length += bytes.length;
    }
    return this;
  }

  /** At least `n` bytes buffered, or false at the end of the stream. */
  async fill(n: number): Promise<boolean> {
    while (this.length < n) if (!(await this.more())) return false;
    return true;
  }

  /** The first `n` buffered bytes (fill first), removed. */
  take(n: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let left = n;
    while (left > 0 && this.chunks.length > 0) {
      const c = this.chunks[0];
      if (c.length <= left) {
        parts.push(c);
        this.chunks.shift();
        left -= c.length;
      } else {
        parts.push(c.subarray(0, left));
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.length -= n - left;
    return parts.length === 1 ? parts[0] : concatBytes(parts);
  }

  /** Drop `n` bytes, pulling as needed without keeping them; false when the stream ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.length === 0 && !(await this.more())) return false;
      const k = Math.min(left, this.length);
      this.take(k);
      left -= k;
    }
    return true;
  }

  /** Everything left, at most `cap` bytes (OverLimit past it). */
  async rest(cap: number): Promise<Uint8Array> {
    while (await this.more()) if (this.length > cap) throw new OverLimit();
    return this.take(this.length);
  }

  async cancel(): Promise<void> {
    this.done = true;
    await this.reader.cancel().catch(() => undefined);
  }
}

/** The size field of a ustar header: octal text, or base-256 (GNU) when its first byte has the top bit. */
function entrySize(h: Uint8Array): number | null {
  if (h[124] & 0x80) {
    let n = 0;
    for (let k = 125; k < 136; k++) n = n * 256 + h[k];
    return n;
  }
  let text = '';
  for (let k = 124; k < 136; k++) text += String.fromCharCode(h[k]);
  const digits = text.replace(/[\0 ]+/g, '');
  if (!/^[0-7]*$/.test(digits)) return null;
  return digits === '' ? 0 : parseInt(digits, 8);
}

const EXTENSION = new Set(['x', 'g', 'L', 'K']);

/**
 * The entries of a tar read from `pull`, and the bytes of those `want` keeps (at most
 * MAX_INPUT_BYTES together), until `enough` says the kept files are all that is needed. A cut or
 * damaged archive ends the walk with what was read.
 */
export async function walkTar(name: string, pull: Pull, want: (path: string) => boolean, maxEntries: number, enough: (kept: readonly string[]) => boolean = () => false): Promise<Listing> {
  const entries: Entry[] = [];
  const data = new Map<string, Uint8Array>();
  let kept = 0;
  let extensions: Uint8Array[] = [];
  try {
    for (;;) {
      if (!(await pull.fill(512))) break;
      const header = pull.take(512);
      if (header.every((b) => b === 0)) break;
      const size = entrySize(header);
      if (size === null) break;
      const padded = Math.ceil(size / 512) * 512;
      const type = String.fromCharCode(header[156]);
      if (EXTENSION.has(type)) {
        // A pax header or GNU long name: kept for the entry it qualifies (1 MiB is plenty).
        if (size > 1 << 20 || !(await pull.fill(padded))) break;
        extensions.push(header, pull.take(padded));
        continue;
      }
      if (entries.length >= maxEntries) {
        await pull.cancel();
        return { ok: false, message: `${name} holds more than ${formatCount(maxEntries)} entries; vmscope stops there and did not read it.` };
      }
      let path = '';
      try {
        const parts = [...extensions, header, new Uint8Array(512)];
        const window = concatBytes(parts);
        path = (parseTar(window, { metaOnly: true }).at(-1)?.name ?? '').replace(/^\.\//, '');
      } catch {
        path = '';
      }
      extensions = [];
      const file = type === '0' || type === '\0' || type === '7';
      entries.push({ path, size, file });
      if (file && size === 0 && want(path)) data.set(path, new Uint8Array(0));
      else if (file && kept + size <= MAX_INPUT_BYTES && want(path)) {
        if (!(await pull.fill(padded))) {
          // Cut short inside the entry: what arrived is kept (the dump says it ends mid-line).
          const got = pull.take(Number.MAX_SAFE_INTEGER);
          data.set(path, got.slice(0, size));
          break;
        }
        data.set(path, pull.take(padded).slice(0, size));
        kept += size;
        // Everything needed is in: the rest of a big archive is not walked.
        if (enough([...data.keys()])) break;
      } else if (!(await pull.skip(padded))) break;
    }
  } catch (err) {
    if (err instanceof OverLimit) {
      if (err.ratio) {
        return {
          ok: false,
          message: `${name} unpacks to more than ${BOMB_RATIO} times its ${formatBytes(pull.packed)} (over ${formatBytes(pull.total)} so far), as an archive bomb does, not a sosreport; it was not read. If it is a real one, unpack it and open its folder.`,
        };
      }
      return { ok: false, message: `${name} is over ${formatBytes(pull.limit)} once unpacked, further than vmscope walks into an archive; it was not read.` };
    }
    const why = err instanceof Error ? err.message : String(err);
    if (entries.length === 0) return { ok: false, message: `${name} looks like a tar archive but cannot be read: ${why}` };
    await pull.cancel();
    return { ok: true, entries, data: (path) => data.get(path) ?? null, cut: `${name} is damaged or cut short after ${formatCount(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'} (${why})` };
  }
  await pull.cancel();
  return { ok: true, entries, data: (path) => data.get(path) ?? null };
}
