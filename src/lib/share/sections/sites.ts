// Sections 1 and 2 (docs/share-format.md): the call sites, what areas from one site share
// (caller, module, kind and flag bits, and in raw mode an alignment), stored column by column;
// then each area's site.

import { BIT_MASKED } from '../../parse/snapshot.ts';
import type { AreaColumns } from '../../parse/snapshot.ts';
import type { Reader, Writer } from '../bits.ts';
import { broken } from '../bits.ts';
import { ALIGN_MAX, KIND_CODE, KIND_TABLE } from '../format.ts';
import type { Dialect } from '../format.ts';
import type { EncodeContext } from './context.ts';

export interface Site {
  /** kind | flagBits << 3 */
  kf: number;
  /** String id of the caller, −1 for none. */
  sym: number;
  /** Caller offset and length as printed, −1 when not. */
  off: number;
  len: number;
  /** String id of the module, −1 for none. */
  mod: number;
  /** Index in the sorted site list. */
  id: number;
}

/** The sites sorted so that neighbours differ little (ids set to that order), and each area's site. */
export function collectSites(ctx: EncodeContext, remap: number[]): { sites: Site[]; areaSite: Site[] } {
  const { c, n, order } = ctx;
  const siteOf = new Map<string, Site>();
  const areaSite: Site[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const sym = c.symbol[i] < 0 ? -1 : remap[c.symbol[i]];
    const mod = c.module[i] < 0 ? -1 : remap[c.module[i]];
    // The offset and length as printed, −1 when not (their codes add 1 and 2, and may pass 2^53).
    const off = Number.isNaN(c.callerOffset[i]) || sym < 0 ? -1 : c.callerOffset[i];
    const len = Number.isNaN(c.callerLength[i]) || sym < 0 ? -1 : c.callerLength[i];
    const kf = c.kind[i] | (c.flagBits[i] << 3);
    const key = `${kf},${sym},${off},${len},${mod}`;
    let site = siteOf.get(key);
    if (!site) siteOf.set(key, (site = { kf, sym, off, len, mod, id: 0 }));
    areaSite.push(site);
  }
  const sites = [...siteOf.values()].sort((x, y) => x.sym - y.sym || x.off - y.off || x.len - y.len || x.mod - y.mod || x.kf - y.kf);
  for (const [id, site] of sites.entries()) site.id = id;
  return { sites, areaSite };
}

/** Section 1: T, then the columns symbols, offsets, lengths, modules, kinds, [alignments]. */
export function writeSites(w: Writer, sites: Site[], masked: boolean, align: Map<Site, number> | null): void {
  w.uint(sites.length);
  let prev: Site | null = null;
  for (const site of sites) {
    w.uint(site.sym - (prev?.sym ?? -1));
    prev = site;
  }
  // offset code (offset + 1, 0 = not printed), less the previous one's with the same symbol
  prev = null;
  for (const site of sites) {
    if (site.sym >= 0) w.sum(site.off, prev !== null && prev.sym === site.sym ? -prev.off : 1);
    prev = site;
  }
  // length code: 0 = as the previous, 1 = not printed, else length + 2
  prev = null;
  for (const site of sites) {
    if (site.sym >= 0) {
      if (prev !== null && prev.sym === site.sym && prev.len === site.len) w.uint(0);
      else w.sum(site.len, 2);
    }
    prev = site;
  }
  for (const site of sites) w.uint(site.mod + 1);
  for (const site of sites) {
    const kf = masked ? site.kf ^ (BIT_MASKED << 3) : site.kf;
    w.uint(KIND_CODE.get(kf) ?? KIND_TABLE.length + kf);
  }
  if (align) for (const site of sites) w.uint(align.get(site)!);
}

/** Section 2: each area's site. */
export function writeAreas(w: Writer, areaSite: Site[]): void {
  for (const site of areaSite) w.uint(site.id);
}

/** Version 4's kind code: a table index or an escaped value, the masked bit flipped in masked mode. */
export function kindV4(r: Reader, masked: boolean): number {
  // (a file may mix masked and unmasked lines)
  const code = r.uint('a kind', KIND_TABLE.length + (1 << 13) - 1);
  const kf = code < KIND_TABLE.length ? KIND_TABLE[code] : code - KIND_TABLE.length;
  return masked ? kf ^ (BIT_MASKED << 3) : kf;
}

/** The call sites as columns, by site id. */
export interface SiteTable {
  count: number;
  kf: Uint16Array;
  sym: Int32Array;
  off: Float64Array;
  len: Float64Array;
  mod: Int32Array;
  align: Uint8Array;
}

export function readSites(r: Reader, stringCount: number, masked: boolean, aligned: boolean, dialect: Dialect): SiteTable {
  const count = r.uint('the call site count', Math.floor(r.left / 3));
  const t: SiteTable = {
    count,
    kf: new Uint16Array(count),
    sym: new Int32Array(count),
    off: new Float64Array(count),
    len: new Float64Array(count),
    mod: new Int32Array(count),
    align: new Uint8Array(count),
  };
  // column by column: symbols, then offsets and lengths of the sites with a caller, modules, kinds
  let sym = -1;
  for (let k = 0; k < count; k++) {
    const step = r.uint('a caller', stringCount);
    if (sym + step >= stringCount) throw broken('a caller is out of range');
    sym += step;
    t.sym[k] = sym;
    t.off[k] = t.len[k] = NaN;
  }
  // Offset codes (offset + 1) reach 2^53 and length codes (length + 2) 2^53 + 1 for values of
  // 2^53 − 1: read wide, and compared exactly (a bigint compares with a number by value).
  let off = 0;
  for (let k = 0; k < count; k++) {
    if (t.sym[k] < 0) continue;
    const o = r.wide('a caller offset');
    const code = k > 0 && t.sym[k - 1] === t.sym[k] ? (typeof o === 'number' && Number.isSafeInteger(off + o) ? off + o : BigInt(off) + BigInt(o)) : o;
    if (code > 2 ** 53) throw broken('a caller offset is out of range');
    off = Number(code);
    t.off[k] = off === 0 ? NaN : off - 1;
  }
  let len = 0;
  for (let k = 0; k < count; k++) {
    if (t.sym[k] < 0) continue;
    const code = r.wide('a caller length');
    if (code === 0 && !(k > 0 && t.sym[k - 1] === t.sym[k])) throw broken('a caller length refers to nothing');
    if (code > 2 ** 53 + 2) throw broken('a caller length is out of range');
    if (code !== 0) len = typeof code === 'bigint' ? Number(code - 1n) : code - 1;
    t.len[k] = len === 0 ? NaN : len - 1;
  }
  for (let k = 0; k < count; k++) t.mod[k] = r.uint('a module', stringCount) - 1;
  for (let k = 0; k < count; k++) t.kf[k] = dialect.kind(r, masked);
  if (aligned) for (let k = 0; k < count; k++) t.align[k] = r.uint('an alignment', ALIGN_MAX);
  return t;
}

/** Section 2: each area's site, its columns filled in from the site's. */
export function readAreas(r: Reader, n: number, t: SiteTable, columns: AreaColumns): Uint32Array {
  const areaSite = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = t.count ? r.uint('a call site', t.count - 1) : r.uint('a call site', -1);
    areaSite[i] = k;
    columns.kind[i] = t.kf[k] & 7;
    columns.flagBits[i] = t.kf[k] >> 3;
    columns.symbol[i] = t.sym[k];
    columns.callerOffset[i] = t.off[k];
    columns.callerLength[i] = t.len[k];
    columns.module[i] = t.mod[k];
  }
  return areaSite;
}
