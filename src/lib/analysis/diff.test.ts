import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readModulesLine } from '../input/capture.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { buildModel } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import type { ExpectedArea } from '../testing/fixtures.ts';
import { dumpArb, printDump, shuffle } from '../testing/generate.ts';
import { DIFF_STATUS, diffJson, diffModels } from './diff.ts';

const K = 'kernels/';
const model = (text: string): Model => buildModel(parse(new TextEncoder().encode(text)));
const modules = (name: string): ModuleEntry[] =>
  fixture(`${K}${name}.modules`)
    .split('\n')
    .map((l, k) => readModulesLine(l, k + 1))
    .filter((m): m is ModuleEntry => m !== null);

/** The caller identity the way a reader of the text would write it: "sym [mod]", or "(kind)". */
const callerOf = (a: ExpectedArea) => (a.caller ? (a.caller.module ? `${a.caller.symbol} [${a.caller.module}]` : a.caller.symbol) : `(${a.kind})`);

/** Address diff computed from the text: set difference of (start, caller) keys. */
function addressDiff(textA: string, textB: string) {
  const key = (a: ExpectedArea) => `${a.start}|${callerOf(a)}`;
  const a = new Map(readIndependently(textA).areas.map((x) => [key(x), x]));
  const b = new Map(readIndependently(textB).areas.map((x) => [key(x), x]));
  const added = [...b.values()].filter((x) => !a.has(key(x)));
  const removed = [...a.values()].filter((x) => !b.has(key(x)));
  const resized = [...b.values()].filter((x) => a.has(key(x)) && a.get(key(x))!.size !== x.size);
  const sum = (xs: ExpectedArea[]) => xs.reduce((s, x) => s + x.size, 0);
  return {
    added: { count: added.length, bytes: sum(added) },
    removed: { count: removed.length, bytes: sum(removed) },
    resized: { count: resized.length, bytesDelta: resized.reduce((s, x) => s + x.size - a.get(key(x))!.size, 0) },
  };
}

/** Multiset diff computed from the text: per (caller, size), the surplus on each side. */
function multisetDiff(textA: string, textB: string) {
  const tally = (text: string) => {
    const m = new Map<string, number>();
    for (const x of readIndependently(text).areas) m.set(`${callerOf(x)}|${x.size}`, (m.get(`${callerOf(x)}|${x.size}`) ?? 0) + 1);
    return m;
  };
  const a = tally(textA);
  const b = tally(textB);
  const out = { added: { count: 0, bytes: 0 }, removed: { count: 0, bytes: 0 } };
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const size = Number(k.slice(k.lastIndexOf('|') + 1));
    const d = (b.get(k) ?? 0) - (a.get(k) ?? 0);
    if (d > 0) out.added = { count: out.added.count + d, bytes: out.added.bytes + d * size };
    if (d < 0) out.removed = { count: out.removed.count - d, bytes: out.removed.bytes - d * size };
  }
  return out;
}

/** The same capture with every address replaced by a made-up 32-bit "hash" (equal in, equal out). */
function hashed(text: string): string {
  const ids = new Map<string, string>();
  const h = (addr: string) => {
    if (!ids.has(addr)) ids.set(addr, '0x' + (0x9e3779b1 * (ids.size + 1) >>> 0).toString(16).padStart(16, '0'));
    return ids.get(addr)!;
  };
  return text.replace(/^(0x[0-9a-f]+)-(0x[0-9a-f]+)/gm, (_, s: string, e: string) => `${h(s)}-${h(e)}`);
}

const PAIRS: Array<[string, string]> = [
  ['x86_64-6.1.0-56-boot-raw', 'x86_64-6.1.0-56-after-insmod-raw'],
  ['x86_64-6.1.0-56-after-insmod-raw', 'x86_64-6.1.0-56-after-rmmod-raw'],
  ['arm64-6.12.117-deb12-boot-raw', 'arm64-6.12.117-deb12-after-insmod-raw'],
  ['arm64-6.12.117-deb12-after-insmod-raw', 'arm64-6.12.117-deb12-after-rmmod-raw'],
];

