// `vmscope link FILE` when FILE holds a series (a recording, a log with stamp lines): the series
// shared as a recording (lib/series/share.ts), as a `#r=` link (its compact form,
// lib/series/compactLink.ts) when it fits in 32 KB, else said so
// with `--out FILE.vmscope-rec` suggested, which writes the recording itself. A FILE holding one
// dump is left to the snapshot link (main.ts's runLink). Standard input is read as one dump.

import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { formatBytes } from '../lib/index.ts';
import { readSeries } from '../lib/series/read.ts';
import { encodeSeries, seriesLinkText } from '../lib/series/share.ts';
import { RECORDING_EXTENSION, decodeHeader, isRecording } from '../lib/series/recording.ts';
import { InputError, fileError, readInputBytes } from './input.ts';
import { processIo } from './io.ts';
import type { CliIo } from './io.ts';

/** Link length (the whole URL) past which a file is offered instead, as the app does. */
export const SERIES_LINK_LIMIT = 32 * 1024;

export interface SeriesLinkOptions {
  file: string;
  addresses: boolean;
  base: string;
  out: string | null;
  json: boolean;
}

/** Share FILE's series, if it holds one: true when done, false when FILE is one dump (or not a file). */
export async function runSeriesLink(o: SeriesLinkOptions, io: CliIo = processIo()): Promise<boolean> {
  const { file } = o;
  if (file === '-' || !existsSync(file) || statSync(file).isDirectory() || /\.vmscope$/i.test(file)) return false;
  const input = await readInputBytes(file, io);
  const read = readSeries([{ name: file, bytes: input.bytes, mtime: statSync(file).mtimeMs }]);
  if (read.kind === 'single') return false;
  if (read.kind === 'none') throw new InputError(read.message);
  const { series } = read;
  // A recording passed on keeps what its header says of the host (the name and boot id only with --addresses).
  const head = isRecording(input.bytes) ? decodeHeader(input.bytes) : null;
  const { version: _v, length: _l, ...info } = typeof head === 'object' && head !== null ? head : { version: 0, length: 0 };
  const bytes = encodeSeries(series, { includeAddresses: o.addresses, info });
  const raw = series.table.pointerMode === 'raw';
  const privacy = o.addresses ? 'addresses as recorded' : raw ? 'absolute addresses hidden (offsets from the lowest area), host and boot id left out' : `${series.table.pointerMode} addresses${series.table.pointerMode === 'hashed' ? ' renumbered' : ''}, host and boot id left out`;
  const what = `${series.count.toLocaleString('en-US')} moments`;
  if (o.out !== null) {
    try {
      await writeFile(o.out, bytes);
    } catch (e) {
      throw fileError('write', o.out, e);
    }
    io.stderr.write(`vmscope: wrote ${o.out}: a recording of ${what} in ${bytes.length.toLocaleString('en-US')} bytes, ${privacy}; open it in vmscope\n`);
    return true;
  }
  const url = `${o.base}#r=${seriesLinkText(bytes)}`;
  if (url.length > SERIES_LINK_LIMIT) {
    const name = `${file.replace(/^.*\//, '').replace(/(\.gz)?$/, '').replace(/\.[^.]*$/, '') || 'series'}${RECORDING_EXTENSION}`;
    throw new InputError(
      `${file}: ${what} make a link of ${url.length.toLocaleString('en-US')} characters, over the practical ${SERIES_LINK_LIMIT / 1024} KiB; share the recording as a file instead (${formatBytes(bytes.length)}): --out ${name}`,
    );
  }
  if (o.json) io.stdout.write(JSON.stringify({ link: url, characters: url.length, moments: series.count, addresses: o.addresses ? 'included' : 'hidden' }, null, 2) + '\n');
  else io.stdout.write(url + '\n');
  io.stderr.write(`vmscope: ${what} in a link of ${url.length.toLocaleString('en-US')} characters (a recording of ${bytes.length.toLocaleString('en-US')} bytes), ${privacy}\n`);
  return true;
}
