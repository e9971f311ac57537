// The scanner's words: the reasons it gives, the flag words it knows, and small byte tests used by
// scan() in scanner.ts.

import { F_DMA, F_IOREMAP, F_SPARSE, F_USER, F_VMALLOC, F_VMAP, F_VPAGES, LF, SEP } from './scanState.ts';

/** The reason given should the scanner ever fail to advance (an internal error, never expected). */
export const STUCK = 'internal error: the scanner did not advance here; line skipped';

export const UNTERMINATED_MASK = 'unterminated masked address "0x(…"';

/** The reason for a number the model cannot hold exactly (Number.MAX_SAFE_INTEGER, 2^53 − 1). */
export function TOO_BIG(what: string): string {
  return `${what} is larger than 2^53 − 1 (9007199254740991), which vmscope cannot hold exactly; line skipped`;
}

/**
 * Longest caller, module or flag word kept (bytes). Share links refuse longer names
 * (MAX_STRING in src/lib/share/codec.ts), and every snapshot the parser makes must share.
 */
export const MAX_NAME_BYTES = 4096;

/** Past the ')' of a masked address such as (____ptrval____) at src[p] === '(', or -1. */
export function afterMasked(src: Uint8Array, p: number): number {
  while (src[p] !== 41 && src[p] !== LF) p++;
  return src[p] === 41 ? p + 1 : -1;
}

/** The flag bit of a known flag word at src[t0, t0+len), or 0. */
export function knownFlag(src: Uint8Array, t0: number, len: number, c: number): number {
  switch (c) {
    case 105 /* i */:
      return len === 7 && equals(src, t0, 'ioremap') ? F_IOREMAP : 0;
    case 115 /* s */:
      return len === 6 && equals(src, t0, 'sparse') ? F_SPARSE : 0;
    case 118 /* v */:
      if (len === 7 && equals(src, t0, 'vmalloc')) return F_VMALLOC;
      if (len === 4 && equals(src, t0, 'vmap')) return F_VMAP;
      return len === 6 && equals(src, t0, 'vpages') ? F_VPAGES : 0;
    case 117 /* u */:
      return len === 4 && equals(src, t0, 'user') ? F_USER : 0;
    case 100 /* d */:
      return len === 12 && equals(src, t0, 'dma-coherent') ? F_DMA : 0;
    default:
      return 0;
  }
}

export function equals(src: Uint8Array, p: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (src[p + k] !== word.charCodeAt(k)) return false;
  return true;
}

export function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** A reason for a line that is not an area line, naming what it looks like where that helps. */
export function describeForeignLine(src: Uint8Array, p: number): string {
  let colon = -1;
  let q = p;
  while (src[q] !== LF && q < p + 400) {
    if (src[q] === 0) return 'binary data, not text';
    if (src[q] === 58 && colon < 0) colon = q;
    q++;
  }
  while (q > p && SEP[src[q - 1]] === 1) q--;
  if (colon > p && src[q - 2] === 107 && src[q - 1] === 66) return 'looks like a /proc/meminfo line, not an area line';
  return "not an area line: expected '0x<start>-0x<end> <size> …'";
}
