import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fragmentation } from '../analysis/fragmentation.ts';
import { layoutHintsFrom } from '../analysis/meminfo.ts';
import { parseDump } from '../input/read.ts';
import { LOADER_CALLERS } from '../model/families.ts';
import type { LayoutHints } from '../model/layout.ts';
import { buildModel } from '../model/model.ts';
import { Snapshot } from '../parse/snapshot.ts';
import { SAMPLES_DIR, fixture, readIndependently } from '../testing/fixtures.ts';
import { generateDay } from '../testing/day.ts';
import { SeriesBuilder } from './build.ts';
import { Recorder, decodeRecording, encodeHeader, recordingToSeries } from './recording.ts';
import type { Series } from './series.ts';
import { MODULE_LOADER, NOT_A_MODULE, OTHER_GROUP, seriesStats } from './stats.ts';
import type { GroupBy, SeriesStats } from './stats.ts';

const encoder = new TextEncoder();

/** A series of whole moments, each given as the text of its round (vmallocinfo, maybe with meminfo after it). */
function seriesOf(texts: readonly string[], times: readonly (number | null)[] = []): Series {
  const b = new SeriesBuilder();
  texts.forEach((text, i) => {
    const time = times[i] ?? null;
    b.addParsed({ time, timeFrom: time === null ? null : 'stamp', label: null, zone: null, source: `moment ${i}`, line: 1 }, parseDump(encoder.encode(text)));
  });
  return b.finish();
}

/** The real series' rounds, split with a plain regex on its `date -Is` stamp lines. */
function realRounds(): { stamp: string; text: string }[] {
  const text = gunzipSync(readFileSync(`${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`)).toString('utf8');
  const rounds: { stamp: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT/.test(line)) rounds.push({ stamp: line, lines: [] });
    else if (line.startsWith('0x')) rounds[rounds.length - 1].lines.push(line);
  }
  return rounds.map((r) => ({ stamp: r.stamp, text: r.lines.join('\n') + '\n' }));
}

const areaLines = (text: string) => text.split('\n').filter((l) => l.startsWith('0x'));

/** What each family should hold at one moment, read from its text by plain splitting. */
function expectedGroups(text: string): Record<GroupBy, Map<string, number>> & { bytes: number; count: number; backed: number; unpurged: number } {
  const e = readIndependently(text);
  const kind = new Map<string, number>();
  const caller = new Map<string, number>();
  const module = new Map<string, number>();
  const node = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const a of e.areas) {
    add(kind, a.kind, a.size);
    add(caller, a.caller ? a.caller.symbol : a.kind === 'unpurged' ? '(lazily freed)' : a.kind === 'vm_map_ram' ? '(vm_map_ram)' : '(no caller)', a.size);
    add(module, a.caller?.module ?? (a.caller && LOADER_CALLERS.has(a.caller.symbol) ? MODULE_LOADER : NOT_A_MODULE), a.size);
    for (const n of a.nodes) add(node, `N${n.node}`, n.pages * 4096);
  }
  return { kind, caller, module, node, bytes: e.bytes, count: e.areas.length, backed: e.pages * 4096, unpurged: e.kinds.unpurged?.bytes ?? 0 };
}

/** Every figure of `stats` at every moment against the texts, and every family against the totals. */
function checkAgainstTexts(stats: SeriesStats, texts: readonly string[]): void {
  texts.forEach((text, i) => {
    const want = expectedGroups(text);
    expect(stats.count[i]).toBe(want.count);
    expect(stats.bytes[i]).toBe(want.bytes);
    expect(stats.backed[i]).toBe(want.backed);
    expect(stats.unpurged[i]).toBe(want.unpurged);
    for (const by of ['kind', 'caller', 'module', 'node'] as const) {
      const got = new Map<string, number>();
      for (const g of stats.groups[by]) if (g.values[i] !== 0) got.set(g.key, g.values[i]);
      for (const [k, v] of [...want[by]]) if (v === 0) want[by].delete(k);
      expect(got).toEqual(want[by]);
    }
  });
}

/** Every family adds up to the bytes; the nodes to the backed pages when every line with pages= prints its N<node>= counts, as NUMA kernels do. */
function checkFamiliesSum(stats: SeriesStats, nodesOnEveryPage = true): void {
  for (let i = 0; i < stats.count.length; i++) {
    for (const by of ['kind', 'caller', 'module'] as const) expect(stats.groups[by].reduce((s, g) => s + g.values[i], 0)).toBe(stats.bytes[i]);
    if (stats.groups.node.length > 0 && nodesOnEveryPage) expect(stats.groups.node.reduce((s, g) => s + g.values[i], 0)).toBe(stats.backed[i]);
  }
}

