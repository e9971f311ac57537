import { describe, expect, it } from 'vitest';
import { readModulesLine } from '../input/capture.ts';
import type { ModuleEntry } from '../input/capture.ts';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { existsSync } from 'node:fs';
import { SAMPLES_DIR, fixture, fixtures, readIndependently } from '../testing/fixtures.ts';
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
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/))
    // The address is the sixth field; taint letters such as "(C)" may follow it.
    .map((f) => ({ name: f[0], size: Number(f[1]), base: BigInt(f[5]) }));

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
      expect(f.textArea, m.name).toBe(text.areas.indexOf(line));
      expect(f.loaderAreas[0], m.name).toBe(text.areas.indexOf(line));
      expect(f.loaderStart, m.name).toBe('0x' + line.start!.toString(16));
    }
    expect(att.unmatched).toEqual([]);
  });

  it('credits e1000 with its text and the three loader areas that follow it, one of them printed in another vmap node’s run', () => {
    const m = awkModules(name).find((x) => x.name === 'e1000')!;
    const sorted = loaderLines.slice().sort((x, y) => (x.start! < y.start! ? -1 : 1));
    // Walk the gapless run of loader lines from the base until lsmod's size is reached.
    const run = [sorted.find((a) => a.start === m.base)!];
    let net = run[0].size - PAGE;
    while (net < m.size) {
      const next = sorted.find((a) => a.start === run[run.length - 1].end)!;
      run.push(next);
      net += next.size - PAGE;
    }
    expect(net).toBe(m.size);
    expect(run.length).toBe(4);
    // The file is not sorted (6.9+ vmap nodes): the last of them is printed after a lower address.
    const fileOrder = run.map((a) => text.areas.indexOf(a));
    expect(fileOrder.some((k, i) => i > 0 && k < fileOrder[i - 1]) || fileOrder.some((k) => text.areas.slice(0, k).some((a) => a.start! > run[run.length - 1].start!))).toBe(true);
    const f = att.modules.find((x) => x.name === 'e1000')!;
    expect(f.loaderAreas).toEqual(fileOrder);
    expect(f.loaderBytes).toBe(run.reduce((s, a) => s + a.size, 0));
    expect(f.agreement).toBe('exact');
    expect(f.unaccountedBytes).toBe(0);
    expect(f.note).toMatch(/^e1000 took 176 KiB \(180,224 bytes\) of vmalloc space in 4 areas \(its text at 0xffffc24dd6289000–0xffffc24dd62a1000\): lsmod's 163,840 bytes in 4 sections/);
    for (const i of fileOrder) expect(att.moduleOf[i]).toBe('e1000');
  });

  it('credits every loader area to a module, and says their bytes without guards equal the lsmod sizes', () => {
    expect(att.loaderAreas.length).toBe(loaderLines.length);
    expect(att.loaderAreaBytes).toBe(loaderLines.reduce((s, a) => s + a.size, 0));
    const lsmod = awkModules(name).reduce((s, m) => s + m.size, 0);
    expect(att.lsmodBytes).toBe(lsmod);
    expect(att.loaderAreaBytes - PAGE * loaderLines.length).toBe(lsmod);
    expect(att.unattributedLoaderAreas).toEqual([]);
    expect(att.notes[0]).toMatch(/exactly the sum of lsmod sizes of the 19 modules/);
    expect(att.notes[1]).toMatch(/^All 19 modules: their loader areas minus one guard page each add up exactly to lsmod's size; each has several areas/);
  });

  it('credits the modules still loaded after rmmod with the same areas as before it', () => {
    const after = 'arm64-6.12.117-deb12-after-rmmod-raw';
    const textB = readIndependently(fixture(`${K}${after}.vmallocinfo`));
    const b = attributeModules(model(after), modules(after));
    const starts = (t: typeof text, areas: number[]) => areas.map((i) => t.areas[i].start).sort((x, y) => (x! < y! ? -1 : 1));
    for (const f of b.modules) {
      const before = att.modules.find((x) => x.name === f.name)!;
      expect(starts(textB, f.loaderAreas), f.name).toEqual(starts(text, before.loaderAreas));
    }
  });

  it('uses only [module] tags when the dump is hashed', () => {
    const hashed = buildModel(parse(new TextEncoder().encode(fixture(`${K}arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo`))));
    const tagged = readIndependently(fixture(`${K}arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo`)).areas.filter((a) => a.caller?.module);
    const a = attributeModules(hashed, modules(name));
    expect(a.moduleOf.filter((m) => m !== null).length).toBe(tagged.length);
    expect(a.unmatched.length).toBe(awkModules(name).length);
    expect(a.notes[0]).toMatch(/only \[module\] tags/);
    expect(a.modules.every((f) => f.agreement === 'unknown')).toBe(true);
  });
});

