// A link's or .vmscope file's body (docs/share-format.md, "Envelope" and "Body forms"): the
// encoder picks the shortest form; the decoder reads every form any vmscope ever wrote, version 4
// (sealed with a CRC-16) and version 3 (no check, read by legacy/v3.ts's rules).

import type { Model } from '../model/model.ts';
import { broken } from './bits.ts';
import {
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
  toBase64Url,
  tooBig,
  withCheck,
} from './envelope.ts';
import { SHARE_VERSION } from './format.ts';
import type { DecodedShare, PayloadForm, ShareOptions, ShareView } from './format.ts';
import { decodePayload, encodePayload } from './payload.ts';

/** Only dumps this small try the packed form: it pays only where deflate has too little to work on. */
const TRY_PACKED_BELOW = 2_000;
/** Above this many areas only the plain form is tried: the others save nothing there (bench:share) and cost 3× the time. */
const TRY_FORMS_BELOW = 20_000;

/**
 * The forms the encoder tries, those that are the shortest for some dump (bench/share-forms.ts,
 * table in docs/share-format.md). It no longer makes the stored body (never the shortest: the
 * packed body or deflate always beat it) nor deflates base-128 varints with site alignments
 * (never shorter than base-32 with them); both still open.
 */
const DEFLATED: readonly PayloadForm[] = [
  { varints: 'base128', aligned: false },
  { varints: 'base32', aligned: false },
  { varints: 'base32', aligned: true },
];
const PACKED: readonly PayloadForm[] = [
  { varints: 'bits', aligned: false },
  { varints: 'bits', aligned: true },
];

/**
 * The body of a link or file, without its check: the shortest of deflate-raw(payload) over the
 * DEFLATED forms and, for dumps under TRY_PACKED_BELOW areas, the PACKED ones (site alignments in
 * raw mode only); dumps of TRY_FORMS_BELOW areas or more get deflated base-128 only.
 */
async function shortestBody(model: Model, view: ShareView, options: ShareOptions): Promise<Uint8Array> {
  const raw = model.snapshot.pointerMode === 'raw';
  const count = model.snapshot.count;
  const usable = (f: PayloadForm) => raw || !f.aligned;
  let best: Uint8Array | null = null;
  for (const form of count < TRY_FORMS_BELOW ? DEFLATED.filter(usable) : DEFLATED.slice(0, 1)) {
    const body = await deflate(encodePayload(model, view, options, form));
    if (!best || body.length < best.length) best = body;
  }
  if (count < TRY_PACKED_BELOW) {
    for (const form of PACKED.filter(usable)) {
      const body = encodePayload(model, view, options, form);
      if (body.length < best!.length && body.length <= MAX_PACKED) best = body;
    }
  }
  return best!;
}

/** The body of a link or file, sealed with its check. */
export async function encodeBody(model: Model, view: ShareView, options: ShareOptions): Promise<Uint8Array> {
  return withCheck(await shortestBody(model, view, options));
}

/** The link text (the part after `#s=`) for a model and a view. */
export async function encodeShare(model: Model, view: ShareView, options: ShareOptions): Promise<string> {
  return toBase64Url(await encodeBody(model, view, options));
}

/** A .vmscope file: FILE_MAGIC, then the body a link would carry in base64url. */
export async function encodeShareFile(model: Model, view: ShareView, options: ShareOptions): Promise<Uint8Array> {
  const body = await encodeBody(model, view, options);
  const out = new Uint8Array(FILE_MAGIC.length + body.length);
  out.set(FILE_MAGIC);
  out.set(body, FILE_MAGIC.length);
  return out;
}

/** Decode a .vmscope file. */
export function decodeShareFile(bytes: Uint8Array): Promise<DecodedShare> {
  if (!isShareFile(bytes)) return Promise.reject(new Error('This is not a vmscope snapshot file (it does not start with “VMSCOPE”).'));
  return decodeShareBytes(bytes.subarray(FILE_MAGIC.length));
}

/** Decode a link's text. Any problem is an Error whose message says what is wrong. */
export async function decodeShare(text: string): Promise<DecodedShare> {
  if (typeof text !== 'string' || text.length === 0) throw new Error('This share link is empty.');
  if (text.length > MAX_LINK_CHARS) throw tooBig();
  return decodeShareBytes(fromBase64Url(text.trim()));
}

/** Decode the compact binary encoding (the contents of a .vmscope file). */
export async function decodeShareBytes(bytes: Uint8Array): Promise<DecodedShare> {
  try {
    const n = bytes.length;
    if (n >= 3 && crc16(bytes.subarray(0, n - 2)) === ((bytes[n - 2] << 8) | bytes[n - 1])) {
      try {
        return await decodeBody(bytes.subarray(0, n - 2), SHARE_VERSION);
      } catch (err) {
        if (err instanceof Error && /more than \d+ MiB/.test(err.message)) throw err; // not inflated twice
        // One version-3 body in 65,536 ends in bytes that happen to match; it still reads as one.
        try {
          return await decodeBody(bytes, 3);
        } catch {
          throw err;
        }
      }
    }
    // No matching check: a version-3 link (made before links carried one), or damage.
    try {
      return await decodeBody(bytes, 3);
    } catch (err) {
      if (err instanceof Error && /format version|more than \d+ MiB/.test(err.message)) throw err;
      throw broken('it does not match its check (a character was changed, added or lost)');
    }
  } catch (err) {
    if (err instanceof Error) throw err;
    throw broken(String(err));
  }
}

/** A body without its check: stored, packed (version 4 only) or deflated, of the given version. */
async function decodeBody(body: Uint8Array, version: number): Promise<DecodedShare> {
  let decoded: DecodedShare;
  let payloadVersion: number;
  if (body[0] === STORED_MARKER) {
    if (body.length - 1 > MAX_PAYLOAD) throw tooBig();
    payloadVersion = body[1];
    decoded = decodePayload(body.subarray(1));
  } else if ((body[0] & 7) === PACKED_MARK && version >= 4) {
    if (body.length > MAX_PACKED) throw broken(`it is ${body.length} bytes of packed data, more than a link of that form ever holds (${MAX_PACKED})`);
    return decodePayload(body, true);
  } else {
    const payload = await inflate(body);
    payloadVersion = payload[0];
    decoded = decodePayload(payload);
  }
  if (payloadVersion !== version) throw broken(`its body says version ${payloadVersion} where version ${version} was expected`);
  return decoded;
}
