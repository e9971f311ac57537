// Share links: a whole snapshot plus the view, in a URL fragment or a .vmscope file. This module is
// the share format's public face: the app, the worker, the CLI and the benchmarks import from here.
// The format is documented byte by byte in docs/share-format.md; the code is in parts:
//   bits.ts          varint / zigzag / bit-code writer and reader
//   envelope.ts      deflate-raw and the capped inflate, base64url, CRC-16, body markers, file magic
//   format.ts        the version, flags, tables (KIND_TABLE, REFERENCE_BASES) and public types
//   sections/*.ts    one encode/decode pair per part of the payload, in payload order in payload.ts
//   legacy/v3.ts     what version 3 (still read, never written) codes differently
//   body.ts          the body forms: the encoder's choice, and reading every form ever written
// Pure: runs in browsers, workers and Node 20.

export { decodeShare, decodeShareBytes, decodeShareFile, encodeBody, encodeShare, encodeShareFile } from './body.ts';
export {
  FILE_MAGIC,
  MAX_LINK_CHARS,
  MAX_PACKED,
  MAX_PAYLOAD,
  PACKED_MARK,
  STORED_MARKER,
  crc16,
  deflate,
  fromBase64Url,
  inflate,
  isShareFile,
  shareTextOf,
  toBase64Url,
  withCheck,
} from './envelope.ts';
export { DEFAULT_COLOUR_MODE, MAX_STRING, SHARE_VERSION } from './format.ts';
export type { DecodedShare, PayloadForm, ShareOptions, ShareView } from './format.ts';
export { decodePayload, encodePayload } from './payload.ts';
