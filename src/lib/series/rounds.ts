// A shell-loop log cut into its rounds, one moment each:
//
//   2026-11-30T00:59:06+00:00                                       <- a stamp (stamps.ts): round 1
//   0x00000000f16610e2-0x000000009df1b886   20480 irq_init_percpu_irqstack+0xed/0x120 vmap
//   …
//   MemTotal:         983472 kB                                     <- /proc/meminfo of round 1
//   2026-11-30T00:59:10+00:00                                       <- round 2
//   …
//
// Rules, in the order they apply:
// - A round runs from its stamp line to the next stamp line. Its bytes are the lines after the
//   stamp (a subarray of the input, never a copy), including the round's /proc/meminfo and
//   /proc/modules lines, which the input pass (../input/capture.ts) reads per round.
// - Stamp lines next to each other (blank lines between at most) make one header when one of them
//   has no time (a `=====` rule above and below a `date` line, `=== round 3 ===` then `date`): the
//   round takes the time (the first stamp with one), begins at the header's first line, and its
//   bytes start after the header's last stamp line (so no stamp is ever read as an area line). Two
//   timed stamps are always two rounds.
// - A banner without a time and with no area line after it, right after a round (`=== meminfo ===`
//   above the round's /proc/meminfo) is a section title inside that round: the round's bytes run
//   on to the next stamp, so its meminfo stays with it (the title is a foreign line to the scanner).
//   Any other banner without a time and without area lines (a title above everything) is dropped.
// - A timed stamp with no area line after it (an interrupted loop's last `date`, a `cat` that
//   failed) is dropped and listed in `emptyRounds`: it would be a moment of 0 areas.
// - Text before the first stamp is a round of its own (stamp null, line 1) when it holds an area
//   line; otherwise (a shell command, a title) it is dropped silently.
// - A text with no stamp line, or where no round holds an area line, is exactly one round: stamp
//   null, all the bytes, line 1 (a single dump, read as before series existed).
//
// An area line is one whose first non-blank bytes are `0x` (what the scanner and the capture pass
// take for one, wrapped pieces included). Only the other lines, and only those of at most
// MAX_STAMP_BYTES, are decoded and offered to parseStamp, so a 230 MB log costs one indexOf and
// a byte compare per area line. Input: UTF-8 with LF line ends (../input/text.ts decodeText).
// Pure: no DOM, no Node.

import { MAX_STAMP, parseStamp } from './stamps.ts';
import type { Stamp } from './stamps.ts';

export interface Round {
  /** The round's stamp, or null for the text before the first stamp (or a text with none). */
  stamp: Stamp | null;
  /** The round's lines after its stamp, up to the next round's stamp, as a subarray of the input. */
  bytes: Uint8Array;
  /** 1-based line in the whole text where the round begins: its (first) stamp line, or 1. */
  line: number;
  /** 1-based line in the whole text of the first line of `bytes` (line numbers of a parse of `bytes` add `bodyLine - 1`). */
  bodyLine: number;
  /** Area lines (`0x…`) in `bytes`. */
  areaLines: number;
}

/** A timed stamp followed by no area line before the next stamp or the end, dropped from the rounds. */
export interface EmptyRound {
  /** 1-based line of its stamp. */
  line: number;
  stamp: Stamp;
}

export interface SplitRounds {
  rounds: Round[];
  emptyRounds: EmptyRound[];
}

const LF = 10;
const SP = 32;
const TAB = 9;
const CR = 13;

/** Longest line, in bytes, offered to parseStamp (MAX_STAMP characters of up to 3 UTF-8 bytes, some blanks). */
export const MAX_STAMP_BYTES = MAX_STAMP * 3 + 16;

const utf8 = new TextDecoder('utf-8');

/** The line's text: ASCII directly, anything else through the UTF-8 decoder. */
function lineText(b: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let k = start; k < end; k++) {
    if (b[k] >= 0x80) {
      ascii = false;
      break;
    }
  }
  const sub = b.subarray(start, end);
  return ascii ? String.fromCharCode.apply(null, sub as unknown as number[]) : utf8.decode(sub);
}

/** Can a stamp begin with this byte: a digit, a letter, `=`, `-`, `#`, or a non-ASCII byte. */
function mayStartStamp(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 61 || c === 45 || c === 35 || c >= 0x80;
}

interface Open {
  stamp: Stamp | null;
  line: number;
  /** Byte offset of its first line. */
  begin: number;
  bodyStart: number;
  bodyLine: number;
  areas: number;
}

/** The rounds of a text (see the rules above). Never throws; one pass over the bytes. */
export function splitRounds(text: Uint8Array): SplitRounds {
  const rounds: Round[] = [];
  const emptyRounds: EmptyRound[] = [];
  const n = text.length;
  let open: Open = { stamp: null, line: 1, begin: 0, bodyStart: 0, bodyLine: 1, areas: 0 };
  let stamps = 0;
  /** Ends the open round at byte `end`: kept when it has an area line, else listed if stamped. */
  let lastEnd = -1;
  const close = (end: number) => {
    if (open.areas > 0) {
      rounds.push({ stamp: open.stamp, bytes: text.subarray(open.bodyStart, end), line: open.line, bodyLine: open.bodyLine, areaLines: open.areas });
      lastEnd = end;
    } else if (open.stamp !== null && open.stamp.ms === null && rounds.length > 0 && lastEnd === open.begin) {
      // `=== meminfo ===` after a round's areas: a section title inside that round.
      const last = rounds[rounds.length - 1];
      last.bytes = text.subarray(last.bytes.byteOffset - text.byteOffset, end);
      lastEnd = end;
    } else if (open.stamp !== null && open.stamp.ms !== null) emptyRounds.push({ line: open.line, stamp: open.stamp });
  };
  /** A non-blank line that is not a stamp was seen since the last stamp line. */
  let foreign = false;
  let lineNo = 1;
  for (let p = 0; p < n; lineNo++) {
    let e = text.indexOf(LF, p);
    if (e < 0) e = n;
    let q = p;
    while (q < e && (text[q] === SP || text[q] === TAB)) q++;
    const c = text[q];
    if (c === 48 && (text[q + 1] | 32) === 120) {
      open.areas++;
      foreign = true;
    } else if (q < e && c !== CR && e - q <= MAX_STAMP_BYTES && mayStartStamp(c)) {
      const stamp = parseStamp(lineText(text, q, e));
      if (stamp !== null) {
        stamps++;
        const body = Math.min(e + 1, n);
        if (open.stamp !== null && !foreign && (open.stamp.ms === null || stamp.ms === null)) {
          // One header: `=====` / `date` / `=====`. The round keeps its first line and first time.
          if (open.stamp.ms === null) open.stamp = stamp;
          open.bodyStart = body;
          open.bodyLine = lineNo + 1;
        } else {
          close(p);
          open = { stamp, line: lineNo, begin: p, bodyStart: body, bodyLine: lineNo + 1, areas: 0 };
        }
        foreign = false;
      } else foreign = true;
    } else if (q < e && c !== CR) {
      foreign = true;
    }
    p = e + 1;
  }
  close(n);
  if (stamps === 0 || rounds.length === 0) {
    let areas = 0;
    for (const r of rounds) areas += r.areaLines;
    return { rounds: [{ stamp: null, bytes: text, line: 1, bodyLine: 1, areaLines: areas }], emptyRounds: [] };
  }
  return { rounds, emptyRounds };
}
