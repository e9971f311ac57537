// gzip files are recognised by their magic number (RFC 1952, section 2.3.1: ID1 = 0x1f, ID2 = 0x8b);
// the app decompresses them with the platform's DecompressionStream.

/** Files larger than this are refused before they are read, and decompression stops past it. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
