// What every section's encoder needs to know about the dump, worked out once per payload: the
// areas in model order, their exact starts and ends (raw mode), the units and the base the
// addresses are counted in (docs/share-format.md, "Payload").

import type { Model } from '../../model/model.ts';
import { BIT_PHYS } from '../../parse/snapshot.ts';
import type { AreaColumns, Snapshot } from '../../parse/snapshot.ts';
import { PAGE_SIZE } from '../../types.ts';
import { PAGE, addressOf } from '../format.ts';

export interface EncodeContext {
  model: Model;
  s: Snapshot;
  c: AreaColumns;
  /** The area count. */
  n: number;
  /** Snapshot index of the area at link position k. */
  order: Uint32Array;
  /** Link position of snapshot index i. */
  positionOf: Int32Array;
  raw: boolean;
  /** Raw mode: start and end of the area at link position k. */
  starts: bigint[];
  ends: bigint[];
  /** Start gaps count pages (else bytes: flag bit 4). */
  pageUnits: boolean;
  /** Physical addresses count pages (else bytes: flag bit 5). */
  physPages: boolean;
  /** The first area's start (raw mode), else 0. */
  base: bigint;
  /** The base is in the link (flag bit 3). */
  absolute: boolean;
  /** Sites carry alignments (flag bit 7). */
  aligned: boolean;
}

export function encodeContext(model: Model, includeAddresses: boolean, aligned: boolean): EncodeContext {
  const s = model.snapshot;
  const c = s.columns;
  const n = s.count;
  const order = model.order;
  const raw = s.pointerMode === 'raw';
  const positionOf = new Int32Array(n);
  for (let k = 0; k < n; k++) positionOf[order[k]] = k;

  const starts: bigint[] = [];
  const ends: bigint[] = [];
  let pageUnits = true;
  if (raw) {
    for (let k = 0; k < n; k++) {
      starts.push(addressOf(c.startHi, c.startLo, order[k]));
      ends.push(addressOf(c.endHi, c.endLo, order[k]));
    }
    let prev = starts[0] ?? 0n;
    for (let k = 0; k < n; k++) {
      if ((starts[k] - prev) % PAGE !== 0n) pageUnits = false;
      prev = starts[k] + BigInt(c.size[order[k]]);
    }
  }
  // Physical addresses count pages unless one of them is not page-aligned.
  let physPages = true;
  for (let i = 0; i < n && physPages; i++) if (c.flagBits[i] & BIT_PHYS && c.physLo[i] % PAGE_SIZE) physPages = false;
  return {
    model,
    s,
    c,
    n,
    order,
    positionOf,
    raw,
    starts,
    ends,
    pageUnits,
    physPages,
    base: raw && n > 0 ? starts[0] : 0n,
    absolute: raw && includeAddresses && n > 0,
    aligned: aligned && raw,
  };
}
