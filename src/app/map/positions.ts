// Area index (file order) → display position k on a track, the inverse of `track.seq`.

import type { Track } from '../../lib/index.ts';

const cache = new WeakMap<Track, Uint32Array>();

export function positionOf(track: Track, index: number): number {
  let inverse = cache.get(track);
  if (!inverse) {
    inverse = new Uint32Array(track.seq.length);
    for (let k = 0; k < track.seq.length; k++) inverse[track.seq[k]] = k;
    cache.set(track, inverse);
  }
  return inverse[index];
}

/** First index j in an ascending array with a[j] >= value. */
export function lowerBound(a: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < value) lo = m + 1;
    else hi = m;
  }
  return lo;
}
