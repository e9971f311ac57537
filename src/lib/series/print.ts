// An area's /proc/vmallocinfo line printed back from a Snapshot's columns, as s_show() in
// mm/vmalloc.c prints it (see the scanner's header, parse/scanner.ts):
//
//   0xffffd17d813c0000-0xffffd17d813c5000   20480 kernel_clone+0x99/0x390 pages=4 vmalloc N0=4
//   0xffffd17d81000000-0xffffd17d81100000 1048576 vm_map_ram
//   0xffffd17d813c0000-0xffffd17d813c5000   20480 unpurged vm_area
//
// Reading the printed line back gives the same columns (areaKey, build.ts): range, size, caller,
// `[module]`, pages=, phys=, flag words in the order they were read, N<node>= counts. What the
// columns do not keep is printed the usual way: a size right-aligned in 7 columns (%7ld), phys= as
// `0x` and 16 hex digits (8 on a 32-bit dump whose phys fits), one space between fields.
// Used to write a series back as a recording (share.ts). Pure.

import { BIT_MASKED, BIT_PHYS, KIND_INDEX } from '../parse/snapshot.ts';
import type { Snapshot } from '../parse/snapshot.ts';

/** How the addresses of a printed line are written. */
export interface PrintAddresses {
  /** Hex digits of start and end (16 on 64-bit, 8 on 32-bit). */
  digits: number;
  /** Subtracted from start and end (modulo 2^64), 0n to print them as they are. */
  base: bigint;
  /** Subtracted from phys= (modulo 2^64). */
  physBase: bigint;
  /** Instead of subtracting `base`: each start and end as this gives it (hashed addresses renumbered). */
  rename?: (address: bigint) => bigint;
  /** A caller printed as a bare address (no symbol), replaced by this text when given. */
  bareCaller?: (text: string) => string;
}

const U64 = (1n << 64n) - 1n;

function hexOf(v: bigint, digits: number): string {
  return (v & U64).toString(16).padStart(digits, '0');
}

function addressOf(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Area i of `s` as its /proc/vmallocinfo line (no LF). */
export function areaLine(s: Snapshot, i: number, a: PrintAddresses): string {
  const c = s.columns;
  const bits = c.flagBits[i];
  let range: string;
  if (bits & BIT_MASKED) {
    const m = a.digits === 8 ? '0x(ptrval)' : '0x(____ptrval____)';
    range = `${m}-${m}`;
  } else {
    const start = a.rename ? a.rename(addressOf(c.startHi[i], c.startLo[i])) : addressOf(c.startHi[i], c.startLo[i]) - a.base;
    const end = a.rename ? a.rename(addressOf(c.endHi[i], c.endLo[i])) : addressOf(c.endHi[i], c.endLo[i]) - a.base;
    range = `0x${hexOf(start, a.digits)}-0x${hexOf(end, a.digits)}`;
  }
  const parts = [range, String(c.size[i]).padStart(7)];
  const kind = c.kind[i];
  if (kind === KIND_INDEX.vm_map_ram) parts.push('vm_map_ram');
  else if (kind === KIND_INDEX.unpurged) parts.push('unpurged vm_area');
  const symbol = s.symbolOf(i);
  if (symbol !== null) {
    const off = c.callerOffset[i];
    if (Number.isNaN(off)) parts.push(a.bareCaller ? a.bareCaller(symbol) : symbol);
    else parts.push(`${symbol}+0x${off.toString(16)}/0x${c.callerLength[i].toString(16)}`);
  }
  const module = s.moduleOf(i);
  if (module !== null) parts.push(`[${module}]`);
  if (c.pages[i] > 0) parts.push(`pages=${c.pages[i]}`);
  if (bits & BIT_PHYS) {
    const phys = (addressOf(c.physHi[i], c.physLo[i]) - a.physBase) & U64;
    parts.push(`phys=0x${hexOf(phys, a.digits === 8 && phys <= 0xffffffffn ? 8 : 16)}`);
  }
  parts.push(...s.flagsOf(i));
  for (let k = c.nodeStart[i]; k < c.nodeStart[i + 1]; k++) parts.push(`N${c.nodeId[k]}=${c.nodePages[k]}`);
  return parts.join(' ');
}
