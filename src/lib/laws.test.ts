import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, diff, hex, hiOf, loOf, toBigInt } from './addr.ts';
import { buildModel } from './model/model.ts';
import { StreamParser, parse } from './parse/scanner.ts';
import { dumpArb, kindOf, printDump } from './testing/dumpgen.ts';

describe('garbage in never throws', () => {
  it('parses any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const s = parse(text);
        buildModel(s);
        expect(s.count + s.errorCount).toBeLessThanOrEqual(s.lineCount);
      }),
      { numRuns: 500 },
    );
  });

  it('parses any bytes, also in arbitrary pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 400 }), (bytes, cut) => {
        const whole = parse(bytes);
        const p = new StreamParser();
        p.push(bytes.subarray(0, cut));
        p.push(bytes.subarray(cut));
        expect(p.finish().count).toBe(whole.count);
      }),
      { numRuns: 500 },
    );
  });

  it('parses mutilated area lines (characters from the format, shuffled)', () => {
    const alphabet = fc.constantFrom(...'0x0123456789abcdef- []+/=Npagesphysvmalloc\n\r\t('.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 300 }), (chars) => {
        const s = parse(chars.join(''));
        buildModel(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a generated dump parses back to exactly what generated it', () => {
  it('holds for every field of every area', () => {
    fc.assert(
      fc.property(dumpArb, ({ shuffled }) => {
        const s = parse(printDump(shuffled));
        expect(s.count).toBe(shuffled.length);
        expect(s.diagnosticCount).toBe(0);
        expect(s.pointerMode).toBe('raw');
        shuffled.forEach((g, i) => {
          const a = s.area(i);
          expect(a.start).toBe(g.start);
          expect(a.end).toBe(g.start + BigInt(g.size));
          expect(a.size).toBe(g.size);
          expect(a.pages).toBe(g.pages);
          expect(a.caller).toEqual(g.caller);
          expect(a.phys).toBe(g.phys);
          expect(a.flags).toEqual(g.flags);
          expect(a.nodes).toEqual(g.nodes);
          expect(a.kind).toBe(kindOf(g));
          expect(a.line).toBe(i + 1);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the model', () => {
  it('orders areas by address, and sizes plus gaps add up to the span', () => {
    fc.assert(
      fc.property(dumpArb, ({ areas, shuffled }) => {
        const m = buildModel(parse(printDump(shuffled)));
        const starts = [...m.order].map((i) => m.snapshot.area(i).start);
        expect(starts).toEqual(areas.map((a) => a.start));
        const sizes = areas.reduce((sum, a) => sum + BigInt(a.size), 0n);
        const gaps = m.gapAfter.reduce((sum, g) => sum + BigInt(g), 0n);
        const last = areas[areas.length - 1];
        expect(sizes + gaps).toBe(last.start + BigInt(last.size) - areas[0].start);
        expect(m.overlaps).toBe(0);
        expect(m.snapshot.sorted).toBe(shuffled.every((a, i) => i === 0 || shuffled[i - 1].start <= a.start));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a guard page for every area but vm_map_ram and unpurged', () => {
    fc.assert(
      fc.property(dumpArb, ({ areas }) => {
        const m = buildModel(parse(printDump(areas)));
        const guarded = areas.filter((a) => a.special === null && !(a.flags.includes('vmap') && a.phys !== null && !a.flags.includes('ioremap')));
        expect(m.totals.guardBytes).toBe(guarded.length * 4096);
      }),
      { numRuns: 200 },
    );
  });

  it('links exactly the abutting areas into chains', () => {
    fc.assert(
      fc.property(dumpArb, ({ shuffled }) => {
        const m = buildModel(parse(printDump(shuffled)));
        for (let i = 0; i < shuffled.length; i++) {
          const end = shuffled[i].start + BigInt(shuffled[i].size);
          const next = shuffled.findIndex((b) => b.start === end);
          expect(m.chainNext[i]).toBe(next);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('64-bit address halves', () => {
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

  it('round-trip through hi/lo and hex', () => {
    fc.assert(
      fc.property(u64, (v) => {
        expect(toBigInt(hiOf(v), loOf(v))).toBe(v);
        expect(BigInt(hex(hiOf(v), loOf(v)))).toBe(v);
      }),
    );
  });

  it('compare like BigInt, and diff exactly below 2^53', () => {
    fc.assert(
      fc.property(u64, fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }), (a, d) => {
        const b = a + d < 1n << 64n ? a + d : a;
        const delta = b - a;
        expect(Math.sign(compare(hiOf(a), loOf(a), hiOf(b), loOf(b)))).toBe(delta === 0n ? 0 : -1);
        expect(diff(hiOf(a), loOf(a), hiOf(b), loOf(b))).toBe(Number(delta));
      }),
    );
  });
});
