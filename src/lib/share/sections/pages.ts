// Sections 7, 8 and 9 (docs/share-format.md): page counts against a prediction, physical
// addresses (areas with phys= only) as steps, and NUMA node counts against a prediction.

import { BIT_PHYS } from '../../parse/snapshot.ts';
import type { AreaColumns } from '../../parse/snapshot.ts';
import type { Reader, Writer } from '../bits.ts';
import { U64, broken, unzigzag, zigzagOf } from '../bits.ts';
import { PAGE, addressOf, predictedPages } from '../format.ts';
import type { Dialect } from '../format.ts';
import type { EncodeContext } from './context.ts';

/**
 * Version 4's page code: 0 = as predicted, 1 = none printed, else zigzag(pages − predicted) + 1,
 * a bigint past 2^53 − 1 (pages up to 2^53 − 1 take codes up to 2^54 − 1).
 */
function pageCode(pages: number, predicted: number): number | bigint {
  if (pages === predicted) return 0;
  if (pages === 0) return 1;
  const d = pages - predicted;
  const code = (d < 0 ? -2 * d - 1 : 2 * d) + 1;
  return Number.isSafeInteger(code) ? code : zigzagOf(BigInt(d)) + 1n;
}

/** Section 7. */
export function writePages(w: Writer, ctx: EncodeContext): void {
  const c = ctx.c;
  for (let k = 0; k < ctx.n; k++) {
    const i = ctx.order[k];
    w.wide(pageCode(c.pages[i], predictedPages(c.kind[i], c.size[i])));
  }
}

/** Version 4's reading of a page code. */
export function pagesV4(r: Reader, predicted: number): number {
  const code = r.wide('a page count');
  if (typeof code === 'bigint') {
    // zigzag(pages − predicted) + 1 past 2^53 − 1: pages near 2^53
    const big = BigInt(predicted) + unzigzag(code - 1n);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw broken('a page count is out of range');
    return Number(big);
  }
  return code === 0 ? predicted : code === 1 ? 0 : predicted + (code % 2 ? (code - 1) / 2 : -code / 2);
}

export function readPages(r: Reader, n: number, dialect: Dialect, columns: AreaColumns): void {
  for (let i = 0; i < n; i++) {
    const pages = dialect.pages(r, predictedPages(columns.kind[i], columns.size[i]));
    if (pages < 0) throw broken('a page count is negative');
    if (pages > Number.MAX_SAFE_INTEGER) throw broken('a page count is out of range');
    columns.pages[i] = pages;
  }
}

/** Section 8: per area with BIT_PHYS, the step from the previous phys, in pages or in bytes. */
export function writePhys(w: Writer, ctx: EncodeContext): void {
  const c = ctx.c;
  let last = 0n;
  for (let k = 0; k < ctx.n; k++) {
    const i = ctx.order[k];
    if (!(c.flagBits[i] & BIT_PHYS)) continue;
    const phys = addressOf(c.physHi, c.physLo, i);
    // In bytes, the step modulo 2^64 as a signed value: from 0x1000 to 2^64 − 4096 is −8192.
    w.zigzagBig(ctx.physPages ? (phys - last) / PAGE : BigInt.asIntN(64, phys - last));
    last = phys;
  }
}

export function readPhys(r: Reader, n: number, physUnit: bigint, columns: AreaColumns): void {
  let last = 0n;
  for (let i = 0; i < n; i++) {
    if (!(columns.flagBits[i] & BIT_PHYS)) continue;
    // In bytes, the step is taken modulo 2^64 (the encoder writes it as a signed 64-bit value).
    const step = r.zigzagBig('a physical address');
    const phys = physUnit === 1n ? BigInt.asUintN(64, last + step) : last + step * physUnit;
    if (phys < 0n || phys > U64) throw broken('a physical address is out of range');
    columns.physHi[i] = Number(phys >> 32n);
    columns.physLo[i] = Number(phys & 0xffffffffn);
    last = phys;
  }
}

/** Section 9: 0 = as predicted (all pages on the last single-node area's node), else K + 1 and K × (node, pages). */
export function writeNodes(w: Writer, ctx: EncodeContext): void {
  const c = ctx.c;
  let lastNode = 0;
  for (let k = 0; k < ctx.n; k++) {
    const i = ctx.order[k];
    const from = c.nodeStart[i];
    const to = c.nodeStart[i + 1];
    const predicted = c.pages[i] > 0 ? to - from === 1 && c.nodeId[from] === lastNode && c.nodePages[from] === c.pages[i] : to === from;
    if (predicted) w.uint(0);
    else {
      w.uint(to - from + 1);
      for (let j = from; j < to; j++) {
        w.uint(c.nodeId[j]);
        w.uint(c.nodePages[j]);
      }
    }
    if (to - from === 1) lastNode = c.nodeId[from];
  }
}

export function readNodes(r: Reader, n: number, columns: AreaColumns): void {
  const nodeIds: number[] = [];
  const nodePages: number[] = [];
  let lastNode = 0;
  for (let i = 0; i < n; i++) {
    const pages = columns.pages[i];
    const code = r.uint('a node count', r.left + 1);
    const from = nodeIds.length;
    if (code === 0) {
      if (pages > 0) {
        nodeIds.push(lastNode);
        nodePages.push(pages);
      }
    } else {
      for (let j = 0; j < code - 1; j++) {
        nodeIds.push(r.uint('a node id', 0xffff));
        nodePages.push(r.uint('a node page count'));
      }
    }
    if (nodeIds.length - from === 1) lastNode = nodeIds[from];
    columns.nodeStart[i + 1] = nodeIds.length;
  }
  columns.nodeId = Uint16Array.from(nodeIds);
  columns.nodePages = Float64Array.from(nodePages);
}
