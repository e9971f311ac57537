// Level of detail: when many areas share a pixel column the map draws, per column, how much of it
// is occupied and by what, instead of every rectangle. One pass over the visible areas.

import { visibleRange } from './track.ts';
import type { Track } from './track.ts';

export interface Bins {
  /** Fraction of each column covered by areas, 0..1. */
  cover: Float32Array;
  /** Per column, the key (colour index) that covers most of it, or -1. */
  key: Int32Array;
  /** Areas counted. */
  areas: number;
}

/**
 * Bin the display interval [d0, d1) into `columns` equal columns. `keyOf(areaIndex)` gives each
 * area's colour key (0..keys-1).
 */
export function binColumns(track: Track, d0: number, d1: number, columns: number, keyOf: (index: number) => number, keys: number): Bins {
  const cover = new Float32Array(columns);
  const key = new Int32Array(columns).fill(-1);
  const perKey = new Float64Array(columns * keys);
  const width = (d1 - d0) / columns;
  const [k0, k1] = visibleRange(track, d0, d1);
  for (let k = k0; k < k1; k++) {
    const from = Math.max(d0, track.pos[k]);
    const to = Math.min(d1, track.pos[k] + track.len[k]);
    if (to <= from) continue;
    const kk = keyOf(track.seq[k]);
    const c0 = Math.floor((from - d0) / width);
    const c1 = Math.min(columns - 1, Math.floor((to - d0) / width));
    for (let c = c0; c <= c1; c++) {
      const colFrom = d0 + c * width;
      const part = Math.min(to, colFrom + width) - Math.max(from, colFrom);
      if (part <= 0) continue;
      cover[c] += part / width;
      perKey[c * keys + kk] += part;
    }
  }
  for (let c = 0; c < columns; c++) {
    let best = -1;
    let bestPart = 0;
    for (let kk = 0; kk < keys; kk++) {
      const part = perKey[c * keys + kk];
      if (part > bestPart) {
        best = kk;
        bestPart = part;
      }
    }
    key[c] = best;
    if (cover[c] > 1) cover[c] = 1;
  }
  return { cover, key, areas: k1 - k0 };
}
