import { describe, expect, it } from 'vitest';
import { buildModel, freeHoles, parse } from '../../lib/index.ts';
import { areaName, blockersSentence, bucketHoles, fitSentence, histogramRows, holeNeighbours, indexMeaning, needSentence } from './fragmentation.ts';

describe('the hole-size histogram', () => {
  it('has one row per non-empty power-of-two bucket, smallest first', () => {
    const rows = histogramRows([
      { log2: 15, count: 1, bytes: 40960 },
      { log2: 12, count: 3, bytes: 3 * 4096 },
      { log2: 13, count: 0, bytes: 0 },
    ]);
    expect(rows.map((r) => r.from)).toEqual([4096, 32768]);
    expect(rows.map((r) => r.count)).toEqual([3, 1]);
    expect(rows[0].label).toBe('4 KiB – 8 KiB');
    expect(rows[1].bytes).toBe(40960);
  });

  it('is empty without holes', () => {
    expect(histogramRows([])).toEqual([]);
  });
});

describe('the probe in words', () => {
  it('says a request was rounded up to pages before the guard page is added', () => {
    expect(needSentence(5000, { needBytes: 8192 + 4096 })).toBe('vmalloc(4.88 KiB) is rounded up to 8 KiB, plus a 4 KiB guard page: 12 KiB of address space.');
    expect(needSentence(16 << 20, { needBytes: (16 << 20) + 4096 })).toBe('vmalloc(16 MiB) needs 16 MiB plus a 4 KiB guard page of address space.');
  });

  it('says how many holes fit, or the largest hole when none does, or why it cannot tell', () => {
    expect(fitSentence({ fits: true, fittingCount: 1, reason: null }, 1 << 30)).toBe('Fits: 1 hole could take it.');
    expect(fitSentence({ fits: true, fittingCount: 12, reason: null }, 1 << 30)).toBe('Fits: 12 holes could take it.');
    expect(fitSentence({ fits: false, fittingCount: 0, reason: null }, 2 << 20)).toBe('Does not fit: the largest free hole is 2 MiB.');
    expect(fitSentence({ fits: false, fittingCount: 0, reason: 'addresses are hashed' }, null)).toBe('Cannot tell: addresses are hashed');
  });

  it('explains the fragmentation index from one hole to scattered holes', () => {
    expect(indexMeaning(0)).toMatch(/one hole/);
    expect(indexMeaning(0.95)).toMatch(/many small holes/);
    expect(indexMeaning(null)).toMatch(/no free space/);
  });
});

describe('holes by power-of-two size', () => {
  it('put each hole in the bucket of the largest power of two not above it', () => {
    const buckets = bucketHoles([{ bytes: 4096 }, { bytes: 8191 }, { bytes: 8192 }, { bytes: 3 << 20 }, { bytes: 0 }]);
    expect(buckets).toEqual([
      { log2: 12, count: 2, bytes: 4096 + 8191 },
      { log2: 13, count: 1, bytes: 8192 },
      { log2: 21, count: 1, bytes: 3 << 20 },
    ]);
  });
});

describe('why a request does not fit', () => {
  const dump =
    '0xf7000000-0xf7002000    8192 hpet_enable+0xc5/0x3da phys=0xfed00000 ioremap\n' +
    '0xf7003000-0xf7005000    8192 load_module+0xae0/0x1d20 pages=1 vmalloc\n' +
    '0xf7006000-0xf7008000    8192 n_tty_open+0x16/0x90 pages=1 vmalloc\n' +
    '0xfebfa000-0xfebfe000   16384 pcpu_get_vm_areas+0x0/0xde0 vmalloc\n';

  it('names the areas on both sides of a hole, and none past the range', () => {
    const m = buildModel(parse(dump), { vmallocTotalKb: (0xfebfe000 - 0xf7000000) / 1024 });
    const holes = freeHoles(m);
    // Holes: 0xf7002000–0xf7003000, 0xf7005000–0xf7006000, 0xf7008000–0xfebfa000.
    expect(holes.map((h) => h.bytes)).toEqual([4096, 4096, 0xfebfa000 - 0xf7008000]);
    const { before, after } = holeNeighbours(m, holes[2]);
    expect([areaName(m, before!), areaName(m, after!)]).toEqual(['n_tty_open', 'pcpu_get_vm_areas']);
  });

  it('says whether the free space would be enough, and what to free for one stretch', () => {
    const blockers = { start: 0n, end: 1n, areas: [3, 4], busyBytes: 8192 * 2 };
    expect(blockersSentence({ needBytes: (8 << 20) + 4096, freeBytes: 7 << 20, blockers }, 30)).toBe(
      // 8 MiB and a guard page: formatBytes shows the 4 KiB over 8 MiB as 8.00 MiB.
      '7 MiB are free in all, less than the 8.00 MiB it needs. The least to free for one stretch that big: these 2 areas (16 KiB):',
    );
    expect(blockersSentence({ needBytes: 12288, freeBytes: 16384, blockers }, 4)).toBe(
      '16 KiB are free in all, enough for the 12 KiB it needs, but split over 4 holes. The least to free for one stretch that big: these 2 areas (16 KiB):',
    );
    expect(blockersSentence({ needBytes: 1 << 30, freeBytes: 4096, blockers: null }, 1)).toContain('Not even the whole range would hold it.');
  });
});
