// Bytes of a file, a drop or a paste: refused over MAX_INPUT_BYTES before reading, gunzipped in the
// browser (DecompressionStream) when the magic number says gzip, with the same cap on the output.

import { MAX_INPUT_BYTES, formatBytes, isGzip, tooBigMessage } from '../../lib/index.ts';

export interface InputBytes {
  bytes: ArrayBuffer;
  gzip: boolean;
}

function tooBig(name: string, what: string): Error {
  return new Error(tooBigMessage(name, what));
}

async function gunzip(blob: Blob, name: string): Promise<ArrayBuffer> {
  const reader = blob.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_INPUT_BYTES) {
        void reader.cancel();
        throw tooBig(name, `over ${formatBytes(MAX_INPUT_BYTES)} once decompressed`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof Error && err.message.includes('that vmscope reads')) throw err;
    throw new Error(`${name} looks like gzip but does not decompress: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

/** Read a blob (a File, or pasted text) as a dump's bytes. */
export async function readInput(blob: Blob, name: string): Promise<InputBytes> {
  if (blob.size > MAX_INPUT_BYTES) throw tooBig(name, `${formatBytes(blob.size)} (${blob.size.toLocaleString('en-US')} bytes)`);
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  if (isGzip(head)) return { bytes: await gunzip(blob, name), gzip: true };
  return { bytes: await blob.arrayBuffer(), gzip: false };
}
