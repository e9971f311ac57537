import { describe, expect, it } from 'vitest';
import { readModulesLine } from '../input/capture.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { buildModel } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture } from '../testing/fixtures.ts';
import { diffJson, diffModels } from './diff.ts';

const K = 'kernels/';
const text = (name: string) => fixture(`${K}${name}.vmallocinfo`);
const model = (name: string): Model => buildModel(parse(new TextEncoder().encode(text(name))));
const modules = (name: string): ModuleEntry[] =>
  fixture(`${K}${name}.modules`)
    .split('\n')
    .map((l, k) => readModulesLine(l, k + 1))
    .filter((m): m is ModuleEntry => m !== null);

/** The area lines of a dump read with plain string splitting: start, caller "sym [mod]" or the bare word, and the caller's symbol/length. */
function lines(name: string) {
  return text(name)
    .split('\n')
    .filter((l) => l.startsWith('0x'))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const start = f[0].split('-')[0];
      const caller = /^(.+)\+0x[0-9a-f]+\/0x([0-9a-f]+)$/.exec(f[2] ?? '');
      const module = /\[(\w+)\]/.exec(l)?.[1] ?? null;
      return { start, key: `${start} ${f[2]} ${module ?? ''}`, symbol: caller?.[1] ?? null, length: caller ? parseInt(caller[2], 16) : null, module, size: Number(f[1]) };
    });
}

/** In-kernel symbols (no [module]) shown with one length in A and another in B, each consistent within its own file. */
function conflictingSymbols(a: string, b: string): string[] {
  const lengths = (name: string) => {
    const m = new Map<string, Set<number>>();
    for (const l of lines(name)) if (l.symbol && l.length !== null && !l.module) m.set(l.symbol, (m.get(l.symbol) ?? new Set()).add(l.length));
    return m;
  };
  const la = lengths(a);
  const lb = lengths(b);
  return [...lb].filter(([s, set]) => la.has(s) && la.get(s)!.size === 1 && set.size === 1 && [...la.get(s)!][0] !== [...set][0]).map(([s]) => s);
}

const commonKeys = (a: string, b: string) => {
  const keys = new Set(lines(a).map((l) => l.key));
  return lines(b).filter((l) => keys.has(l.key)).length;
};

const reasons = (a: string, b: string) => diffModels(model(a), model(b)).warnings.map((w) => w.reason);

