// Search on the map: a caller or module name (matches every area whose caller function or module
// contains the text: its [module] tag, or, once /proc/modules is known, the module whose loader
// area it is), or an address (the area that contains it, or the free hole).

import { hexBig, hiOf, hitTest, loOf, toDisplay } from '../../lib/index.ts';
import type { ModuleColumn, Track } from '../../lib/index.ts';

export type Query = { type: 'empty' } | { type: 'address'; value: bigint } | { type: 'text'; text: string };

/**
 * "0x…" is always an address; bare hex counts as one only from 8 digits on, so module names such
 * as "e1000" stay names.
 */
export function parseQuery(input: string): Query {
  const q = input.trim();
  if (q === '') return { type: 'empty' };
  const hex = /^(0x)?([0-9a-f]+)$/i.exec(q);
  if (hex && (hex[1] || hex[2].length >= 8) && hex[2].length <= 16) return { type: 'address', value: BigInt('0x' + hex[2]) };
  return { type: 'text', text: q.replace(/^\[|\]$/g, '').toLowerCase() };
}

/**
 * Display positions k (ascending) of the areas whose caller or module contains the text. `modules`
 * (see moduleColumn) names the module of the loader's areas too once /proc/modules is known; without
 * it only [module] tags count.
 */
export function findText(track: Track, text: string, modules: ModuleColumn | null = null): Uint32Array {
  const s = track.model.snapshot;
  const c = s.columns;
  const hit = new Uint8Array(s.strings.length);
  s.strings.forEach((name, id) => (hit[id] = name.toLowerCase().includes(text) ? 1 : 0));
  const hitModule = modules ? Uint8Array.from(modules.names, (name) => (name.toLowerCase().includes(text) ? 1 : 0)) : null;
  const out: number[] = [];
  for (let k = 0; k < track.seq.length; k++) {
    const i = track.seq[k];
    const byModule = modules && hitModule ? modules.ids[i] >= 0 && hitModule[modules.ids[i]] === 1 : c.module[i] >= 0 && hit[c.module[i]] === 1;
    if ((c.symbol[i] >= 0 && hit[c.symbol[i]]) || byModule) out.push(k);
  }
  return Uint32Array.from(out);
}

/** Where an address lies on the track. Display bounds `from`/`to` say what to zoom to. */
export type Located =
  | { type: 'area'; k: number }
  | { type: 'hole'; from: number; to: number; start: bigint; end: bigint; bytes: number }
  | { type: 'outside'; reason: string };

export function locateAddress(track: Track, address: bigint): Located {
  const digits = track.model.snapshot.addressDigits || 16;
  if (!track.exact) {
    // Hashed: equal hashes are equal addresses, so an area's printed start can still be found.
    if (track.model.snapshot.pointerMode !== 'hashed') return { type: 'outside', reason: 'this dump has no addresses to search' };
    const c = track.model.snapshot.columns;
    const hi = hiOf(address);
    const lo = loOf(address);
    for (let k = 0; k < track.seq.length; k++) {
      const i = track.seq[k];
      if (c.startHi[i] === hi && c.startLo[i] === lo) return { type: 'area', k };
    }
    return { type: 'outside', reason: `no area starts at the hash ${hexBig(address, digits)}` };
  }
  const d = toDisplay(track, address);
  if (d === null || d >= track.total) return { type: 'outside', reason: `${hexBig(address, digits)} is outside the mapped range` };
  const hit = hitTest(track, d);
  if (hit?.type === 'area') return { type: 'area', k: hit.k };
  if (hit?.type === 'break') {
    const br = hit.break;
    return { type: 'hole', from: br.at, to: br.at + br.width, start: br.start!, end: br.end!, bytes: br.bytes };
  }
  if (hit?.type === 'hole') return { type: 'hole', from: hit.from, to: hit.to, start: hit.start!, end: hit.end!, bytes: hit.bytes };
  return { type: 'outside', reason: `${hexBig(address, digits)} is outside the mapped range` };
}

/** The next match after (or before, with `step` −1) position `current`, wrapping around. */
export function stepMatch(matches: Uint32Array, current: number, step: 1 | -1): number {
  if (matches.length === 0) return -1;
  return (((current + step) % matches.length) + matches.length) % matches.length;
}
