import { describe, expect, it } from 'vitest';
import { readModulesLine } from '../input/capture.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import { attributeModules } from './modules.ts';

const K = 'kernels/';
const model = (name: string) => buildModel(parse(new TextEncoder().encode(fixture(`${K}${name}.vmallocinfo`))));
const modules = (name: string): ModuleEntry[] =>
  fixture(`${K}${name}.modules`)
    .split('\n')
    .map((l, k) => readModulesLine(l, k + 1))
    .filter((m): m is ModuleEntry => m !== null);
/** /proc/modules read the awk way: name, size, address. */
const awkModules = (name: string) =>
  fixture(`${K}${name}.modules`)
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/))
    .map((f) => ({ name: f[0], size: Number(f[1]), base: BigInt(f[f.length - 1]) }));

const PAGE = 4096;

describe('module attribution on x86_64 6.1 (one loader area per module)', () => {
  const name = 'x86_64-6.1.0-56-after-insmod-raw';
  const text = readIndependently(fixture(`${K}${name}.vmallocinfo`));
  const att = attributeModules(model(name), modules(name));

  it('finds erofs in the load_module area holding 0xffffffffc0b75000, with that line’s size', () => {
    const line = text.areas.find((a) => a.start! <= 0xffffffffc0b75000n && 0xffffffffc0b75000n < a.end!)!;
    expect(line.caller?.symbol).toBe('load_module');
    const erofs = att.modules.find((m) => m.name === 'erofs')!;
    expect(erofs.address).toBe('0xffffffffc0b75000');
    expect(erofs.loaderAreas.map((i) => i + 1)).toEqual([text.areas.indexOf(line) + 1]);
    expect(erofs.loaderBytes).toBe(line.size);
    expect(erofs.loaderStart).toBe('0x' + line.start!.toString(16));
    expect(erofs.loaderEnd).toBe('0x' + line.end!.toString(16));
    expect(erofs.note).toMatch(/^erofs took 112 KiB \(114,688 bytes\) of vmalloc space at 0xffffffffc0b75000–0xffffffffc0b91000/);
  });

  it('makes every loader area lsmod’s size rounded to pages plus one guard page', () => {
    for (const m of awkModules(name)) {
      const line = text.areas.find((a) => a.start! <= m.base && m.base < a.end!)!;
      const f = att.modules.find((x) => x.name === m.name)!;
      expect(f.loaderBytes, m.name).toBe(line.size);
      expect(f.expectedLoaderBytes, m.name).toBe(Math.ceil(m.size / PAGE) * PAGE + PAGE);
      expect(f.unaccountedBytes, m.name).toBe(0);
    }
    expect(att.unmatched).toEqual([]);
    expect(att.unattributedLoaderAreas).toEqual([]);
  });

  it('adds the [module]-tagged areas to their module and to moduleOf', () => {
    const erofsTagged = text.areas.filter((a) => a.caller?.module === 'erofs');
    const erofs = att.modules.find((m) => m.name === 'erofs')!;
    expect(erofs.taggedAreas.length).toBe(erofsTagged.length);
    expect(erofs.taggedBytes).toBe(erofsTagged.reduce((s, a) => s + a.size, 0));
    const attributed = att.moduleOf.filter((m) => m !== null).length;
    expect(attributed).toBe(text.areas.filter((a) => a.caller?.module).length + awkModules(name).length);
    expect(att.orphanTags).toEqual([]);
  });

  it('reports zram as unmatched after rmmod, where no line holds its base address', () => {
    const after = 'x86_64-6.1.0-56-after-rmmod-raw';
    const areas = readIndependently(fixture(`${K}${after}.vmallocinfo`)).areas;
    const missing = awkModules(after).filter((m) => !areas.some((a) => a.start! <= m.base && m.base < a.end!)).map((m) => m.name);
    const a = attributeModules(model(after), modules(after));
    expect(a.unmatched).toEqual(missing);
    expect(missing).toEqual(['zram']);
    expect(a.notes.join(' ')).toMatch(/No area holds the base address of zram/);
  });

  it('lists tags of modules absent from /proc/modules as orphans', () => {
    const list = modules(name).filter((m) => m.name !== 'zram');
    const zram = text.areas.filter((a) => a.caller?.module === 'zram');
    const a = attributeModules(model(name), list);
    expect(a.orphanTags).toEqual([{ module: 'zram', areas: expect.any(Array), bytes: zram.reduce((s, x) => s + x.size, 0) }]);
    expect(a.orphanTags[0].areas.length).toBe(zram.length);
    expect(attributeModules(model(name), []).orphanTags).toEqual([]);
  });
});

describe('module attribution on arm64 6.12 (one area per section)', () => {
  const name = 'arm64-6.12.117-deb12-after-insmod-raw';
  const text = readIndependently(fixture(`${K}${name}.vmallocinfo`));
  const att = attributeModules(model(name), modules(name));
  const loaderLines = text.areas.filter((a) => a.caller?.symbol === 'load_module');

  it('finds each module’s text area by its base address', () => {
    for (const m of awkModules(name)) {
      const line = text.areas.find((a) => a.start! <= m.base && m.base < a.end!)!;
      const f = att.modules.find((x) => x.name === m.name)!;
      expect(f.loaderBytes, m.name).toBe(line.size);
      expect(f.unaccountedBytes, m.name).toBe(Math.ceil(m.size / PAGE) * PAGE + PAGE - line.size);
    }
    expect(att.unmatched).toEqual([]);
  });

  it('counts all loader areas and explains that their bytes without guards equal the lsmod sizes', () => {
    expect(att.loaderAreas.length).toBe(loaderLines.length);
    expect(att.loaderAreaBytes).toBe(loaderLines.reduce((s, a) => s + a.size, 0));
    expect(att.unattributedLoaderAreas.length).toBe(loaderLines.length - awkModules(name).length);
    const lsmod = awkModules(name).reduce((s, m) => s + m.size, 0);
    expect(att.lsmodBytes).toBe(lsmod);
    expect(att.loaderAreaBytes - PAGE * loaderLines.length).toBe(lsmod);
    expect(att.notes[0]).toMatch(/exactly the sum of lsmod sizes of the 19 modules/);
    expect(att.notes[1]).toMatch(/one area per section/);
  });

  it('uses only [module] tags when the dump is hashed', () => {
    const hashed = buildModel(parse(new TextEncoder().encode(fixture(`${K}arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo`))));
    const tagged = readIndependently(fixture(`${K}arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo`)).areas.filter((a) => a.caller?.module);
    const a = attributeModules(hashed, modules(name));
    expect(a.moduleOf.filter((m) => m !== null).length).toBe(tagged.length);
    expect(a.unmatched.length).toBe(awkModules(name).length);
    expect(a.notes[0]).toMatch(/only \[module\] tags/);
  });
});
