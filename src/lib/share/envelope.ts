// The envelope of a share link or .vmscope file, around the payload (docs/share-format.md,
// "Envelope"): deflate-raw with an incremental, capped inflate, base64url, the CRC-16 check, the
// markers that tell the body forms apart, and the .vmscope file magic. Pure: CompressionStream
// and DecompressionStream exist in browsers, workers and Node 20.

import { decompressCapped } from '../decompress.ts';
import { concatBytes } from '../bytes.ts';
import { broken } from './bits.ts';

/** Largest decompressed payload a link may carry. */
export const MAX_PAYLOAD = 64 << 20;
/** Largest link text accepted (base64url of a compressed payload). */
export const MAX_LINK_CHARS = 96 << 20;

/** First byte of a stored (uncompressed) body: BTYPE 11, which no deflate-raw stream starts with. */
export const STORED_MARKER = 0x06;
/** Low three bits of a packed body's first byte: BTYPE 11 too, and bit 0 set unlike STORED_MARKER. */
export const PACKED_MARK = 0x07;
/**
 * The longest packed body made or read. Real ones are a few kilobytes (they win only for dumps of a
 * few dozen areas); the bit-by-bit reader takes 1-2.5 s per MiB, so a hostile link cannot keep a
 * tab busy for more than about half a second.
 */
export const MAX_PACKED = 256 << 10;

export function tooBig(): Error {
  return new Error(`This share link unpacks to more than ${MAX_PAYLOAD >> 20} MiB; vmscope refuses it (it may be a decompression bomb).`);
}

export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(chunks);
    chunks.push(value);
  }
}

/**
 * Inflate at most `cap` bytes, fed slice by slice as the output is read (src/lib/decompress.ts),
 * so the work done is bounded by the cap and a bomb is refused as soon as it passes it.
 */
export async function inflate(bytes: Uint8Array, cap = MAX_PAYLOAD): Promise<Uint8Array> {
  let out: Uint8Array | 'too-big';
  try {
    out = await decompressCapped(bytes, 'deflate-raw', cap);
  } catch {
    throw broken('its compressed data is corrupt');
  }
  if (out === 'too-big') throw tooBig();
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let k = 0; k < 64; k++) B64_INDEX[B64.charCodeAt(k)] = k;

export function toBase64Url(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)];
    if (i + 1 < bytes.length) chunk += B64[((b & 15) << 2) | (c >> 6)];
    if (i + 2 < bytes.length) chunk += B64[c & 63];
    if (chunk.length > 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw broken('its text has an impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let at = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64_INDEX[code] : -1;
    if (v < 0) throw broken(`its text has a character that cannot be in a link (“${text[i]}” at ${i + 1})`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}

/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xffff, no reflection): it catches every
 * error burst of up to 16 bits, so every changed character of a link (6 bits), and all but 1 in
 * 65,536 of other damage.
 */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xff00) ^ CRC16_TABLE[(crc >> 8) ^ bytes[i]];
  return crc;
}

/** CRC16_TABLE[b]: the CRC-16 register after shifting the byte b through it from 0. */
const CRC16_TABLE = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let crc = b << 8;
  for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  CRC16_TABLE[b] = crc;
}

/** A body with its check: CRC-16 of the body, two bytes, most significant first. */
export function withCheck(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  const crc = crc16(body);
  out[body.length] = crc >> 8;
  out[body.length + 1] = crc & 0xff;
  return out;
}

/**
 * A .vmscope file, for when a link would be too long: the 8 bytes "VMSCOPE\n" (FILE_MAGIC), then
 * the body a link would carry in base64url (any form, with its check), as bytes.
 */
export const FILE_MAGIC = Uint8Array.from([0x56, 0x4d, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0a]);

/** Whether bytes start like a .vmscope file. */
export function isShareFile(bytes: Uint8Array): boolean {
  return bytes.length >= FILE_MAGIC.length && FILE_MAGIC.every((b, k) => bytes[k] === b);
}

/**
 * The link text of a vmscope share link given on its own, as people paste or type one: the whole
 * URL or just its `#s=…` fragment, blanks around it allowed. Null for anything else.
 */
export function shareTextOf(input: string): string | null {
  const m = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/\S*)?#s=([A-Za-z0-9_-]+)\s*$/i.exec(input);
  return m ? m[1] : null;
}