function checkSortedByPeak(stats: SeriesStats): void {
  for (const by of ['kind', 'caller', 'module', 'node'] as const) {
    const groups = stats.groups[by].filter((g) => g.key !== OTHER_GROUP);
    for (const g of groups) expect(g.peak).toBe(Math.max(...g.values));
    for (let k = 1; k < groups.length; k++) expect(groups[k - 1].peak).toBeGreaterThanOrEqual(groups[k].peak);
    const other = stats.groups[by].findIndex((g) => g.key === OTHER_GROUP);
    if (other >= 0) expect(other).toBe(stats.groups[by].length - 1);
  }
}

/** What fragmentation says of one moment's own model: the largest hole, 0 for a full range, NaN without one. */
function holeOf(snapshot: Snapshot, hints: LayoutHints): number {
  const model = buildModel(snapshot, hints);
  if (!model.byAddress || snapshot.count === 0 || !model.layout?.regions.some((r) => r.id === 'vmalloc')) return NaN;
  return fragmentation(model).largest?.bytes ?? 0;
}

/** largestHole at every moment against each moment's own model: gathered from the series, and parsed from its text. */
function checkHoles(series: Series, stats: SeriesStats, texts: readonly string[], hints: LayoutHints): void {
  expect(stats.largestHole).not.toBeNull();
  for (let i = 0; i < series.count; i++) {
    const got = stats.largestHole![i];
    expect(got).toBe(holeOf(parseDump(encoder.encode(texts[i])).snapshot, hints));
    // The gathered moment lists its areas in id order but keeps its file's `sorted` fact, which
    // buildModel trusts: asked to sort, it must agree too.
    const gathered = series.snapshot(i);
    expect(got).toBe(holeOf(new Snapshot({ ...gathered.facts(), sorted: false }, gathered.columns, gathered.strings, gathered.flagWords, gathered.diagnostics), hints));
  }
}

const KERNELS = 'kernels/';
const hintsOf = (meminfo: string): LayoutHints => layoutHintsFrom(parseDump(encoder.encode(meminfo)).capture.meminfo);
const usedOf = (meminfo: string) => Number(/^VmallocUsed:\s+(\d+) kB$/m.exec(meminfo)![1]) * 1024;

