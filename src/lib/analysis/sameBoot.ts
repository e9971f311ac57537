// Can snapshots A and B be the same machine and boot? A diff of two boots (or two machines) counts
// every area as removed and added again, or pairs areas that merely share a caller and a size: the
// numbers are true of the files, but not an answer to "what changed on this machine?". So the diff
// says why the pair looks wrong, one reason each, from evidence in the dumps themselves:
//
// - 'layout': the addresses have another width (8 hex digits on 32-bit, 16 on 64-bit, in every
//   pointer mode), or raw addresses match two different layout presets (x86_64 vs arm64 ...).
// - 'kernel': another kernel build. `%pS` prints `symbol+0xOFF/0xLEN`, and LEN is the length of
//   the function in that build: one in-kernel symbol (no [module] tag) with one length in A and
//   another in B cannot come from the same kernel. A name with two lengths within one dump (two
//   static functions of the same name) proves nothing and is skipped.
// - 'base': both raw, same layout, but another vmalloc base (x86_64 KASLR moves it by whole GiBs
//   each boot; on 32-bit the start follows RAM size and `vmalloc=`): another boot.
// - 'no-common': not one area in common. With raw addresses (or hashed ones on both sides: the hash
//   key is per boot, so equal hashes mean the same boot) an area alive in both dumps keeps its start
//   address and caller, and early-boot areas live as long as the boot; otherwise, not one area
//   even shares a caller and a size.
// A kernel release string, when a capture carries one, would be a fifth reason; none is read yet.

import type { Model } from '../model/model.ts';

export type SameBootReason = 'layout' | 'kernel' | 'base' | 'no-common';

export interface SameBootWarning {
  reason: SameBootReason;
  /** One sentence saying what differs, with the values. */
  message: string;
}

function hex(v: bigint, digits: number): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}

function vmallocStart(m: Model): bigint | null {
  return m.layout?.regions.find((r) => r.id === 'vmalloc')?.start ?? null;
}

/** Per in-kernel symbol, its function length, or -1 when the dump shows it with two lengths. */
function symbolLengths(m: Model): Map<string, number> {
  const s = m.snapshot;
  const c = s.columns;
  const bySymbol = new Map<number, number>();
  for (let i = 0; i < s.count; i++) {
    const sym = c.symbol[i];
    const len = c.callerLength[i];
    if (sym < 0 || c.module[i] >= 0 || !(len > 0)) continue;
    const seen = bySymbol.get(sym);
    if (seen === undefined) bySymbol.set(sym, len);
    else if (seen !== len) bySymbol.set(sym, -1);
  }
  const out = new Map<string, number>();
  for (const [sym, len] of bySymbol) out.set(s.strings[sym], len);
  return out;
}

/** The first in-kernel symbol whose function length differs between A and B, in B's file order. */
export function kernelMismatch(a: Model, b: Model): { symbol: string; lengthA: number; lengthB: number } | null {
  const la = symbolLengths(a);
  const lb = symbolLengths(b);
  for (const [symbol, lengthB] of lb) {
    const lengthA = la.get(symbol);
    if (lengthA === undefined || lengthA < 0 || lengthB < 0) continue;
    if (lengthA !== lengthB) return { symbol, lengthA, lengthB };
  }
  return null;
}

/** How many areas of B have the start address and caller of an area of A. */
export function areasAtSameAddress(a: Model, b: Model): number {
  const key = (m: Model, i: number) => {
    const s = m.snapshot;
    const c = s.columns;
    const caller = c.symbol[i] < 0 ? `(${s.kindOf(i)})` : `${s.strings[c.symbol[i]]} ${c.module[i] < 0 ? '' : s.strings[c.module[i]]}`;
    return `${c.startHi[i]}:${c.startLo[i]} ${caller}`;
  };
  const inA = new Set<string>();
  for (let i = 0; i < a.snapshot.count; i++) inA.add(key(a, i));
  let n = 0;
  for (let j = 0; j < b.snapshot.count; j++) if (inA.has(key(b, j))) n++;
  return n;
}

export interface SameBootOptions {
  /** A side came from a share link that hid its addresses: they are offsets, not addresses. */
  addressesHiddenA?: boolean;
  addressesHiddenB?: boolean;
  /** Areas the diff paired (same, or resized) whatever its matching rule. */
  matched: number;
}

/** Why A and B cannot be one machine and boot; empty when nothing says so. */
export function sameBootWarnings(a: Model, b: Model, o: SameBootOptions): SameBootWarning[] {
  const out: SameBootWarning[] = [];
  const sa = a.snapshot;
  const sb = b.snapshot;
  if (sa.count === 0 || sb.count === 0) return out;
  const da = sa.addressDigits;
  const db = sb.addressDigits;
  let layoutDiffers = false;
  if (da > 0 && db > 0 && da !== db) {
    layoutDiffers = true;
    out.push({
      reason: 'layout',
      message: `A prints ${da}-digit addresses and B ${db}-digit ones (${da === 8 ? 'A' : 'B'} is a 32-bit kernel): two different architectures.`,
    });
  } else if (a.layout && b.layout && a.layout.id !== b.layout.id) {
    layoutDiffers = true;
    out.push({ reason: 'layout', message: `A has the ${a.layout.name} layout and B the ${b.layout.name} one: two different machines or kernels.` });
  }
  const k = kernelMismatch(a, b);
  if (k) {
    out.push({
      reason: 'kernel',
      message: `Another kernel build: ${k.symbol} is 0x${k.lengthA.toString(16)} bytes long in A and 0x${k.lengthB.toString(16)} in B (the /0x… after each caller).`,
    });
  }
  const raw = sa.pointerMode === 'raw' && sb.pointerMode === 'raw' && !o.addressesHiddenA && !o.addressesHiddenB;
  const va = vmallocStart(a);
  const vb = vmallocStart(b);
  if (!layoutDiffers && raw && va !== null && vb !== null && va !== vb) {
    const digits = Math.max(da, db, 8);
    out.push({
      reason: 'base',
      message: `The vmalloc base differs (A ${hex(va, digits)}, B ${hex(vb, digits)}): KASLR or the boot parameters placed it elsewhere, so these are two boots.`,
    });
  }
  if (!layoutDiffers) {
    const sameKey = raw || (sa.pointerMode === 'hashed' && sb.pointerMode === 'hashed');
    if (sameKey && areasAtSameAddress(a, b) === 0) {
      out.push({
        reason: 'no-common',
        message:
          sa.pointerMode === 'hashed'
            ? 'Not one area has the same hashed address and caller in both dumps: the hash key changes at every boot, so these are two boots.'
            : 'Not one area has the same address and caller in both dumps: areas made at boot stay where they are for the whole boot, so unless a dump was filtered (grep), these are two boots.',
      });
    } else if (!sameKey && o.matched === 0) {
      out.push({ reason: 'no-common', message: 'Not one area of A has a counterpart in B, even by caller and size.' });
    }
  }
  return out;
}

