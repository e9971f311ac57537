// Bytes to the UTF-8, LF-terminated text the scanner reads, whatever wrote them:
//
// - UTF-16: Windows PowerShell 5's `>` (and Out-File) writes UTF-16LE with a byte-order mark
//   (FF FE), so `ssh host sudo cat /proc/vmallocinfo > dump.txt` gives
//     FF FE 30 00 78 00 66 00 66 00 …   ("0xff…")
//   Some tools write UTF-16BE (FE FF) or drop the mark; without one, UTF-16 is recognised by its
//   zero bytes: a dump is ASCII, so every other byte is 0 (the odd ones in LE, the even ones in BE).
// - a UTF-8 byte-order mark (EF BB BF), which Notepad and PowerShell 7's `Out-File -Encoding
//   utf8BOM` put first: dropped, so the first line reads as an area line.
// - CR-only line ends (classic Mac OS tools, some web forms): each CR that does not end a CRLF
//   becomes LF, so 102 areas stay 102 lines (byte offsets unchanged). CRLF is left to the scanner,
//   which treats a CR before LF as a space.
// Pure: no DOM, no Node.

const LF = 10;
const CR = 13;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** How the bytes were written. */
export interface TextFacts {
  encoding: TextEncodingName;
  /** A byte-order mark was found (and dropped). */
  bom: boolean;
  /** CRs that ended a line on their own and were read as line ends. */
  crLineEnds: number;
}

export interface DecodedText extends TextFacts {
  /** UTF-8, lines ended by LF (CRLF kept). The input itself when nothing had to change. */
  bytes: Uint8Array;
}

/** Bytes looked at to tell UTF-16 without a byte-order mark. */
const SNIFF = 4096;

/**
 * 'utf-16le' or 'utf-16be' when, in the first 4 KiB, nearly every pair of bytes is one zero and
 * one non-zero byte, always on the same side (ASCII text in UTF-16); else null.
 */
export function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SNIFF) & ~1;
  if (n < 8) return null;
  let le = 0;
  let be = 0;
  for (let k = 0; k < n; k += 2) {
    const a = bytes[k];
    const b = bytes[k + 1];
    if (a !== 0 && b === 0) le++;
    else if (a === 0 && b !== 0) be++;
  }
  const pairs = n / 2;
  if (le >= pairs * 0.9) return 'utf-16le';
  if (be >= pairs * 0.9) return 'utf-16be';
  return null;
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Uint8Array {
  let le = bytes;
  if (encoding === 'utf-16be') {
    // Swap to LE ourselves: every engine decodes utf-16le, not every build utf-16be.
    le = new Uint8Array(bytes.length & ~1);
    for (let k = 0; k + 1 < bytes.length; k += 2) {
      le[k] = bytes[k + 1];
      le[k + 1] = bytes[k];
    }
  }
  return new TextEncoder().encode(new TextDecoder('utf-16le').decode(le));
}

/** CRs not followed by (more CRs and) LF, turned into LF in place; returns how many. */
function crToLf(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(CR); at >= 0; at = bytes.indexOf(CR, at + 1)) {
    let q = at + 1;
    while (bytes[q] === CR) q++;
    if (bytes[q] === LF) {
      at = q; // CRLF, or CR CR LF: one line end, left as it is
      continue;
    }
    bytes[at] = LF;
    count++;
  }
  return count;
}

/** Has a CR that does not end a CRLF (cheap: stops at the first one). */
function hasLoneCr(bytes: Uint8Array): boolean {
  for (let at = bytes.indexOf(CR); at >= 0; at = bytes.indexOf(CR, at + 1)) {
    let q = at + 1;
    while (bytes[q] === CR) q++;
    if (bytes[q] !== LF) return true;
    at = q;
  }
  return false;
}

/** The input as UTF-8 with LF line ends (see the top of this file). Never throws. */
export function decodeText(input: Uint8Array): DecodedText {
  let bytes = input;
  let encoding: TextEncodingName = 'utf-8';
  let bom = false;
  if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
    bytes = input.subarray(3);
    bom = true;
  } else if (input[0] === 0xff && input[1] === 0xfe) {
    encoding = 'utf-16le';
    bom = true;
    bytes = decodeUtf16(input.subarray(2), encoding);
  } else if (input[0] === 0xfe && input[1] === 0xff) {
    encoding = 'utf-16be';
    bom = true;
    bytes = decodeUtf16(input.subarray(2), encoding);
  } else {
    const sniffed = sniffUtf16(input);
    if (sniffed) {
      encoding = sniffed;
      bytes = decodeUtf16(input, sniffed);
    }
  }
  let crLineEnds = 0;
  if (hasLoneCr(bytes)) {
    if (bytes === input || bytes.buffer === input.buffer) bytes = bytes.slice();
    crLineEnds = crToLf(bytes);
  }
  return { bytes, encoding, bom, crLineEnds };
}

/** "UTF-16LE with a byte-order mark", "UTF-8 with a byte-order mark", or null for plain UTF-8. */
export function encodingName(encoding: TextEncodingName, bom: boolean): string | null {
  if (encoding === 'utf-8') return bom ? 'UTF-8 with a byte-order mark' : null;
  return `${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'}${bom ? ' with a byte-order mark' : ' without a byte-order mark'}`;
}
