// Decompression with a cap on the output, for every untrusted compressed input: gzip files opened
// in the app and the deflate-raw body of a share link. The platform's DecompressionStream inflates a
// whole written chunk before anyone reads, so one 1 MiB chunk of a bomb meant 1 GiB at once (10–20 s
// of a frozen tab before a cap could be checked). Here the input goes in slice by slice as the
// output is read: the work done is bounded by the cap plus one slice, and reading stops as soon as
// the output would pass the cap.

import { concatBytes } from './bytes.ts';

/**
 * Compressed bytes fed at a time. Deflate expands at most 1032:1, so a slice inflates to at most
 * ~16.5 MiB.
 */
const SLICE = 16 << 10;

/**
 * Decompress `bytes` (gzip or deflate-raw), or 'too-big' as soon as the output would pass `cap`
 * bytes. Throws the platform's error when the data is corrupt.
 */
export async function decompressCapped(bytes: Uint8Array, format: 'gzip' | 'deflate-raw', cap: number): Promise<Uint8Array | 'too-big'> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Each write waits until the inflater has taken the previous slice, which it does only as the
  // output is read below.
  const feeding = (async () => {
    for (let at = 0; at < bytes.length && !stopped; at += SLICE) await writer.write(bytes.slice(at, at + SLICE));
    if (!stopped) await writer.close();
  })().catch(() => undefined); // a corrupt stream fails the reads too, and is reported there
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stop = async () => {
    stopped = true;
    await Promise.all([reader.cancel().catch(() => undefined), writer.abort().catch(() => undefined)]);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await stop();
        return 'too-big';
      }
      chunks.push(value);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  await feeding;
  return concatBytes(chunks);
}
