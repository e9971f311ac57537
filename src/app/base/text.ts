// Words the app shows for the library's vocabulary. Kept apart from the components so tests and
// other screens can reuse the exact sentences.

import type { AreaKind, PointerMode } from '../../lib/index.ts';

/** One plain-language sentence per pointer mode: what can be trusted in this dump. */
export const POINTER_MODE_SENTENCE: Record<PointerMode, string> = {
  raw: 'addresses are real: sizes, callers, totals and the layout are all exact',
  hashed: 'addresses are hashed (kptr_restrict=0): sizes, callers and totals are exact, layout is not',
  masked:
    'addresses are masked as (____ptrval____), printed in early boot before the hash key was ready: sizes, callers and totals are exact, layout is unknown',
  zero: 'addresses are zeroed (kptr_restrict=2, or read without CAP_SYSLOG): sizes, callers and totals are exact, layout is unknown',
  unknown: 'no area lines were found, so there is nothing to measure',
};

/** What the map can show in each mode. */
export const POINTER_MODE_MAP: Partial<Record<PointerMode, string>> = {
  raw: 'The map puts every area at its real address',
  hashed:
    'The map lays the areas out in file order, packed back to back: areas whose hashes prove them adjacent stay together, and a gap of unknown size may lie at each dashed mark',
  masked: 'The map lays the areas out in file order, packed back to back: gaps between them are unknown',
  zero: 'The map lays the areas out in file order, packed back to back: gaps between them are unknown',
};

/** Raw mode from a link that hid absolute addresses: exact, but counted from the first area. */
export const RELATIVE_SENTENCE = 'addresses are offsets from the first area (the link hid the real ones): sizes, callers, totals and the layout are all exact';
export const RELATIVE_MAP = 'The map puts every area at its offset from the first one';

/**
 * How to get real addresses. %pK prints real addresses to a reader with CAP_SYSLOG (root) when
 * kptr_restrict=1; kptr_restrict=0 is what produces hashes (4.15+) and 2 zeros; booting with
 * no_hash_pointers prints them unhashed whatever kptr_restrict says (docs/format.md, "Address printing modes").
 */
export const REAL_ADDRESSES_HINT =
  'For real addresses, read the file as root with kernel.kptr_restrict=1, or boot with no_hash_pointers';

/** How to get real addresses next time, for the modes that lack them. */
export const POINTER_MODE_HINT: Partial<Record<PointerMode, string>> = {
  hashed: REAL_ADDRESSES_HINT,
  zero: REAL_ADDRESSES_HINT,
  masked: 'Read the file again once boot has finished, as root with kernel.kptr_restrict=1',
};

export const KIND_DESCRIPTION: Record<AreaKind, string> = {
  vmalloc: 'memory from vmalloc() and friends',
  ioremap: 'device memory mapped with ioremap()',
  vmap: 'existing pages mapped with vmap()',
  vm_map_ram: 'per-CPU vm_map_ram blocks',
  unpurged: 'freed lazily, waiting for a TLB flush',
  sparse: 'sparse areas (BPF arena)',
  'dma-coherent': 'DMA-coherent buffers',
  other: 'none of the above',
};

/** "2026-11-30 01:00:15" in this browser's local time. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Where a moment's time came from, when not from a stamp line. */
const TIME_FROM: Record<string, string> = {
  name: 'time from the file name',
  mtime: 'time from the file’s modification time',
  recording: 'time from the recording',
};

/**
 * What the heading says about the moment on screen: "moment 12 of 30 · 2026-11-30 01:00:15
 * (local) · stamps in +00:00". A moment without a time says so; a stamp without a zone was read as UTC.
 */
export function momentHeading(index: number, count: number, m: { time: number | null; timeFrom: string | null; zone: string | null }): string {
  const parts = [`moment ${index + 1} of ${count}`];
  if (m.time === null) parts.push('no time');
  else {
    parts.push(`${localTime(m.time)} (local)`);
    if (m.timeFrom === 'stamp') parts.push(m.zone ? `stamps in ${m.zone}` : 'stamps name no zone: read as UTC');
    else if (m.timeFrom && TIME_FROM[m.timeFrom]) parts.push(TIME_FROM[m.timeFrom]);
  }
  return parts.join(' · ');
}
