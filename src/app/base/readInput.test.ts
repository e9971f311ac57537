import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { MAX_INPUT_BYTES } from '../../lib/index.ts';
import { readInput } from './readInput.ts';

const text = '0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc\n';

describe('reading the bytes of an input', () => {
  it('reads plain text as it is', async () => {
    const { bytes, gzip } = await readInput(new Blob([text]), 'a.txt');
    expect(gzip).toBe(false);
    expect(new TextDecoder().decode(bytes)).toBe(text);
  });

  it('decompresses gzip recognised by its magic number', async () => {
    const { bytes, gzip } = await readInput(new Blob([gzipSync(text)]), 'a.gz');
    expect(gzip).toBe(true);
    expect(new TextDecoder().decode(bytes)).toBe(text);
  });

  it('says a file that starts like gzip but is not does not decompress', async () => {
    await expect(readInput(new Blob([new Uint8Array([0x1f, 0x8b, 1, 2, 3])]), 'bad.gz')).rejects.toThrow(/bad\.gz looks like gzip but does not decompress/);
  });

  it('refuses a file over the limit before reading it', async () => {
    let read = false;
    const huge = {
      size: MAX_INPUT_BYTES + 1,
      slice: () => {
        read = true;
        return new Blob([]);
      },
    } as unknown as Blob;
    await expect(readInput(huge, 'huge.txt')).rejects.toThrow(/huge\.txt is .*209,715,201 bytes.*over the 200 MiB that vmscope reads; it was not read/);
    expect(read).toBe(false);
  });
});
