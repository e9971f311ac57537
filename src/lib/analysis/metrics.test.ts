import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDump } from '../input/read.ts';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { AREA_KINDS } from '../types.ts';
import { fixture, fixtures, modeFromName, readIndependently } from '../testing/fixtures.ts';
import { genDumpArb, printGenDump } from '../testing/generate.ts';
import { familySum, parseStrictly, sampleValue } from '../testing/prometheus.ts';
import { DEFAULT_TOP_CALLERS, OTHER_CALLER, escapeLabelValue, metricsText } from './metrics.ts';

const textOf = (dump: string, options: Parameters<typeof metricsText>[1] = {}) => metricsText(buildModel(parse(dump)), options);

describe('metrics of the real dumps', () => {
  for (const f of fixtures()) {
    it(`${f.path}: every family parses and the kind and caller families sum to the awk total`, () => {
      const expected = readIndependently(f.text);
      const families = parseStrictly(textOf(f.text));
      expect(familySum(families, 'vmscope_vmalloc_bytes')).toBe(expected.bytes);
      expect(familySum(families, 'vmscope_vmalloc_areas')).toBe(expected.areas.length);
      expect(familySum(families, 'vmscope_vmalloc_caller_bytes')).toBe(expected.bytes);
      for (const kind of AREA_KINDS) {
        expect(sampleValue(families, 'vmscope_vmalloc_bytes', { kind })).toBe(expected.kinds[kind]?.bytes ?? 0);
        expect(sampleValue(families, 'vmscope_vmalloc_areas', { kind })).toBe(expected.kinds[kind]?.count ?? 0);
      }
      expect(sampleValue(families, 'vmscope_vmalloc_lazily_freed_bytes')).toBe(expected.kinds.unpurged?.bytes ?? 0);
      expect(sampleValue(families, 'vmscope_vmalloc_lazily_freed_areas')).toBe(expected.kinds.unpurged?.count ?? 0);
    });

    it(`${f.path}: the named callers are the largest ones, each with its awk bytes`, () => {
      const expected = readIndependently(f.text);
      const callers = parseStrictly(textOf(f.text)).get('vmscope_vmalloc_caller_bytes')!.metrics;
      const named = callers.filter((m) => m.labels!.caller !== OTHER_CALLER);
      const all = Object.entries(expected.callers).filter(([name]) => name !== OTHER_CALLER);
      expect(named).toHaveLength(Math.min(DEFAULT_TOP_CALLERS, all.length));
      for (const m of named) expect(Number(m.value)).toBe(expected.callers[m.labels!.caller].bytes);
      const smallestNamed = Math.min(...named.map((m) => Number(m.value)));
      const namedSet = new Set(named.map((m) => m.labels!.caller));
      for (const [name, tally] of all) if (!namedSet.has(name)) expect(tally.bytes).toBeLessThanOrEqual(smallestNamed);
    });

    it(`${f.path}: modules carry their [module]-tagged bytes, and free space appears only with real addresses`, () => {
      const expected = readIndependently(f.text);
      const families = parseStrictly(textOf(f.text));
      const modules = families.get('vmscope_vmalloc_module_bytes')?.metrics ?? [];
      expect(Object.fromEntries(modules.map((m) => [m.labels!.module, Number(m.value)]))).toEqual(Object.fromEntries(Object.entries(expected.modules).map(([k, v]) => [k, v.bytes])));
      const mode = modeFromName(f.path);
      expect(families.get('vmscope_dump_info')!.metrics[0].labels!.pointer_mode).toBe(mode);
      if (mode !== 'raw') {
        for (const name of ['vmscope_vmalloc_free_bytes', 'vmscope_vmalloc_largest_free_hole_bytes', 'vmscope_vmalloc_free_holes']) expect(families.has(name)).toBe(false);
      }
      const free = sampleValue(families, 'vmscope_vmalloc_free_bytes');
      const largest = sampleValue(families, 'vmscope_vmalloc_largest_free_hole_bytes');
      const range = sampleValue(families, 'vmscope_vmalloc_range_bytes');
      if (free !== undefined) {
        expect(largest!).toBeLessThanOrEqual(free);
        expect(free).toBeLessThanOrEqual(range!);
      }
    });
  }

  it('the vmalloc range of an i386 dump with its /proc/meminfo is VmallocTotal, and its free bytes are the range less the areas inside it', () => {
    const text = fixture('kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo');
    const meminfoText = fixture('kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.meminfo');
    const totalKb = Number(/^VmallocTotal:\s+(\d+) kB$/m.exec(meminfoText)![1]);
    const { meminfo } = readDump(new TextEncoder().encode(meminfoText));
    const model = buildModel(parse(text), { vmallocTotalKb: totalKb });
    const families = parseStrictly(metricsText(model, { meminfo }));
    expect(sampleValue(families, 'vmscope_vmalloc_range_bytes')).toBe(totalKb * 1024);
    // i386: modules live inside the vmalloc range, so every area counts; the range ends at VMALLOC_END.
    const end = BigInt('0xfebfe000');
    const start = end - BigInt(totalKb * 1024);
    let used = 0n;
    for (const a of readIndependently(text).areas) if (a.start! >= start && a.end! <= end) used += a.end! - a.start!;
    expect(BigInt(sampleValue(families, 'vmscope_vmalloc_free_bytes')!)).toBe(end - start - used);
  });
});