describe('diff of real before/after captures', () => {
  for (const [a, b] of PAIRS) {
    it(`matches ${a} → ${b} by address and counts what the text's (start, caller) keys say`, () => {
      const textA = fixture(`${K}${a}.vmallocinfo`);
      const textB = fixture(`${K}${b}.vmallocinfo`);
      const d = diffModels(model(textA), model(textB), { modulesA: modules(a), modulesB: modules(b) });
      const expected = addressDiff(textA, textB);
      expect(d.matchedBy).toBe('address');
      expect(d.added).toEqual(expected.added);
      expect(d.removed).toEqual(expected.removed);
      expect(d.resized).toEqual(expected.resized);
      expect(d.netBytes).toBe(readIndependently(textB).bytes - readIndependently(textA).bytes);
      expect(d.addedB.length).toBe(expected.added.count);
      for (const j of d.addedB) expect(DIFF_STATUS[d.statusB[j]]).toBe('added');
      for (const i of d.removedA) expect(DIFF_STATUS[d.statusA[i]]).toBe('removed');
    });

    it(`matches ${a} → hashed ${b} by caller and size, as the text's multisets say`, () => {
      const textA = fixture(`${K}${a}.vmallocinfo`);
      const textB = hashed(fixture(`${K}${b}.vmallocinfo`));
      const d = diffModels(model(textA), model(textB));
      expect(d.matchedBy).toBe('multiset');
      const expected = multisetDiff(textA, textB);
      expect(d.added).toEqual(expected.added);
      expect(d.removed).toEqual(expected.removed);
      expect(d.resized).toEqual({ count: 0, bytesDelta: 0 });
      expect(d.netBytes).toBe(readIndependently(textB).bytes - readIndependently(textA).bytes);
    });
  }

  it('finds nothing changed between a raw capture and the same capture hashed', () => {
    const text = fixture(`${K}x86_64-6.1.0-56-after-insmod-raw.vmallocinfo`);
    const d = diffModels(model(text), model(hashed(text)));
    expect(d.matchedBy).toBe('multiset');
    expect([d.added.count, d.removed.count, d.resized.count, d.netBytes]).toEqual([0, 0, 0, 0]);
  });

  it('differs from the address diff on x86_64 rmmod exactly by the areas that moved with the same caller and size', () => {
    const textA = fixture(`${K}x86_64-6.1.0-56-after-insmod-raw.vmallocinfo`);
    const textB = fixture(`${K}x86_64-6.1.0-56-after-rmmod-raw.vmallocinfo`);
    // From the text: areas only in A and only in B by (start, caller), then those pairs that share caller and size.
    const key = (x: ExpectedArea) => `${x.start}|${callerOf(x)}`;
    const inA = new Set(readIndependently(textA).areas.map(key));
    const inB = new Set(readIndependently(textB).areas.map(key));
    const onlyA = readIndependently(textA).areas.filter((x) => !inB.has(key(x)));
    const onlyB = readIndependently(textB).areas.filter((x) => !inA.has(key(x)));
    const left = new Map<string, number>();
    for (const x of onlyA) left.set(`${callerOf(x)}|${x.size}`, (left.get(`${callerOf(x)}|${x.size}`) ?? 0) + 1);
    let moved = 0;
    let movedBytes = 0;
    for (const x of onlyB) {
      const k = `${callerOf(x)}|${x.size}`;
      if ((left.get(k) ?? 0) > 0) {
        left.set(k, left.get(k)! - 1);
        moved++;
        movedBytes += x.size;
      }
    }
    expect(moved).toBeGreaterThan(0);
    const byAddress = diffModels(model(textA), model(textB));
    const byMultiset = diffModels(model(textA), model(textB), { addressesHiddenB: true });
    expect(byAddress.matchedBy).toBe('address');
    expect(byMultiset.matchedBy).toBe('multiset');
    expect(byMultiset.added).toEqual({ count: byAddress.added.count - moved, bytes: byAddress.added.bytes - movedBytes });
    expect(byMultiset.removed).toEqual({ count: byAddress.removed.count - moved, bytes: byAddress.removed.bytes - movedBytes });
    expect(byMultiset.netBytes).toBe(byAddress.netBytes);
  });

  it('charges the removal of btrfs to btrfs through its loader area and the module list', () => {
    const a = 'x86_64-6.1.0-56-after-insmod-raw';
    const b = 'x86_64-6.1.0-56-after-rmmod-raw';
    const textA = fixture(`${K}${a}.vmallocinfo`);
    const base = BigInt(modules(a).find((m) => m.name === 'btrfs')!.address);
    const area = readIndependently(textA).areas.find((x) => x.start! <= base && base < x.end!)!;
    const d = diffModels(model(textA), model(fixture(`${K}${b}.vmallocinfo`)), { modulesA: modules(a), modulesB: modules(b) });
    const btrfs = d.byModule.find((m) => m.name === 'btrfs');
    expect(btrfs).toEqual({ name: 'btrfs', count: -1, bytes: -area.size, added: 0, removed: 1, resized: 0 });
    const json = diffJson(d) as { byModule: Record<string, { count: number; bytes: number }> };
    expect(json.byModule.btrfs).toMatchObject({ count: -1, bytes: -area.size });
  });

  it('charges every module loaded after boot with its loader area and tagged areas (x86_64 insmod)', () => {
    const a = 'x86_64-6.1.0-56-boot-raw';
    const b = 'x86_64-6.1.0-56-after-insmod-raw';
    const textB = fixture(`${K}${b}.vmallocinfo`);
    const areasB = readIndependently(textB).areas;
    const d = diffModels(model(fixture(`${K}${a}.vmallocinfo`)), model(textB), { modulesB: modules(b) });
    const json = diffJson(d) as { byModule: Record<string, { count: number; bytes: number }> };
    for (const m of modules(b)) {
      const base = BigInt(m.address);
      const mine = areasB.filter((x) => x.caller?.module === m.name || (!x.caller?.module && x.start! <= base && base < x.end!));
      expect(json.byModule[m.name], m.name).toMatchObject({ count: mine.length, bytes: mine.reduce((s, x) => s + x.size, 0) });
    }
  });

  it('counts all four section areas of btrfs on arm64 6.12 to btrfs when it is the one module removed', () => {
    const a = 'arm64-6.12.117-deb12-after-insmod-raw';
    const b = 'arm64-6.12.117-deb12-after-rmmod-raw';
    const textA = fixture(`${K}${a}.vmallocinfo`);
    const textB = fixture(`${K}${b}.vmallocinfo`);
    const inB = new Set(readIndependently(textB).areas.map((x) => `${x.start}|${callerOf(x)}`));
    const gone = readIndependently(textA).areas.filter((x) => x.caller?.symbol === 'load_module' && !inB.has(`${x.start}|${callerOf(x)}`));
    const lsmod = Number(/^btrfs (\d+)/m.exec(fixture(`${K}${a}.modules`))![1]);
    expect(gone.reduce((s, x) => s + x.size, 0)).toBe(lsmod + gone.length * 4096);
    const d = diffModels(model(textA), model(textB), { modulesA: modules(a), modulesB: modules(b) });
    expect(d.byModule.find((m) => m.name === 'btrfs')).toEqual({
      name: 'btrfs', count: -gone.length, bytes: -(lsmod + gone.length * 4096), added: 0, removed: gone.length, resized: 0,
    });
    // A's module list alone is enough: A's areas of btrfs are its four sections, found by their sizes.
    const fromA = diffModels(model(textA), model(textB), { modulesA: modules(a) }).byModule.find((m) => m.name === 'btrfs');
    expect(fromA?.removed).toBe(gone.length);
  });

  for (const kernel of ['x86_64-6.1.0-56', 'arm64-6.12.117-deb12']) {
    it(`gives btrfs at insmod the bytes rmmod frees: ${kernel}`, () => {
      const [boot, insmod, rmmod] = ['boot', 'after-insmod', 'after-rmmod'].map((stage) => `${kernel}-${stage}-raw`);
      const textI = fixture(`${K}${insmod}.vmallocinfo`);
      const textR = fixture(`${K}${rmmod}.vmallocinfo`);
      // The loader lines gone at rmmod, but for those holding the base of a module still listed.
      const listed = fixture(`${K}${rmmod}.modules`).split('\n').filter((l) => l.trim()).map((l) => BigInt(l.trim().split(/\s+/)[5]));
      const inR = new Set(readIndependently(textR).areas.map((x) => `${x.start}|${callerOf(x)}`));
      const gone = readIndependently(textI).areas.filter(
        (x) => x.caller?.symbol === 'load_module' && !inR.has(`${x.start}|${callerOf(x)}`) && !listed.some((base) => x.start! <= base && base < x.end!),
      );
      const goneBytes = gone.reduce((s, x) => s + x.size, 0);
      const lsmod = Number(/^btrfs (\d+)/m.exec(fixture(`${K}${insmod}.modules`))![1]);
      expect(goneBytes).toBe(lsmod + gone.length * 4096);
      const loaded = diffJson(diffModels(model(fixture(`${K}${boot}.vmallocinfo`)), model(textI), { modulesA: modules(boot), modulesB: modules(insmod) })) as {
        byModule: Record<string, { count: number; bytes: number }>;
      };
      expect(loaded.byModule.btrfs).toMatchObject({ count: gone.length, bytes: goneBytes });
      const freed = diffModels(model(textI), model(textR), { modulesA: modules(insmod), modulesB: modules(rmmod) });
      expect(freed.byModule.find((m) => m.name === 'btrfs')).toMatchObject({ count: -gone.length, bytes: -goneBytes });
    });
  }

  it('flags areas tagged with a module that B no longer lists as possible leaks', () => {
    const a = 'x86_64-6.1.0-56-after-insmod-raw';
    const b = 'x86_64-6.1.0-56-after-rmmod-raw';
    const textB = fixture(`${K}${b}.vmallocinfo`);
    // Pretend erofs was unloaded but its run-time allocations stayed.
    const modulesB = modules(b).filter((m) => m.name !== 'erofs');
    const tagged = readIndependently(textB).areas.filter((x) => x.caller?.module === 'erofs');
    expect(tagged.length).toBeGreaterThan(0);
    const d = diffModels(model(fixture(`${K}${a}.vmallocinfo`)), model(textB), { modulesA: modules(a), modulesB });
    expect(d.possibleLeaks.map((p) => [p.module, p.areas.length, p.bytes])).toEqual([['erofs', tagged.length, tagged.reduce((s, x) => s + x.size, 0)]]);
    expect(diffModels(model(fixture(`${K}${a}.vmallocinfo`)), model(textB)).possibleLeaks).toEqual([]);
  });

  it('matches by caller and size when two raw dumps come from different boots', () => {
    const d = diffModels(
      model(fixture(`${K}x86_64-6.1.0-56-boot-raw.vmallocinfo`)),
      model(fixture(`${K}arm64-6.12.117-deb12-boot-raw.vmallocinfo`)),
    );
    expect(d.matchedBy).toBe('multiset');
    expect(d.matchReason).toMatch(/different vmalloc bases/);
  });
});

