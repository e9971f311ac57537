import { describe, expect, it } from 'vitest';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { decompressCapped } from './decompress.ts';

const MiB = 1 << 20;

describe('decompressing untrusted bytes with a cap on the output', () => {
  it('gives back exactly what was compressed, gzip or deflate-raw', async () => {
    const text = new TextEncoder().encode('0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc\n'.repeat(5000));
    expect(await decompressCapped(gzipSync(text), 'gzip', 10 * MiB)).toEqual(text);
    expect(await decompressCapped(deflateRawSync(text), 'deflate-raw', 10 * MiB)).toEqual(text);
  });

  it('refuses a bomb as soon as its output passes the cap, without inflating the rest', async () => {
    // 512 MiB of zeros in about 0.5 MB of gzip, against a 16 MiB cap: the refusal comes after
    // inflating about the cap's worth (plus one 16 KiB slice, at most ~16.5 MiB).
    const bomb = gzipSync(Buffer.alloc(512 * MiB), { level: 1 });
    const counting = new Uint8Array(bomb);
    const t0 = performance.now();
    expect(await decompressCapped(counting, 'gzip', 16 * MiB)).toBe('too-big');
    const pulled = performance.now() - t0;
    // The whole bomb takes far longer to inflate than the cap's worth (and in a browser froze the
    // tab): inflating 512 MiB here is the yardstick, measured in the same process.
    const t1 = performance.now();
    expect(await decompressCapped(counting, 'gzip', 1024 * MiB)).toHaveLength(512 * MiB);
    const whole = performance.now() - t1;
    expect(pulled).toBeLessThan(whole / 4);
  });

  it('throws on corrupt data instead of returning part of it', async () => {
    await expect(decompressCapped(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'gzip', MiB)).rejects.toThrow();
    await expect(decompressCapped(new Uint8Array([0xff, 0xff, 0xff]), 'deflate-raw', MiB)).rejects.toThrow();
  });
});