describe('exact figures past 2^53', () => {
  it('riscv64 Sv57: the range is 2^54 bytes and its free bytes are exact, the range less every area inside it (BigInt)', () => {
    const text = fixture('kernels/riscv64-6.12.117-deb13-after-insmod-raw.vmallocinfo');
    // Documentation/arch/riscv/vm-layout.rst, Sv57: vmalloc/ioremap space ff20000000000000 – ff5fffffffffffff.
    const start = 0xff20000000000000n;
    const end = 0xff60000000000000n;
    let used = 0n;
    for (const a of readIndependently(text).areas) if (a.start! >= start && a.end! <= end) used += a.end! - a.start!;
    const out = textOf(text);
    expect(out).toContain(`\nvmscope_vmalloc_range_bytes ${end - start}\n`);
    expect(out).toContain(`\nvmscope_vmalloc_free_bytes ${end - start - used}\n`);
  });
});

describe('label values', () => {
  it('escape backslash, double quote and line feed, and the parser reads them back as they were', () => {
    for (const hostile of ['a"b', 'c\\d', 'e\nf', '\\"\n\\n', '{x="y",z}', 'é ✓ 中', '']) {
      const text = `# HELP t t\n# TYPE t gauge\nt{v="${escapeLabelValue(hostile)}"} 1\n`;
      expect(parseStrictly(text).get('t')!.metrics[0].labels!.v).toBe(hostile);
    }
  });

  it('hostile caller and module names in a dump come back unchanged and the family still sums to the total', () => {
    const names = ['we"ird\\fn', 'a{b="c",d}', 'x\\"y', 'comma,eq=', '#hash'];
    const lines = names.map((n, k) => `0xffffc900000${k}0000-0xffffc900000${k}5000   20480 ${n}+0x1/0x2 [${n}_m] pages=4 vmalloc`);
    const dump = lines.join('\n') + '\n';
    const families = parseStrictly(textOf(dump));
    for (const n of names) {
      expect(sampleValue(families, 'vmscope_vmalloc_caller_bytes', { caller: n })).toBe(20480);
      expect(sampleValue(families, 'vmscope_vmalloc_module_bytes', { module: `${n}_m` })).toBe(20480);
    }
    expect(familySum(families, 'vmscope_vmalloc_caller_bytes')).toBe(20480 * names.length);
  });

  it('a caller literally named "other" is counted in caller="other", never as a second sample with that label', () => {
    const dump = ['0xffffc90000000000-0xffffc90000005000   20480 other+0x1/0x2 pages=4 vmalloc', '0xffffc90000005000-0xffffc9000000a000   12288 f+0x1/0x2 pages=2 vmalloc'].join('\n');
    const families = parseStrictly(textOf(dump, { top: 5 }));
    expect(sampleValue(families, 'vmscope_vmalloc_caller_bytes', { caller: 'other' })).toBe(20480);
    expect(sampleValue(families, 'vmscope_vmalloc_caller_bytes', { caller: 'f' })).toBe(12288);
  });

  it('--top 0 leaves only caller="other", holding every byte', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const callers = parseStrictly(textOf(text, { top: 0 })).get('vmscope_vmalloc_caller_bytes')!.metrics;
    expect(callers).toHaveLength(1);
    expect(Number(callers[0].value)).toBe(readIndependently(text).bytes);
  });

  it('the release an archive names goes into vmscope_dump_info, escaped', () => {
    const families = parseStrictly(textOf(fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), { release: '6.1.0-56-amd64 "x"' }));
    expect(families.get('vmscope_dump_info')!.metrics[0].labels).toMatchObject({ release: '6.1.0-56-amd64 "x"', pointer_mode: 'raw' });
  });
});

describe('metrics of random dumps', () => {
  it('parse, and the kind and caller families sum to the dump total', () => {
    fc.assert(
      fc.property(genDumpArb({ maxAreas: 60 }), fc.integer({ min: 0, max: 30 }), (d, top) => {
        const dump = printGenDump(d);
        const families = parseStrictly(textOf(dump, { top }));
        const expected = readIndependently(dump);
        expect(familySum(families, 'vmscope_vmalloc_bytes')).toBe(expected.bytes);
        expect(familySum(families, 'vmscope_vmalloc_caller_bytes')).toBe(expected.bytes);
        expect(families.get('vmscope_vmalloc_caller_bytes')!.metrics.length).toBeLessThanOrEqual(top + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('of any text at all terminate and parse', () => {
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.constantFrom('0xffffc90000000000-0xffffc90000005000', ' 20480 ', 'a"\\b+0x1/0x2', '[m"\\]', 'pages=4', 'vmalloc', 'unpurged vm_area', '\n', '\r', '\0', '0x(____ptrval____)', '99999999999999999999'), { maxLength: 60 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(junk, (text) => {
        parseStrictly(textOf(text));
      }),
      { numRuns: 300 },
    );
  });
});
