import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from './model/model.ts';
import type { Model } from './model/model.ts';
import { StreamParser, parse } from './parse/scanner.ts';
import type { Snapshot } from './parse/snapshot.ts';
import { summarize } from './summary.ts';
import { fixture, readIndependently } from './testing/fixtures.ts';
import { endOf, genDumpArb, guardOf, kindOf, printArea, printGenDump } from './testing/generate.ts';
import type { GenArea, GenDump } from './testing/generate.ts';

// The laws of the library, checked by fast-check on generated dumps (src/lib/testing/generate.ts)
// whose every address, size and word is known exactly.

const facts = (s: Snapshot) => s.facts();

/** What every snapshot promises, whatever the input. */
function checkInvariants(s: Snapshot): void {
  expect(s.count + s.errorCount).toBeLessThanOrEqual(s.lineCount);
  expect(s.diagnosticCount).toBe(s.errorCount + s.warningCount);
  expect(s.diagnostics.length).toBe(Math.min(s.diagnosticCount, 1000));
  // Plain loops and one assertion each: this runs thousands of times.
  const bad: string[] = [];
  let previous = 0;
  for (let i = 0; i < s.count; i++) {
    const a = s.area(i);
    if (a.line <= previous || a.line > s.lineCount) bad.push(`area ${i} on line ${a.line}`);
    if (!Number.isFinite(a.size) || a.size < 0 || !Number.isFinite(a.pages) || a.pages < 0) bad.push(`area ${i} size ${a.size} pages ${a.pages}`);
    previous = a.line;
  }
  for (const d of s.diagnostics) {
    if (d.line < 1 || d.line > s.lineCount || d.text.length > 200) bad.push(`diagnostic on line ${d.line}`);
  }
  expect(bad).toEqual([]);
  summarize(buildModel(s));
}

