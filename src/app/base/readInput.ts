// Bytes of a file, a drop or a paste: refused over MAX_INPUT_BYTES before reading, gunzipped in the
// browser (DecompressionStream, fed slice by slice: src/lib/decompress.ts) when the magic number
// says gzip, with the same cap on the output.

import { MAX_INPUT_BYTES, decompressCapped, formatBytes, isGzip, tooBigMessage } from '../../lib/index.ts';
import { BIG_ARCHIVE_HINT, isTarName } from '../../lib/sources/unpack.ts';

export interface InputBytes {
  bytes: ArrayBuffer;
  gzip: boolean;
}

function tooBig(name: string, what: string): Error {
  // A sosreport over the cap can still be opened as its unpacked folder: say so.
  return new Error(tooBigMessage(name, what) + (isTarName(name) ? ` ${BIG_ARCHIVE_HINT}` : ''));
}

async function gunzip(blob: Blob, name: string): Promise<ArrayBuffer> {
  let out: Uint8Array | 'too-big';
  try {
    out = await decompressCapped(new Uint8Array(await blob.arrayBuffer()), 'gzip', MAX_INPUT_BYTES);
  } catch (err) {
    throw new Error(`${name} looks like gzip but does not decompress: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (out === 'too-big') throw tooBig(name, `over ${formatBytes(MAX_INPUT_BYTES)} once decompressed`);
  return out.buffer as ArrayBuffer;
}

/** Read a blob (a File, or pasted text) as a dump's bytes. */
export async function readInput(blob: Blob, name: string): Promise<InputBytes> {
  if (blob.size > MAX_INPUT_BYTES) throw tooBig(name, `${formatBytes(blob.size)} (${blob.size.toLocaleString('en-US')} bytes)`);
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  // A .tar.gz goes to the worker as it is: src/lib/sources walks it as it streams out, keeping only
  // the files it needs (a sosreport may unpack to more than the cap around a small vmallocinfo).
  if (isGzip(head) && isTarName(name)) return { bytes: await blob.arrayBuffer(), gzip: true };
  if (isGzip(head)) return { bytes: await gunzip(blob, name), gzip: true };
  return { bytes: await blob.arrayBuffer(), gzip: false };
}