describe('the figures of the real recorded series', () => {
  const rounds = realRounds();
  const texts = rounds.map((r) => r.text);
  const series = seriesOf(
    texts,
    rounds.map((r) => Date.parse(r.stamp)),
  );
  const stats = seriesStats(series, {}, { maxGroups: Infinity });

  it('counts each moment’s areas, bytes, backed pages and lazily freed bytes, and every kind, caller, module and node, as its lines say', () => {
    checkAgainstTexts(stats, texts);
  });

  it('adds every family up to the moment’s bytes (nodes: to its backed pages)', () => {
    checkFamiliesSum(stats);
    expect(stats.groups.node.length).toBeGreaterThan(0);
  });

  it('sorts every family by its peak, largest first', () => {
    checkSortedByPeak(stats);
  });

  it('keeps each moment’s time, and says no hole and no VmallocUsed are known for hashed moments without meminfo', () => {
    expect(stats.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(stats.largestHole).toBeNull();
    expect(stats.vmallocUsed).toBeNull();
  });

  it('folds the smaller callers into one group that keeps the family’s sum, keeping the largest and the most moving ones', () => {
    const folded = seriesStats(series, {}, { maxGroups: 3 });
    checkFamiliesSum(folded);
    checkSortedByPeak(folded);
    const callers = folded.groups.caller;
    expect(callers[callers.length - 1].key).toBe(OTHER_GROUP);
    expect(callers.length).toBeLessThanOrEqual(7);
    // the three largest by peak and the three that moved most, computed from the unfolded values
    const all = stats.groups.caller;
    const byPeak = [...all].sort((a, b) => b.peak - a.peak || (a.key < b.key ? -1 : 1)).slice(0, 3);
    const swing = (g: (typeof all)[number]) => g.peak - Math.min(...g.values);
    const bySwing = [...all].sort((a, b) => swing(b) - swing(a) || b.peak - a.peak || (a.key < b.key ? -1 : 1)).slice(0, 3);
    const kept = new Set(callers.map((g) => g.key));
    for (const g of [...byPeak, ...bySwing]) expect(kept.has(g.key)).toBe(true);
    for (const g of callers) if (g.key !== OTHER_GROUP) expect([...g.values]).toEqual([...all.find((x) => x.key === g.key)!.values]);
  });
});

/** One boot's raw captures as a series, each moment with its /proc/meminfo in its round. */
function rawTriplet(prefix: string, stages: string[]): { texts: string[]; dumps: string[]; meminfos: string[] } {
  const dumps = stages.map((s) => fixture(`${KERNELS}${prefix}-${s}-raw.vmallocinfo`));
  const meminfos = stages.map((s) => fixture(`${KERNELS}${prefix}-${s}-raw.meminfo`));
  return { texts: dumps.map((d, i) => d + meminfos[i]), dumps, meminfos };
}

describe('the largest hole of real raw series', () => {
  const boots = [
    ['x86_64-6.1.0-56', ['boot', 'after-insmod', 'after-rmmod']],
    ['arm64-6.12.117-deb12', ['boot', 'after-insmod', 'after-rmmod']],
    ['i386-6.1.0-50-686', ['boot', 'after-insmod']],
  ] as const;
  for (const [prefix, stages] of boots) {
    it(`is fragmentation’s at every moment of ${prefix} ${stages.join(' → ')}, and VmallocUsed is each moment’s`, () => {
      const { texts, dumps, meminfos } = rawTriplet(prefix, [...stages]);
      const series = seriesOf(texts);
      const hints = hintsOf(meminfos[meminfos.length - 1]);
      const stats = seriesStats(series, hints, { maxGroups: Infinity });
      checkHoles(series, stats, dumps, hints);
      expect([...stats.vmallocUsed!]).toEqual(meminfos.map(usedOf));
      checkAgainstTexts(stats, dumps);
      checkFamiliesSum(stats);
    });
  }

  /** The capture's lines with the module loader's areas taken away, then given back a share at a time. */
  function filling(path: string, steps: number): string[] {
    const lines = areaLines(fixture(path));
    const isModule = (l: string) => /\b(load_module|move_module|module_alloc|execmem_alloc)\+/.test(l);
    const modules = lines.filter(isModule);
    const texts: string[] = [];
    for (let k = 0; k <= steps; k++) {
      const keep = new Set(modules.slice(0, Math.round((modules.length * k) / steps)));
      texts.push(lines.filter((l) => !isModule(l) || keep.has(l)).join('\n') + '\n');
    }
    return texts;
  }

  it('follows the nearly full i386 vmalloc=64M area as its modules load, down to its last hole', () => {
    const texts = filling(`${KERNELS}i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo`, 8);
    const hints = hintsOf(fixture(`${KERNELS}i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.meminfo`));
    const series = seriesOf(texts);
    const stats = seriesStats(series, hints);
    checkHoles(series, stats, texts, hints);
    // loading modules fills it: the largest hole only shrinks, and ends below 10 MiB of a 64 MiB range
    const holes = [...stats.largestHole!];
    for (let k = 1; k < holes.length; k++) expect(holes[k]).toBeLessThanOrEqual(holes[k - 1]);
    expect(holes[holes.length - 1]).toBeLessThan(10 * 2 ** 20);
    expect(stats.vmallocUsed).toBeNull();
    checkFamiliesSum(stats);
  });

  it('follows riscv64 (Sv57, a range past 2^53 bytes) as its modules load', () => {
    const texts = filling(`${KERNELS}riscv64-6.12.117-deb13-after-insmod-raw.vmallocinfo`, 5);
    const hints = hintsOf(fixture(`${KERNELS}riscv64-6.12.117-deb13-after-insmod-raw.meminfo`));
    const series = seriesOf(texts);
    checkHoles(series, seriesStats(series, hints), texts, hints);
  });

  it('says NaN for a moment with no areas and for one without raw addresses, and null when no moment is raw', () => {
    const raw = fixture(`${KERNELS}x86_64-6.1.0-56-boot-raw.vmallocinfo`);
    const zeroed = fixture(`${KERNELS}x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo`);
    const hints = hintsOf(fixture(`${KERNELS}x86_64-6.1.0-56-boot-raw.meminfo`));
    const stats = seriesStats(seriesOf([raw, '', raw]), hints);
    expect(stats.largestHole![0]).toBe(holeOf(parseDump(encoder.encode(raw)).snapshot, hints));
    expect(stats.largestHole![1]).toBeNaN();
    expect(stats.largestHole![2]).toBe(stats.largestHole![0]);
    expect(stats.count[1]).toBe(0);
    expect(seriesStats(seriesOf([zeroed, zeroed]), hints).largestHole).toBeNull();
  });

  it('says NaN where a moment has no /proc/meminfo, and each moment’s VmallocUsed elsewhere', () => {
    const { texts, dumps, meminfos } = rawTriplet('x86_64-6.1.0-56', ['boot', 'after-insmod']);
    const stats = seriesStats(seriesOf([texts[0], dumps[1]]));
    expect(stats.vmallocUsed![0]).toBe(usedOf(meminfos[0]));
    expect(stats.vmallocUsed![1]).toBeNaN();
  });
});

describe('generated series: areas of a real dump coming and going', () => {
  const dumps = [
    ['x86_64-6.1.0-56-after-insmod-raw', 'x86_64-6.1.0-56-after-insmod-raw'],
    ['x86_64-6.1.0-56-after-insmod-numa-raw', 'x86_64-6.1.0-56-after-insmod-raw'],
    ['i386-6.1.0-50-686-after-insmod-vmalloc64m-raw', 'i386-6.1.0-50-686-after-insmod-vmalloc64m-raw'],
    ['arm64-6.12.117-deb12-after-insmod-raw', 'arm64-6.12.117-deb12-after-insmod-raw'],
    ['riscv64-6.12.117-deb13-after-insmod-raw', 'riscv64-6.12.117-deb13-after-insmod-raw'],
    ['armhf-6.1.0-50-armmp-boot-raw', 'armhf-6.1.0-50-armmp-boot-raw'],
  ] as const;
  for (const [name, meminfo] of dumps) {
    it(`gives, for random moments of ${name}, fragmentation’s largest hole and the lines’ sums at every moment`, () => {
      const lines = areaLines(fixture(`${KERNELS}${name}.vmallocinfo`));
      const hints = hintsOf(fixture(`${KERNELS}${meminfo}.meminfo`));
      // The lowest and the highest area stay (a boot's first areas and its top percpu chunk do), so
      // that every moment's own layout is the boot's.
      const starts = lines.map((l) => BigInt(l.split('-')[0]));
      const low = starts.indexOf(starts.reduce((a, b) => (b < a ? b : a)));
      const high = starts.indexOf(starts.reduce((a, b) => (b > a ? b : a)));
      const moment = fc.record({ keep: fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }), shuffle: fc.boolean() });
      fc.assert(
        fc.property(fc.array(moment, { minLength: 1, maxLength: 6 }), (moments) => {
          const texts = moments.map(({ keep, shuffle }) => {
            const kept = lines.filter((_, k) => keep[k] || k === low || k === high);
            if (shuffle) kept.reverse();
            return kept.join('\n') + '\n';
          });
          const series = seriesOf(texts);
          const stats = seriesStats(series, hints, { maxGroups: Infinity });
          checkHoles(series, stats, texts, hints);
          checkAgainstTexts(stats, texts);
          checkFamiliesSum(stats);
          checkSortedByPeak(stats);
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe('generated series with overlapping areas and areas reaching into the range from below', () => {
  it('gives fragmentation’s largest hole at every moment, ties and overlaps included', () => {
    const name = 'arm64-6.12.117-deb12-after-insmod-raw';
    const lines = areaLines(fixture(`${KERNELS}${name}.vmallocinfo`));
    const meminfo = fixture(`${KERNELS}${name}.meminfo`);
    const hints = hintsOf(meminfo);
    const vmStart = 0xffff800080000000n; // arm64 48-bit since 6.5 (FORMAT.md)
    const vmEnd = vmStart + BigInt(/^VmallocTotal:\s+(\d+) kB$/m.exec(meminfo)![1]) * 1024n;
    const hex = (x: bigint) => '0x' + x.toString(16).padStart(16, '0');
    const line = (start: bigint, end: bigint, caller = 'test_alloc') => `${hex(start)}-${hex(end)} ${end - start} ${caller}+0x1/0x10 vmap`;
    // One area over all of the range but its first GiB and last 16 MiB, in every moment: the holes
    // left are small ones, so how each is measured decides the largest.
    const blanket = line(vmStart + 0x40000000n, vmEnd - 0x1000000n);
    // A pool of areas on few distinct starts (ties), of any size (overlaps), some starting below
    // the range, in arm64's module region (module memory: the layout does not take them for the
    // range's start), and reaching into it.
    const extra = fc.record({ at: fc.integer({ min: -16, max: 255 }), pages: fc.integer({ min: 1, max: 16384 }) }).map(({ at, pages }) => {
      const start = vmStart + BigInt(at) * 0x400000n + (at % 3 === 0 ? 0n : 0x1000n);
      return at < 0 ? line(start, start + BigInt(pages + 16384) * 4096n, 'execmem_alloc') : line(start, start + BigInt(pages) * 4096n);
    });
    const moment = fc.record({ keep: fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }), extras: fc.array(fc.nat(), { maxLength: 40 }) });
    fc.assert(
      fc.property(fc.array(extra, { minLength: 1, maxLength: 24 }), fc.array(moment, { minLength: 1, maxLength: 5 }), (pool, moments) => {
        const texts = moments.map(({ keep, extras }) => {
          const kept = [blanket, ...lines.filter((_, k) => keep[k] || k === 0)];
          for (const e of extras) kept.push(pool[e % pool.length]);
          return kept.join('\n') + '\n';
        });
        const series = seriesOf(texts);
        const stats = seriesStats(series, hints, { maxGroups: Infinity });
        checkHoles(series, stats, texts, hints);
        for (const h of stats.largestHole!) expect(h).toBeLessThanOrEqual(0x40000000);
        checkAgainstTexts(stats, texts);
        checkFamiliesSum(stats);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a generated day of a 2,000-area host (its first hour)', () => {
  const hints: LayoutHints = { vmallocTotalKb: 34359738367 };
  const raw = generateDay({ moments: 60, mode: 'raw', seed: 7 });
  const texts = raw.map((m) => m.dump);

  it('gives fragmentation’s largest hole and the lines’ sums at every moment', () => {
    const series = seriesOf(
      texts,
      raw.map((m) => m.time),
    );
    const stats = seriesStats(series, hints, { maxGroups: Infinity });
    checkHoles(series, stats, texts, hints);
    checkAgainstTexts(stats, texts);
    checkFamiliesSum(stats);
    checkSortedByPeak(stats);
    expect(stats.times).toEqual(raw.map((m) => m.time));
  });

  it('gives the same figures from a recording of it as from its text', () => {
    const recorder = new Recorder();
    const frames = [encodeHeader({ created: raw[0].time, zoneMinutes: 0, pageSize: 4096, host: 'day', kernel: '6.1.0', machine: 'x86_64', bootId: 'day', tool: 'test' })];
    for (const m of raw) frames.push(recorder.take({ time: m.time, zoneMinutes: 0, vmallocinfo: encoder.encode(m.dump) }).frame);
    const bytes = new Uint8Array(frames.reduce((a, f) => a + f.length, 0));
    frames.reduce((at, f) => (bytes.set(f, at), at + f.length), 0);
    const recorded = recordingToSeries(decodeRecording(bytes)).series!;
    const fromText = seriesStats(seriesOf(texts), hints);
    const fromRecording = seriesStats(recorded, hints);
    expect(recorded.count).toBe(raw.length);
    // some minutes bring no new area: their frames hold removals only, or nothing
    expect(recorded.added.some((a, i) => i > 0 && a.length === 0)).toBe(true);
    expect(fromRecording.largestHole!.every((h) => h > 0)).toBe(true);
    for (const key of ['count', 'bytes', 'backed', 'unpurged', 'largestHole'] as const) expect([...fromRecording[key]!]).toEqual([...fromText[key]!]);
    for (const by of ['kind', 'caller', 'module', 'node'] as const) {
      expect(fromRecording.groups[by].map((g) => [g.key, [...g.values]])).toEqual(fromText.groups[by].map((g) => [g.key, [...g.values]]));
    }
  });

  it('counts a hashed day’s figures as its lines say, with no hole known', () => {
    const hashed = generateDay({ moments: 20, mode: 'hashed', seed: 7 }).map((m) => m.dump);
    const stats = seriesStats(seriesOf(hashed), hints, { maxGroups: Infinity });
    checkAgainstTexts(stats, hashed);
    checkFamiliesSum(stats, false);
    expect(stats.largestHole).toBeNull();
  });
});