describe('garbage in never throws', () => {
  it('parses any printable ASCII string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => checkInvariants(parse(text))),
      { numRuns: 300 },
    );
  });

  it('parses any string of Unicode graphemes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => checkInvariants(parse(text))),
      { numRuns: 300 },
    );
  });

  it('parses any string of code points, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => checkInvariants(parse(text))),
      { numRuns: 300 },
    );
  });

  it('parses any bytes, and gives the same snapshot when they arrive in two pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 400 }), (bytes, cut) => {
        const whole = parse(bytes);
        checkInvariants(whole);
        const p = new StreamParser();
        p.push(bytes.subarray(0, cut));
        p.push(bytes.subarray(cut));
        const pieces = p.finish();
        expect(facts(pieces)).toEqual(facts(whole));
        expect([...pieces.areas()]).toEqual([...whole.areas()]);
        expect(pieces.diagnostics).toEqual(whole.diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('parses mutilated area lines (characters of the format, in any order)', () => {
    const alphabet = fc.constantFrom(...'0x0123456789abcdef- []+/=Npagesphysvmalloc\n\r\t(_)'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 300 }), (chars) => checkInvariants(parse(chars.join('')))),
      { numRuns: 1000 },
    );
  });

  it('parses real lines cut, spliced and corrupted at random', () => {
    const lines = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo').split('\n');
    const edit = fc.record({ line: fc.nat(), at: fc.nat(), cut: fc.nat({ max: 40 }), insert: fc.string({ unit: 'binary', maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 20 }), (edits) => {
        const text = [...lines];
        for (const e of edits) {
          const k = e.line % text.length;
          const at = e.at % (text[k].length + 1);
          text[k] = text[k].slice(0, at) + e.insert + text[k].slice(at + e.cut);
        }
        checkInvariants(parse(text.join('\n')));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the generator prints what the kernel prints', () => {
  it('reproduces every line of the real raw captures byte for byte from their independent reading', () => {
    for (const path of [
      'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo',
      'kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo',
      'kernels/x86_64-6.1.0-56-after-insmod-iommu-raw.vmallocinfo',
      'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo',
    ]) {
      const text = fixture(path);
      const lines = text.split('\n');
      const e = readIndependently(text);
      for (const a of e.areas) {
        const special = a.kind === 'unpurged' || a.kind === 'vm_map_ram' ? a.kind : null;
        const g: GenArea = { start: a.start!, size: a.size, caller: a.caller, pages: a.pages, phys: a.phys, flags: a.flags, nodes: a.nodes, special };
        expect(printArea(g)).toBe(lines[a.line - 1]);
      }
    }
  });
});

const isSorted = (areas: GenArea[]) => areas.every((a, i) => i === 0 || areas[i - 1].start <= a.start);

describe('the generator covers the format', () => {
  it('makes 8- and 16-digit dumps in every file order and phys= style, with every special case the format has', () => {
    const dumps = fc.sample(genDumpArb(), { numRuns: 400, seed: 20240601 });
    const areas = dumps.flatMap((d) => d.areas);
    const holes = dumps.flatMap((d) => d.areas.slice(1).map((a, k) => a.start - endOf(d.areas[k])));
    const seen = {
      digits: new Set(dumps.map((d) => d.digits)),
      orderings: new Set(dumps.map((d) => d.ordering)),
      physStyles: new Set(dumps.filter((d) => d.areas.some((a) => a.phys !== null)).map((d) => d.physStyle)),
      kinds: new Set(areas.map(kindOf)),
      atTheTop: dumps.some((d) => endOf(d.areas[d.areas.length - 1]) === (1n << BigInt(d.digits * 4)) - 4096n),
      unsorted: dumps.some((d) => !isSorted(d.printed)),
      eightDigitSizes: areas.some((a) => a.size >= 10_000_000),
      hugePages: areas.some((a) => a.special === null && a.size % (2 << 20) === 4096),
      abutting: holes.some((h) => h === 0n),
      holesBeyond32Bits: holes.some((h) => h >= 1n << 32n),
      modules: areas.some((a) => a.caller?.module),
      suffixes: areas.some((a) => /\.(constprop|isra|part|cold)|_noprof/.test(a.caller?.symbol ?? '')),
      sparseNodes: areas.some((a) => a.nodes.some((n) => n.node > 3)),
      noGuard: areas.some((a) => a.special === null && guardOf(a) === 0),
    };
    expect(seen).toEqual({
      digits: new Set([8, 16]),
      orderings: new Set(['sorted', 'shuffled', 'vmap-nodes']),
      physStyles: new Set(['pa', 'bare']),
      kinds: new Set(['vmalloc', 'ioremap', 'vmap', 'vm_map_ram', 'unpurged', 'sparse', 'dma-coherent', 'other']),
      atTheTop: true,
      unsorted: true,
      eightDigitSizes: true,
      hugePages: true,
      abutting: true,
      holesBeyond32Bits: true,
      modules: true,
      suffixes: true,
      sparseNodes: true,
      noGuard: true,
    });
  });
});

/** Compare a parsed area with the generated one it came from, field by field. */
function expectArea(s: Snapshot, i: number, g: GenArea, line: number): void {
  expect(s.area(i)).toEqual({
    index: i,
    line,
    start: g.start,
    end: endOf(g),
    size: g.size,
    pages: g.pages,
    caller: g.caller,
    phys: g.phys,
    flags: g.flags,
    nodes: g.nodes,
    kind: kindOf(g),
    guard: guardOf(g),
  });
}

describe('a generated dump parses back to exactly what generated it', () => {
  it('holds for every field of every area, in every address width, phys= style and file order', () => {
    fc.assert(
      fc.property(genDumpArb(), (d) => {
        const s = parse(printGenDump(d));
        expect(facts(s)).toEqual({
          count: d.printed.length,
          lineCount: d.printed.length,
          pointerMode: 'raw',
          addressDigits: d.digits,
          sorted: isSorted(d.printed),
          diagnosticCount: 0,
          errorCount: 0,
          warningCount: 0,
        });
        d.printed.forEach((g, i) => expectArea(s, i, g, i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('holds with CRLF line ends, blank lines and other text around and between the areas', () => {
    const garbage = fc
      .oneof(
        fc.constantFrom('MemTotal:       16384000 kB', '$ sudo cat /proc/vmallocinfo', 'e1000 159744 0 - Live 0xffffffffc0a00000', '-- cut --', 'x0ffff'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => String.fromCharCode(...b)),
      )
      .filter((l) => !/[\n]/.test(l) && !/^[ \t\r]*(0x|$)/.test(l));
    const blank = fc.constantFrom('', ' ', '\t', '  \t ');
    fc.assert(
      fc.property(
        genDumpArb({ maxAreas: 20 }),
        fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 6 }),
        fc.array(blank, { maxLength: 3 }),
        fc.array(blank, { maxLength: 3 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (d, inserts, before, after, eol, finalEol) => {
          const body: Array<{ text: string; area: GenArea | null }> = d.printed.map((g) => ({
            text: printArea(g, { digits: d.digits, physStyle: d.physStyle }),
            area: g,
          }));
          for (const [at, text] of inserts) body.splice(at % (body.length + 1), 0, { text, area: null });
          const lines = [...before.map((text) => ({ text, area: null })), ...body, ...after.map((text) => ({ text, area: null }))];
          const s = parse(lines.map((l) => l.text).join(eol) + (finalEol ? eol : ''));

          const areaLines = lines.flatMap((l, k) => (l.area ? [k + 1] : []));
          const garbageLines = lines.flatMap((l, k) => (l.area === null && !/^[ \t\r]*$/.test(l.text) ? [k + 1] : []));
          expect(s.count).toBe(d.printed.length);
          d.printed.forEach((g, i) => expectArea(s, i, g, areaLines[i]));
          expect(s.diagnostics.map((x) => [x.line, x.severity])).toEqual(garbageLines.map((line) => [line, 'error']));
          const unterminatedBlank = !finalEol && lines[lines.length - 1].text === '';
          expect(s.lineCount).toBe(lines.length - (unterminatedBlank ? 1 : 0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same snapshot when the text arrives in pieces split anywhere, even between CR and LF', () => {
    fc.assert(
      fc.property(genDumpArb({ maxAreas: 15 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (d, cuts, crlf) => {
        const text = printGenDump(d);
        const bytes = new TextEncoder().encode(crlf ? text.replaceAll('\n', '\r\n') : text);
        const whole = parse(bytes);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const p = new StreamParser();
        let from = 0;
        for (const c of [...at, bytes.length]) {
          p.push(bytes.subarray(from, c));
          from = c;
        }
        const pieces = p.finish();
        expect(facts(pieces)).toEqual(facts(whole));
        expect(whole.diagnosticCount).toBe(0);
        expect([...pieces.areas()]).toEqual([...whole.areas()]);
      }),
      { numRuns: 200 },
    );
  });
});

/** The same dump with every address replaced: the hashed, zeroed and masked forms of %pK. */
function reprint(d: GenDump, address: (a: bigint) => string): string {
  return d.printed
    .map((g) => {
      const line = printArea(g, { digits: d.digits, physStyle: d.physStyle });
      return `${address(g.start)}-${address(endOf(g))}${line.slice(line.indexOf(' '))}\n`;
    })
    .join('');
}

/** A keyed-hash stand-in: distinct addresses get distinct random non-zero 32-bit values. */
function hasher(seed: number): (a: bigint) => string {
  const seen = new Map<bigint, number>();
  const used = new Set<number>();
  let s = seed >>> 0;
  return (a) => {
    let h = seen.get(a);
    if (h === undefined) {
      do {
        s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
        h = s;
      } while (h === 0 || used.has(h));
      seen.set(a, h);
      used.add(h);
    }
    return '0x' + h.toString(16).padStart(16, '0');
  };
}

const totalsOf = (m: Model) => ({ ...m.totals, byCaller: [...m.totals.byCaller], byModule: [...m.totals.byModule], byNode: [...m.totals.byNode] });

describe('the model of a generated dump', () => {
  const dumps = genDumpArb();

  it('orders areas by address, whatever order the file listed them in', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        expect(m.byAddress).toBe(true);
        expect([...m.order].map((i) => d.printed[i].start)).toEqual(d.areas.map((a) => a.start));
      }),
      { numRuns: 200 },
    );
  });

  it('accounts for every byte of the span: sizes plus gaps equal last end minus first start', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        const sizes = d.areas.reduce((sum, a) => sum + BigInt(a.size), 0n);
        const gaps = m.gapAfter.reduce((sum, g) => sum + BigInt(g), 0n);
        expect(sizes + gaps).toBe(endOf(d.areas[d.areas.length - 1]) - d.areas[0].start);
        expect(m.overlaps).toBe(0);
        // Each gap is exactly the hole the generator left.
        expect([...m.gapAfter].map(BigInt)).toEqual(d.areas.slice(1).map((a, k) => a.start - endOf(d.areas[k])));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the largest gap between address-consecutive areas', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        const holes = d.areas.slice(1).map((a, k) => a.start - endOf(d.areas[k]));
        const largest = holes.reduce((x, h) => (h > x ? h : x), 0n);
        if (largest === 0n) expect(m.largestGap).toBeNull();
        else {
          expect(BigInt(m.largestGap!.bytes)).toBe(largest);
          expect(holes[m.largestGap!.after]).toBe(largest);
        }
        expect(summarize(m).largestGapBytes).toBe(d.areas.length >= 2 ? Number(largest) : null);
      }),
      { numRuns: 200 },
    );
  });

  it('counts a guard page for every area but vm_map_ram, unpurged and vmap with phys=', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        expect(m.totals.guardBytes).toBe(d.areas.reduce((sum, a) => sum + guardOf(a), 0));
      }),
      { numRuns: 200 },
    );
  });

  it('links exactly the abutting areas into chains', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        const next = d.printed.map((a) => d.printed.findIndex((b) => b.start === endOf(a)));
        expect([...m.chainNext]).toEqual(next);
        expect([...m.chainPrev]).toEqual(d.printed.map((_, i) => next.indexOf(i)));
      }),
      { numRuns: 200 },
    );
  });

  it('totals kinds, callers, modules and nodes as the generator made them', () => {
    fc.assert(
      fc.property(dumps, (d) => {
        const m = buildModel(parse(printGenDump(d)));
        const add = <K>(map: Map<K, { count: number; bytes: number; pages: number }>, key: K, a: GenArea) => {
          const t = map.get(key) ?? { count: 0, bytes: 0, pages: 0 };
          map.set(key, { count: t.count + 1, bytes: t.bytes + a.size, pages: t.pages + a.pages });
        };
        const kinds = new Map<string, { count: number; bytes: number; pages: number }>();
        const callers = new Map<string, { count: number; bytes: number; pages: number }>();
        const modules = new Map<string, { count: number; bytes: number; pages: number }>();
        const nodes = new Map<number, number>();
        for (const a of d.areas) {
          add(kinds, kindOf(a), a);
          if (a.caller) add(callers, a.caller.symbol, a);
          if (a.caller?.module) add(modules, a.caller.module, a);
          for (const n of a.nodes) nodes.set(n.node, (nodes.get(n.node) ?? 0) + n.pages);
        }
        const byKind = Object.entries(m.totals.byKind).filter(([, t]) => t.count > 0);
        const sortKeys = <K, V>(entries: Array<[K, V]>) => [...entries].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        expect(sortKeys(byKind)).toEqual(sortKeys([...kinds]));
        expect(sortKeys([...m.totals.byCaller])).toEqual(sortKeys([...callers]));
        expect(sortKeys([...m.totals.byModule])).toEqual(sortKeys([...modules]));
        expect(sortKeys([...m.totals.byNode])).toEqual(sortKeys([...nodes]));
      }),
      { numRuns: 200 },
    );
  });
});

describe('pointer modes keep what they can', () => {
  const dumps = genDumpArb({ digits: 16, minAreas: 2, maxAreas: 30 });

  it('hashed addresses keep every total and every adjacency chain, and nothing that needs real addresses', () => {
    fc.assert(
      fc.property(dumps, fc.integer(), (d, seed) => {
        const raw = buildModel(parse(printGenDump(d)));
        const hashed = buildModel(parse(reprint(d, hasher(seed))));
        expect(hashed.snapshot.pointerMode).toBe('hashed');
        expect(hashed.snapshot.sorted).toBeNull();
        expect(hashed.byAddress).toBe(false);
        expect([...hashed.order]).toEqual([...d.printed.keys()]);
        expect([...hashed.chainNext]).toEqual([...raw.chainNext]);
        expect([...hashed.chainPrev]).toEqual([...raw.chainPrev]);
        expect(totalsOf(hashed)).toEqual(totalsOf(raw));
        expect([hashed.largestGap, hashed.layout, hashed.largestVmallocHole]).toEqual([null, null, null]);
      }),
      { numRuns: 200 },
    );
  });

  it('zeroed and masked addresses keep every total, and link nothing', () => {
    fc.assert(
      fc.property(dumps, fc.constantFrom('zero', 'masked'), (d, mode) => {
        const raw = buildModel(parse(printGenDump(d)));
        const address = mode === 'zero' ? () => '0x0000000000000000' : () => '0x(____ptrval____)';
        const m = buildModel(parse(reprint(d, address)));
        expect(m.snapshot.pointerMode).toBe(mode);
        expect(m.snapshot.sorted).toBeNull();
        expect(m.snapshot.addressDigits).toBe(mode === 'zero' ? 16 : 0);
        expect(totalsOf(m)).toEqual(totalsOf(raw));
        expect([...m.chainNext].every((x) => x === -1)).toBe(true);
        expect([...m.order]).toEqual([...d.printed.keys()]);
        d.printed.forEach((g, i) => {
          const a = m.snapshot.area(i);
          expect([a.start, a.end]).toEqual(mode === 'zero' ? [0n, 0n] : [null, null]);
          expect([a.size, a.pages, a.caller, a.phys, a.flags, a.nodes, a.kind]).toEqual([g.size, g.pages, g.caller, g.phys, g.flags, g.nodes, kindOf(g)]);
        });
      }),
      { numRuns: 200 },
    );
  });
});
