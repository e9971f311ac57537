import { describe, expect, it } from 'vitest';
import { bucketHoles, fitSentence, histogramRows, indexMeaning, needSentence } from './fragmentation.ts';

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
