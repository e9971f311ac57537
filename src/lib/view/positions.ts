// Area index (file order) → display position k on a track, the inverse of `track.seq`.

import type { Track } from './track.ts';

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