describe('diff laws', () => {
  it('finds nothing changed between a dump and itself in another file order', () => {
    fc.assert(
      fc.property(dumpArb, ({ areas, shuffled }) => {
        const d = diffModels(model(printDump(areas)), model(printDump(shuffled)));
        return d.added.count === 0 && d.removed.count === 0 && d.resized.count === 0 && d.netBytes === 0 && d.byModule.length === 0;
      }),
      { numRuns: 60 },
    );
  });

  it('adds up: added − removed + resized delta is the difference of the total bytes', () => {
    fc.assert(
      fc.property(dumpArb, dumpArb, fc.integer(), ({ areas }, other, seed) => {
        // B keeps a random part of A (some resized) and adds areas of another dump.
        const kept = shuffle(areas, seed).slice(0, Math.floor(areas.length / 2));
        const b = [...kept.map((x, k) => (k % 3 === 0 ? { ...x, size: x.size + 4096 } : x)), ...other.areas];
        const textA = printDump(areas);
        const textB = printDump(b);
        const d = diffModels(model(textA), model(textB));
        const total = (t: string) => readIndependently(t).bytes;
        const byModule = d.byModule.reduce((s, m) => s + m.bytes, 0);
        const moduleBytes = (t: string) => readIndependently(t).areas.reduce((s, x) => s + (x.caller?.module ? x.size : 0), 0);
        return (
          d.added.bytes - d.removed.bytes + d.resized.bytesDelta === total(textB) - total(textA) &&
          d.netBytes === total(textB) - total(textA) &&
          byModule === moduleBytes(textB) - moduleBytes(textA) &&
          d.added.count - d.removed.count === readIndependently(textB).areas.length - areas.length
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('matching areas that share a start address, and dumps whose layout is not recognised', () => {
  it('pairs the areas of one start address by caller, whatever their order in the file', () => {
    // A lazily freed area and a live one can print the same start; each must meet its own kind.
    const a = [
      '0xffffc90000000000-0xffffc90000005000   20480 unpurged vm_area',
      '0xffffc90000000000-0xffffc90000003000   12288 kernel_clone+0xbf/0x430 pages=2 vmalloc N0=2',
      '0xffffc90000010000-0xffffc90000012000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap',
    ].join('\n');
    const b = [
      '0xffffc90000000000-0xffffc90000004000   16384 kernel_clone+0xbf/0x430 pages=3 vmalloc N0=3',
      '0xffffc90000000000-0xffffc90000005000   20480 unpurged vm_area',
      '0xffffc90000020000-0xffffc90000022000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap',
    ].join('\n');
    const d = diffModels(model(a), model(b));
    expect(d.matchedBy).toBe('address');
    expect([...d.statusA].map((k) => DIFF_STATUS[k])).toEqual(['same', 'resized', 'removed']);
    expect([...d.statusB].map((k) => DIFF_STATUS[k])).toEqual(['resized', 'same', 'added']);
    expect(d.resized).toEqual({ count: 1, bytesDelta: 16384 - 12288 });
  });

  it('falls back to caller and size when no area keeps its address, and then matches what the text says', () => {
    const textA = fixture(`${K}x86_64-6.1.0-56-after-insmod-raw.vmallocinfo`);
    // The same areas at addresses no layout knows (still raw: end − start = size on every line).
    const textB = textA.replace(/0xffff/g, '0x0000');
    const d = diffModels(model(textA), model(textB));
    expect(d.matchedBy).toBe('multiset');
    expect(d.matchReason).toMatch(/No area has the same start address/);
    expect([d.added.count, d.removed.count, d.resized.count, d.netBytes]).toEqual([0, 0, 0, 0]);
  });
});
