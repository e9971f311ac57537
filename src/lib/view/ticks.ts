// Axis ticks for a display interval: hex addresses at power-of-two steps inside each stretch of
// the track that is not a break, so labels stay exact and readable from the whole 32 TiB range
// down to page offsets. Without real addresses, ticks count bytes from the start of the track.

import { formatBytes } from '../format.ts';
import { toAddress, toDisplay } from './track.ts';
import type { Track } from './track.ts';

export interface Tick {
  /** Display position. */
  d: number;
  label: string;
  /** The exact address (raw mode), else null. */
  address: bigint | null;
}

/** Smallest power of two ≥ x (x ≥ 1), as a bigint. */
function stepAtLeast(x: number): bigint {
  let step = 1n;
  const target = BigInt(Math.ceil(Math.max(1, x)));
  while (step < target) step <<= 1n;
  return step;
}

/**
 * Ticks for the visible display interval [d0, d1] drawn `widthPx` wide, at least `minGapPx`
 * apart. Raw mode: hex addresses; other modes: "+N MiB" from the start of the track.
 */
export function ticks(track: Track, d0: number, d1: number, widthPx: number, minGapPx = 140): Tick[] {
  if (!(d1 > d0) || widthPx <= 0) return [];
  const step = stepAtLeast(((d1 - d0) / widthPx) * minGapPx);
  const out: Tick[] = [];
  if (!track.exact) {
    const first = (BigInt(Math.ceil(Math.max(0, d0))) + step - 1n) / step;
    for (let v = first * step; Number(v) <= d1; v += step) out.push({ d: Number(v), label: v === 0n ? '0' : `+${formatBytes(Number(v))}`, address: null });
    return out;
  }
  // Stretches between breaks that fall inside [d0, d1].
  const stretches: Array<[number, number]> = [];
  let from = Math.max(0, d0);
  for (const br of track.breaks) {
    if (br.at + br.width <= from) continue;
    if (br.at >= d1) break;
    if (br.at > from) stretches.push([from, br.at]);
    from = br.at + br.width;
  }
  if (from < Math.min(d1, track.total)) stretches.push([from, Math.min(d1, track.total)]);
  const digits = track.model.snapshot.addressDigits || 16;
  for (const [s0, s1] of stretches) {
    const a0 = toAddress(track, s0)!;
    const a1 = toAddress(track, s1)!;
    for (let a = ((a0 + step - 1n) / step) * step; a <= a1; a += step) {
      const d = toDisplay(track, a);
      if (d === null) continue;
      out.push({ d, label: '0x' + a.toString(16).padStart(digits, '0'), address: a });
    }
  }
  return out;
}
