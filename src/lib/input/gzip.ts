// gzip files are recognised by their magic number (RFC 1952, section 2.3.1: ID1 = 0x1f, ID2 = 0x8b);
// the app decompresses them with the platform's DecompressionStream, the CLI with node:zlib, both
// as a stream that stops at MAX_INPUT_BYTES.

import { formatBytes } from '../format.ts';

/** Files larger than this are refused before they are read, and decompression stops past it. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The message for an input over MAX_INPUT_BYTES, the same in the app and the CLI: `what` says how
 * big it is ("300 MiB (314,572,800 bytes)", "over 200 MiB once decompressed").
 */
export function tooBigMessage(name: string, what: string): string {
  return `${name} is ${what}, over the ${formatBytes(MAX_INPUT_BYTES)} that vmscope reads; it was not read.`;
}