describe('module attribution on every raw capture with its /proc/modules', () => {
  const names = fixtures()
    .map((f) => f.path)
    .filter((p) => p.startsWith(K) && p.endsWith('-raw.vmallocinfo'))
    .map((p) => p.slice(K.length, -'.vmallocinfo'.length))
    .filter((n) => existsSync(`${SAMPLES_DIR}${K}${n}.modules`));

  it('covers the x86_64, arm64, i386 and riscv64 captures', () => {
    for (const arch of ['x86_64-6.1', 'arm64-6.12', 'i386-6.1', 'riscv64-6.12']) expect(names.some((n) => n.startsWith(arch)), arch).toBe(true);
  });

  for (const name of names) {
    it(`credits no area twice and makes each agreeing module’s areas minus guards its lsmod size: ${name}`, () => {
      const text = readIndependently(fixture(`${K}${name}.vmallocinfo`));
      const att = attributeModules(model(name), modules(name));
      const seen = new Set<number>();
      for (const f of att.modules) {
        for (const i of f.loaderAreas) {
          expect(seen.has(i), `${f.name} line ${i + 1}`).toBe(false);
          seen.add(i);
          expect(text.areas[i].caller?.module ?? null, f.name).toBeNull();
        }
        const m = awkModules(name).find((x) => x.name === f.name)!;
        const net = f.loaderAreas.reduce((s, i) => s + text.areas[i].size - PAGE, 0);
        if (f.agreement === 'exact') expect(net, f.name).toBe(m.size);
        else expect(net, f.name).toBeLessThan(m.size);
      }
      // Which cannot agree, and why: only modules no line holds the base of (x86_64 after rmmod:
      // zram, whose area is gone while /proc/modules, read at another moment, still lists it).
      const off = att.modules.filter((f) => f.agreement !== 'exact');
      const noBase = awkModules(name).filter((m) => !text.areas.some((a) => a.start! <= m.base && m.base < a.end!)).map((m) => m.name);
      expect(off.map((f) => f.name)).toEqual(noBase);
      expect(off.every((f) => f.textArea === null && f.agreementText === 'no area holds its address')).toBe(true);
      // All together, the credited loader areas hold exactly the lsmod sizes of the agreeing modules.
      const lsmod = awkModules(name).reduce((s, m) => s + m.size, 0);
      const credited = att.modules.reduce((s, f) => s + f.loaderAreas.reduce((t, i) => t + text.areas[i].size - PAGE, 0), 0);
      expect(credited).toBe(lsmod - off.reduce((s, f) => s + f.lsmodSize, 0));
    });
  }
});

describe('module attribution on a generated dump of 3,000 modules since 6.4', () => {
  it('gives each module its four sections, in well under a few seconds', () => {
    // Each module: text of 3 pages, then data, rodata and ro_after_init of 2, 2 and 1 pages, back to
    // back, each area with its guard page; the file printed in reverse address order.
    const lines: string[] = [];
    const list: ModuleEntry[] = [];
    let at = 0xffff800000000000n;
    for (let m = 0; m < 3000; m++) {
      const base = at;
      const pages = [3, 2, 2, 1];
      for (const p of pages) {
        const size = (p + 1) * PAGE;
        lines.push(`0x${at.toString(16)}-0x${(at + BigInt(size)).toString(16)} ${String(size).padStart(7)} load_module+0x670/0x22a0 pages=${p} vmalloc`);
        at += BigInt(size);
      }
      list.push(readModulesLine(`mod${m} ${pages.reduce((s, p) => s + p, 0) * PAGE} 0 - Live 0x${base.toString(16)}`, m + 1)!);
    }
    const dump = buildModel(parse(new TextEncoder().encode(lines.reverse().join('\n') + '\n')));
    const t0 = performance.now();
    const att = attributeModules(dump, list);
    // Well under a second on an idle machine; the bound catches a search that grows out of hand with
    // the modules and areas (12,000 here), with room for a machine busy with other work.
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(att.modules.every((f) => f.agreement === 'exact' && f.loaderAreas.length === 4)).toBe(true);
    expect(att.unattributedLoaderAreas).toEqual([]);
    // Each module's areas are the four lines from its base on (file lines are reversed: 4m..4m+3 from the end).
    const n = lines.length;
    att.modules.forEach((f, m) => expect(f.loaderAreas.slice().sort((a, b) => a - b)).toEqual([n - 4 * m - 4, n - 4 * m - 3, n - 4 * m - 2, n - 4 * m - 1]));
  });
});

describe('module attribution when a text area is shared', () => {
  it('credits an area holding two modules’ bases (an execmem cache of huge pages) to neither, and says so', () => {
    // Two modules whose text lies in one 2 MiB cache area, each with a data area of its own.
    const lines = [
      '0xffffffffc0000000-0xffffffffc0201000 2101248 execmem_cache_populate+0x5f/0x1a0 pages=512 vmalloc',
      '0xffffffffc0201000-0xffffffffc0204000   12288 execmem_alloc+0x2a/0x80 pages=2 vmalloc',
      '0xffffffffc0204000-0xffffffffc0206000    8192 execmem_alloc+0x2a/0x80 pages=1 vmalloc',
    ];
    const dump = buildModel(parse(new TextEncoder().encode(lines.join('\n') + '\n')));
    const list = ['a 16384 0 - Live 0xffffffffc0000000', 'b 8192 0 - Live 0xffffffffc0003000'].map((l, k) => readModulesLine(l, k + 1)!);
    const att = attributeModules(dump, list);
    expect(att.modules.map((f) => [f.name, f.agreement, f.agreementText, f.loaderAreas])).toEqual([
      ['a', 'disagrees', 'its text is in a shared area', []],
      ['b', 'disagrees', 'its text is in a shared area', []],
    ]);
    expect(att.moduleOf).toEqual([null, null, null]);
    expect(att.modules[0].note).toMatch(/holds another module's base too \(a shared area, such as an execmem cache\)/);
  });
});
