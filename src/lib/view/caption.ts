// The words of the map's caption (MapCaption.tsx shows them above the canvas): what the whole
// track is, and which stretch of it the view shows with the bytes of areas in it. Those bytes come
// from prefix sums of the areas' display lengths, so any view costs O(log n).

import { hexBig } from '../addr.ts';
import { formatBytes } from '../format.ts';
import { toAddress, visibleRange } from './track.ts';
import type { Track } from './track.ts';

/** Prefix sums of the areas' display lengths, per track: bytes in areas between two positions in O(log n). */
const areaPrefix = new WeakMap<Track, Float64Array>();

function prefixOf(track: Track): Float64Array {
  let sums = areaPrefix.get(track);
  if (!sums) {
    sums = new Float64Array(track.len.length + 1);
    for (let k = 0; k < track.len.length; k++) sums[k + 1] = sums[k] + track.len[k];
    areaPrefix.set(track, sums);
  }
  return sums;
}

/** Bytes of areas between display positions d0 and d1 (areas cut at the edges count only their part inside). */
export function areaBytesIn(track: Track, d0: number, d1: number): number {
  const [k0, k1] = visibleRange(track, d0, d1);
  if (k1 <= k0) return 0;
  const sums = prefixOf(track);
  let bytes = sums[k1] - sums[k0];
  bytes -= Math.max(0, d0 - track.pos[k0]);
  bytes -= Math.max(0, track.pos[k1 - 1] + track.len[k1 - 1] - d1);
  return Math.max(0, bytes);
}

/**
 * The caption's two texts. Raw dumps: the address range in view and how many bytes of addresses it
 * spans (collapsed holes count at their true size), then the bytes of areas in it. Packed dumps:
 * offsets into the areas laid back to back.
 */
export function captionText(track: Track, view: { start: number; end: number }): { whole: string; below: string } {
  const inAreas = `${formatBytes(Math.round(areaBytesIn(track, view.start, view.end)))} in areas`;
  if (!track.exact) {
    return {
      whole: `Whole track: ${formatBytes(track.total)} of areas, packed in file order`,
      below: `Below: +${formatBytes(Math.round(view.start))} – +${formatBytes(Math.round(view.end))} into it · ${inAreas}`,
    };
  }
  const digits = track.model.snapshot.addressDigits || 16;
  const first = toAddress(track, 0)!;
  const last = toAddress(track, track.total)!;
  const from = toAddress(track, view.start)!;
  const to = toAddress(track, view.end)!;
  const holes = track.collapsed && track.breaks.length > 0 ? ', big free holes collapsed' : track.collapsed ? '' : ', linear';
  return {
    whole: `Whole track: ${formatBytes(Number(last - first))} of addresses${holes}`,
    below: `Below: ${hexBig(from, digits)} – ${hexBig(to, digits)}, ${formatBytes(Number(to - from))} of addresses · ${inAreas}`,
  };
}