describe('whether A and B can be one machine and boot', () => {
  it.each([
    ['x86_64-6.1.0-56-boot-raw', 'x86_64-6.1.0-56-after-insmod-raw'],
    ['x86_64-6.1.0-56-after-insmod-raw', 'x86_64-6.1.0-56-after-rmmod-raw'],
    ['arm64-6.12.117-deb12-boot-raw', 'arm64-6.12.117-deb12-after-insmod-raw'],
    ['i386-6.1.0-50-686-boot-raw', 'i386-6.1.0-50-686-after-insmod-raw'],
    ['x86_64-6.1.0-56-boot-raw', 'x86_64-6.1.0-56-after-insmod-hashed'],
    ['arm64-6.12.117-deb12-after-insmod-raw', 'arm64-6.12.117-deb12-after-insmod-hashed'],
  ])('raises no warning for %s → %s, captured in one boot', (a, b) => {
    expect(conflictingSymbols(a, b)).toEqual([]);
    if (!b.endsWith('hashed')) expect(commonKeys(a, b)).toBeGreaterThan(0);
    expect(diffModels(model(a), model(b)).warnings).toEqual([]);
  });

  it('says two x86_64 boots differ by their KASLR vmalloc base and share no area', () => {
    const a = 'x86_64-6.1.0-56-boot-raw';
    const b = 'x86_64-6.1.0-56-after-insmod-numa-raw';
    expect(commonKeys(a, b)).toBe(0);
    // x86_64 randomises the vmalloc base by whole GiBs: the lowest area, aligned down to 1 GiB.
    const base = (name: string) => {
      const lowest = lines(name).map((l) => BigInt(l.start)).reduce((x, y) => (y < x ? y : x));
      return `0x${(lowest - (lowest % (1n << 30n))).toString(16)}`;
    };
    expect(base(a)).not.toBe(base(b));
    const d = diffModels(model(a), model(b));
    expect(d.warnings.map((w) => w.reason)).toEqual(['base', 'no-common']);
    expect(d.warnings[0].message).toContain(`A ${base(a)}, B ${base(b)}`);
  });

  it('says the i386 boot with vmalloc=64M is another boot: its vmalloc area starts elsewhere and no area is shared', () => {
    const a = 'i386-6.1.0-50-686-boot-raw';
    const b = 'i386-6.1.0-50-686-after-insmod-vmalloc64m-raw';
    expect(commonKeys(a, b)).toBe(0);
    expect(reasons(a, b)).toEqual(['base', 'no-common']);
  });

  it('says a 32-bit and a 64-bit dump are two architectures, and names a function whose length differs', () => {
    const a = 'i386-6.1.0-50-686-boot-raw';
    const b = 'x86_64-6.1.0-56-boot-raw';
    const digits = (name: string) => lines(name)[0].start.length - 2;
    expect([digits(a), digits(b)]).toEqual([8, 16]);
    const d = diffModels(model(a), model(b));
    expect(d.warnings.map((w) => w.reason)).toEqual(['layout', 'kernel']);
    expect(d.warnings[0].message).toContain('8-digit addresses and B 16-digit');
    const conflicts = conflictingSymbols(a, b);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.some((s) => d.warnings[1].message.startsWith(`Another kernel build: ${s} is `))).toBe(true);
  });

  it('says x86_64 and arm64 raw dumps have two layouts and two kernels', () => {
    const a = 'x86_64-6.1.0-56-boot-raw';
    const b = 'arm64-6.12.117-deb12-after-insmod-raw';
    expect(conflictingSymbols(a, b).length).toBeGreaterThan(0);
    const d = diffModels(model(a), model(b));
    expect(d.warnings.map((w) => w.reason)).toEqual(['layout', 'kernel']);
    expect(d.warnings[0].message).toMatch(/x86_64.*arm64/);
  });

  it('tells two hashed dumps of two machines apart by their kernel and by hashes that never match', () => {
    const a = 'x86_64-6.1.0-56-after-insmod-hashed';
    const b = 'arm64-6.12.117-deb12-after-insmod-hashed';
    expect(commonKeys(a, b)).toBe(0);
    expect(conflictingSymbols(a, b).length).toBeGreaterThan(0);
    expect(reasons(a, b)).toEqual(['kernel', 'no-common']);
  });

  it('puts the warnings in the JSON with their reason and sentence', () => {
    const d = diffModels(model('x86_64-6.1.0-56-boot-raw'), model('x86_64-6.1.0-56-after-insmod-iommu-raw'));
    const json = JSON.parse(JSON.stringify(diffJson(d)));
    expect(json.warnings).toEqual(d.warnings.map((w) => ({ reason: w.reason, message: w.message })));
    expect(json.warnings.length).toBeGreaterThan(0);
  });
});

describe('the leak check', () => {
  it('ran and found no possible leak when every [module] tag of B is a module B lists', () => {
    const a = 'x86_64-6.1.0-56-boot-raw';
    const b = 'x86_64-6.1.0-56-after-insmod-raw';
    const tagged = new Set(lines(b).flatMap((l) => (l.module ? [l.module] : [])));
    const listed = new Set(modules(b).map((m) => m.name));
    expect(tagged.size).toBeGreaterThan(0);
    expect([...tagged].every((m) => listed.has(m))).toBe(true);
    const d = diffModels(model(a), model(b), { modulesA: modules(a), modulesB: modules(b) });
    expect(d.leakCheck).toBe('ran');
    expect(d.possibleLeaks).toEqual([]);
    expect(diffJson(d).leakCheck).toBe('ran');
  });

  it('says it could not run without B’s /proc/modules', () => {
    const d = diffModels(model('x86_64-6.1.0-56-boot-raw'), model('x86_64-6.1.0-56-after-insmod-raw'));
    expect(d.leakCheck).toBe('no-modules-b');
    expect(d.possibleLeaks).toEqual([]);
  });

  it('takes an empty /proc/modules for B as nothing loaded: every [module]-tagged area is a possible leak', () => {
    const b = 'x86_64-6.1.0-56-after-rmmod-raw';
    const byModule = new Map<string, { count: number; bytes: number }>();
    for (const l of lines(b)) {
      if (!l.module) continue;
      const x = byModule.get(l.module) ?? { count: 0, bytes: 0 };
      byModule.set(l.module, { count: x.count + 1, bytes: x.bytes + l.size });
    }
    const d = diffModels(model('x86_64-6.1.0-56-after-insmod-raw'), model(b), { modulesB: [] });
    expect(d.leakCheck).toBe('ran');
    expect(Object.fromEntries(d.possibleLeaks.map((p) => [p.module, { count: p.areas.length, bytes: p.bytes }]))).toEqual(Object.fromEntries(byModule));
  });
});
