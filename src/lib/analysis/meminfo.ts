// /proc/meminfo's three Vmalloc lines against what the dump shows (fs/proc/meminfo.c):
//
//   VmallocTotal:   34359738367 kB   (VMALLOC_END − VMALLOC_START) >> 10: the range, rounded down to kB
//   VmallocUsed:        5656 kB      vmalloc_nr_pages() since 5.3: pages backing vmalloc areas; 0 in 4.4–5.2
//   VmallocChunk:          0 kB      always 0 since 4.4 (walking the list was too slow)
//
// x86_64 4-level prints 34359738367 kB, 1 KiB short of 32 TiB: VMALLOC_END is inclusive there, so
// the range is a byte short and >> 10 drops the last KiB. A match therefore allows a page.

import { formatBytes, formatCount } from '../format.ts';
import type { MeminfoEntry } from '../input/capture.ts';
import type { LayoutHints } from '../model/layout.ts';
import type { Model } from '../model/model.ts';
import { fragmentation } from './fragmentation.ts';
import { KIND_INDEX } from '../parse/snapshot.ts';
import { PAGE_SIZE } from '../types.ts';

export interface MeminfoCheck {
  /** VmallocTotal in bytes, or null when absent. */
  vmallocTotal: number | null;
  /** Size of the detected vmalloc region in bytes, or null without a layout. */
  detectedRange: number | null;
  totalMatches: boolean | null;
  /** VmallocUsed in bytes, or null. */
  vmallocUsed: number | null;
  /** Sum of pages= × 4096 over vmalloc-kind areas (what VmallocUsed counts since 5.3). */
  vmallocPagesBytes: number;
  /** VmallocChunk in bytes (0 since 4.4), or null. */
  vmallocChunk: number | null;
  /** One sentence per finding, for people: e.g. "VmallocUsed is 0: kernels 4.4–5.2 do not count it". */
  notes: string[];
  /** VmallocUsed − vmallocPagesBytes, or null without VmallocUsed. */
  usedDifference: number | null;
}

function bytesOf(entries: MeminfoEntry[], key: string): number | null {
  const e = entries.find((x) => x.key === key);
  if (!e) return null;
  return e.unit === 'kB' ? e.value * 1024 : e.value;
}

/** What /proc/meminfo tells the layout: VmallocTotal (kB), when present. */
export function layoutHintsFrom(meminfo: readonly MeminfoEntry[]): LayoutHints {
  const e = meminfo.find((x) => x.key === 'VmallocTotal');
  return e && Number.isSafeInteger(e.value) && e.value > 0 ? { vmallocTotalKb: e.value } : {};
}

const pages = (bytes: number) => `${formatCount(Math.abs(bytes) / PAGE_SIZE)} page${Math.abs(bytes) === PAGE_SIZE ? '' : 's'}`;

export function checkMeminfo(model: Model, meminfo: MeminfoEntry[]): MeminfoCheck {
  const s = model.snapshot;
  const c = s.columns;
  const vmallocTotal = bytesOf(meminfo, 'VmallocTotal');
  const vmallocUsed = bytesOf(meminfo, 'VmallocUsed');
  const vmallocChunk = bytesOf(meminfo, 'VmallocChunk');
  const region = model.layout?.regions.find((r) => r.id === 'vmalloc') ?? null;
  const detectedRange = region ? Number(region.end - region.start) : null;
  const vm = KIND_INDEX.vmalloc;
  let vmallocPagesBytes = 0;
  for (let i = 0; i < s.count; i++) if (c.kind[i] === vm) vmallocPagesBytes += c.pages[i] * PAGE_SIZE;

  const notes: string[] = [];
  let totalMatches: boolean | null = null;
  if (vmallocTotal === null) {
    if (meminfo.length > 0) notes.push('VmallocTotal is missing from this /proc/meminfo.');
  } else if (detectedRange === null) {
    notes.push(`VmallocTotal is ${formatBytes(vmallocTotal)}; the dump's addresses are ${s.pointerMode === 'raw' ? 'not in a known layout' : s.pointerMode}, so there is no range to compare it with.`);
  } else {
    totalMatches = Math.abs(vmallocTotal - detectedRange) <= PAGE_SIZE;
    const fixed = model.layout?.evidence.includes('meminfo') ?? false;
    if (totalMatches && fixed) {
      notes.push(`VmallocTotal (${formatBytes(vmallocTotal)}) fixes the size of the vmalloc range; the ${model.layout?.name ?? ''} range the dump's addresses and it agree on is ${formatBytes(detectedRange)}.`);
    } else if (totalMatches) {
      const off = detectedRange - vmallocTotal;
      notes.push(
        `VmallocTotal (${formatBytes(vmallocTotal)}) matches the detected vmalloc range` +
          (off === 0 ? '.' : `: the kernel prints the range in whole kB and ${formatCount(off)} bytes short, as VMALLOC_END is inclusive on some architectures.`),
      );
    } else {
      notes.push(
        `VmallocTotal (${formatBytes(vmallocTotal)}) differs from the detected ${model.layout?.name ?? ''} vmalloc range (${formatBytes(detectedRange)}): the layout guess is wrong or the kernel uses another configuration (e.g. 5-level paging or another VA size).`,
      );
    }
  }

  const usedDifference = vmallocUsed === null ? null : vmallocUsed - vmallocPagesBytes;
  if (vmallocUsed !== null) {
    if (vmallocUsed === 0 && vmallocPagesBytes > 0) {
      notes.push('VmallocUsed is 0: kernels 4.4–5.2 do not count it (restored in 5.3 as the pages backing vmalloc areas).');
    } else if (usedDifference === 0) {
      notes.push(`VmallocUsed (${formatBytes(vmallocUsed)}) equals the pages= of the vmalloc areas in the dump (${pages(vmallocPagesBytes)}), as counted since 5.3.`);
    } else if (usedDifference !== null) {
      notes.push(
        `VmallocUsed (${formatBytes(vmallocUsed)}) is ${formatBytes(Math.abs(usedDifference))} (${pages(usedDifference)}) ${usedDifference > 0 ? 'more' : 'less'} than the pages= of the vmalloc areas in the dump (${formatBytes(vmallocPagesBytes)}): the two files were read at different moments, or areas were being allocated or freed in between.`,
      );
    }
  }
  if (vmallocChunk !== null) {
    if (vmallocChunk === 0) {
      const largest = fragmentation(model).largest;
      notes.push(
        'VmallocChunk is 0: kernels since 4.4 no longer compute the largest free chunk' +
          (largest ? `; the largest free stretch of the vmalloc range in this dump is ${formatBytes(largest.bytes)}.` : '.'),
      );
    } else {
      notes.push(`VmallocChunk is ${formatBytes(vmallocChunk)}: the largest free chunk as kernels before 4.4 reported it.`);
    }
  }
  return { vmallocTotal, detectedRange, totalMatches, vmallocUsed, vmallocPagesBytes, vmallocChunk, notes, usedDifference };
}
