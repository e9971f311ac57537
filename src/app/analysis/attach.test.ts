import { describe, expect, it } from 'vitest';
import { fixture } from '../../lib/testing/fixtures.ts';
import type { CaptureFacts } from '../worker/protocol.ts';
import { attachMessage, modulesKnownEmpty, readExtra, withExtra } from './attach.ts';

const MEMINFO = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo');
const MODULES = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');
const nonEmpty = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

const EMPTY: CaptureFacts = { meminfo: [], modules: [], sections: [], nbsp: 0, joined: 0, binary: false, endsMidLine: false, empty: false };

describe('extra /proc files', () => {
  it('read every line of a /proc/modules capture as a module, with its name, size and address', () => {
    const lines = nonEmpty(MODULES);
    const extra = readExtra(MODULES);
    expect(extra.meminfo).toHaveLength(0);
    expect(extra.modules).toHaveLength(lines.length);
    const [name, size] = lines[0].split(/\s+/);
    expect(extra.modules[0]).toMatchObject({ name, size: Number(size), address: lines[0].split(/\s+/)[5], line: 1 });
  });

  it('read every line of a /proc/meminfo capture, VmallocTotal included', () => {
    const lines = nonEmpty(MEMINFO);
    const extra = readExtra(MEMINFO);
    expect(extra.modules).toHaveLength(0);
    expect(extra.meminfo).toHaveLength(lines.length);
    const total = lines.find((l) => l.startsWith('VmallocTotal:'))!;
    expect(extra.meminfo.find((e) => e.key === 'VmallocTotal')?.value).toBe(Number(total.split(/\s+/)[1]));
  });

  it('are attached as sections, a new one replacing the old and the other kept', () => {
    const withMem = withExtra(EMPTY, readExtra(MEMINFO));
    expect(withMem.sections).toEqual([{ name: '/proc/meminfo', lines: nonEmpty(MEMINFO).length }]);
    const both = withExtra(withMem, readExtra(MODULES));
    expect(both.meminfo).toBe(withMem.meminfo);
    expect(both.sections).toEqual([
      { name: '/proc/meminfo', lines: nonEmpty(MEMINFO).length },
      { name: '/proc/modules', lines: nonEmpty(MODULES).length },
    ]);
    const again = withExtra(both, { meminfo: [], modules: readExtra(MODULES).modules.slice(0, 2) });
    expect(again.modules).toHaveLength(2);
    expect(again.sections.map((s) => s.name)).toEqual(['/proc/meminfo', '/proc/modules']);
  });

  it('are announced with what was attached to which dump, and nothing is said when there was nothing', () => {
    const n = nonEmpty(MODULES).length;
    expect(attachMessage(readExtra(MODULES), 'boot.vmallocinfo', EMPTY)).toBe(`Attached /proc/modules (${n} modules) to boot.vmallocinfo`);
    expect(attachMessage({ meminfo: [], modules: [] }, 'x', EMPTY)).toBeNull();
  });

  it('say which records they replace when the dump had some already, and leave the others unmentioned', () => {
    const mem = nonEmpty(MEMINFO).length;
    const mods = nonEmpty(MODULES).length;
    const had = withExtra(EMPTY, { meminfo: readExtra(MEMINFO).meminfo, modules: readExtra(MODULES).modules.slice(0, 3) });
    expect(attachMessage(readExtra(MODULES), 'boot.vmallocinfo', had)).toBe(
      `Attached /proc/modules (${mods} modules, in place of the 3 modules attached before) to boot.vmallocinfo`,
    );
    expect(attachMessage(readExtra(MEMINFO), 'boot.vmallocinfo', had)).toBe(
      `Attached /proc/meminfo (${mem} lines, in place of the ${mem} lines attached before) to boot.vmallocinfo`,
    );
    const onlyMem = withExtra(EMPTY, readExtra(MEMINFO));
    expect(attachMessage(readExtra(MODULES), 'boot.vmallocinfo', onlyMem)).toBe(`Attached /proc/modules (${mods} modules) to boot.vmallocinfo`);
  });

  it('attach an empty /proc/modules as known and empty (no module loaded yet), not as nothing', () => {
    const boot = fixture('kernels/x86_64-6.1.0-56-boot-raw.modules');
    expect(boot.trim()).toBe('');
    const extra = { ...readExtra(boot), modulesRead: true };
    expect(attachMessage(extra, 'boot.vmallocinfo', EMPTY)).toBe('Attached an empty /proc/modules (no module loaded) to boot.vmallocinfo');
    const attached = withExtra(EMPTY, extra);
    expect(attached.sections).toEqual([{ name: '/proc/modules', lines: 0 }]);
    expect(modulesKnownEmpty(attached)).toBe(true);
    expect(modulesKnownEmpty(EMPTY)).toBe(false);
    const loaded = withExtra(attached, readExtra(MODULES));
    expect(modulesKnownEmpty(loaded)).toBe(false);
    expect(loaded.sections).toEqual([{ name: '/proc/modules', lines: nonEmpty(MODULES).length }]);
    expect(modulesKnownEmpty(withExtra(loaded, extra))).toBe(true);
  });
});
