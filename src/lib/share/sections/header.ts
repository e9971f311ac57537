// The payload's head (docs/share-format.md, "Head"): version, flags and address width (or, in a
// packed body, the marker byte and four bits that stand for them), then the area count.

import { broken } from '../bits.ts';
import type { Reader, Varints, Writer } from '../bits.ts';
import { PACKED_MARK } from '../envelope.ts';
import {
  ADDRESS_DIGITS,
  FLAG_ABSOLUTE,
  FLAG_ALIGNED,
  FLAG_BYTES,
  FLAG_NARROW,
  FLAG_PHYS_BYTES,
  MODES,
  OLDEST_VERSION,
  PAGE,
  SHARE_VERSION,
} from '../format.ts';
import type { PointerMode } from '../../types.ts';
import type { EncodeContext } from './context.ts';

export function writeHeader(w: Writer, ctx: EncodeContext, varints: Varints): void {
  const mode = MODES.indexOf(ctx.s.pointerMode);
  if (varints === 'bits') {
    w.byte(PACKED_MARK | (mode << 3) | (ctx.absolute ? 0x40 : 0) | (ctx.aligned ? 0x80 : 0));
    w.field(ctx.pageUnits ? 0 : 1, 1);
    w.field(ctx.physPages ? 0 : 1, 1);
    w.field(ADDRESS_DIGITS.indexOf(ctx.s.addressDigits), 2);
  } else {
    w.byte(SHARE_VERSION);
    w.byte(mode | (ctx.absolute ? FLAG_ABSOLUTE : 0) | (ctx.pageUnits ? 0 : FLAG_BYTES) | (ctx.physPages ? 0 : FLAG_PHYS_BYTES) | (varints === 'base32' ? FLAG_NARROW : 0) | (ctx.aligned ? FLAG_ALIGNED : 0));
    w.byte(ctx.s.addressDigits);
  }
  w.uint(ctx.n);
}

export interface Header {
  version: number;
  pointerMode: PointerMode;
  raw: boolean;
  absolute: boolean;
  /** Start gaps count pages (else bytes). */
  pageUnits: boolean;
  /** Unit of the physical address steps: a page or a byte. */
  physUnit: bigint;
  /** Sites carry alignments. */
  aligned: boolean;
  addressDigits: number;
  /** The area count. */
  n: number;
}

/** The head of a payload, or with `packed` of a whole packed body (switching `r` to base 32 when the flags say so). */
export function readHeader(r: Reader, packed: boolean): Header {
  let flags: number;
  let addressDigits: number;
  let version = SHARE_VERSION;
  if (packed) {
    const mark = r.byte('the form');
    if ((mark & 7) !== PACKED_MARK) throw broken('its form is unknown');
    flags = ((mark >> 3) & 7) | (mark & 0x40 ? FLAG_ABSOLUTE : 0) | (mark & 0x80 ? FLAG_ALIGNED : 0);
    flags |= (r.field(1, 'the flags') ? FLAG_BYTES : 0) | (r.field(1, 'the flags') ? FLAG_PHYS_BYTES : 0);
    const code = r.field(2, 'the address width');
    if (code >= ADDRESS_DIGITS.length) throw broken('the address width is invalid');
    addressDigits = ADDRESS_DIGITS[code];
  } else {
    version = r.byte('the version');
    if (version < OLDEST_VERSION || version > SHARE_VERSION) {
      throw new Error(
        `This share link has format version ${version}; this vmscope reads versions ${OLDEST_VERSION} to ${SHARE_VERSION}. It may come from a newer vmscope, or be damaged.`,
      );
    }
    flags = r.byte('the flags');
    if (flags & FLAG_NARROW) r.narrow();
    addressDigits = r.byte('the address width');
  }
  if ((flags & 7) >= MODES.length) throw broken('its flags are invalid');
  const pointerMode = MODES[flags & 7];
  const raw = pointerMode === 'raw';
  const absolute = (flags & FLAG_ABSOLUTE) !== 0;
  const pageUnits = (flags & FLAG_BYTES) === 0;
  if ((absolute || !pageUnits || flags & FLAG_ALIGNED) && !raw) throw broken('its flags are invalid');
  if (addressDigits !== 0 && addressDigits !== 8 && addressDigits !== 16) throw broken('the address width is invalid');
  // Every area costs at least one byte in each of the site, size, page and node sections, so
  // the count is bounded by what is left before anything is allocated.
  const n = r.uint('the area count', Math.floor(r.left / 4));
  return {
    version,
    pointerMode,
    raw,
    absolute,
    pageUnits,
    physUnit: flags & FLAG_PHYS_BYTES ? 1n : PAGE,
    aligned: (flags & FLAG_ALIGNED) !== 0,
    addressDigits,
    n,
  };
}
