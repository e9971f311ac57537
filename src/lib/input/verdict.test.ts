import { describe, expect, it } from 'vitest';
import { alsoFound, isModulesFileName, noAreasMessage, readMessage } from './verdict.ts';
import type { InputFacts } from './verdict.ts';

const base: InputFacts = {
  name: 'x.txt',
  bytes: 1000,
  lines: 10,
  areas: 0,
  errors: 0,
  warnings: 0,
  sections: [],
  binary: false,
  empty: false,
  endsMidLine: false,
  gzip: false,
};

describe('messages about an input', () => {
  it('lists the other sections of a combined capture', () => {
    expect(alsoFound([{ name: '/proc/meminfo', lines: 54 }, { name: '/proc/modules', lines: 23 }])).toBe(
      'also found: /proc/meminfo (54 lines), /proc/modules (23 lines)',
    );
    expect(alsoFound([])).toBeNull();
  });

  it('says an empty file is empty', () => {
    expect(noAreasMessage({ ...base, bytes: 0, lines: 0, empty: true })).toMatch(/x\.txt .*is empty/);
  });

  it('says a binary file is not text', () => {
    expect(noAreasMessage({ ...base, binary: true, errors: 3 })).toMatch(/binary data/);
  });

  it('says meminfo alone holds no area line', () => {
    expect(noAreasMessage({ ...base, lines: 54, sections: [{ name: '/proc/meminfo', lines: 54 }] })).toMatch(
      /holds \/proc\/meminfo \(54 lines\) but no \/proc\/vmallocinfo area line/,
    );
  });

  it('counts the skipped lines of unrecognisable text', () => {
    expect(noAreasMessage({ ...base, errors: 10 })).toMatch(/none of its 10 lines .* 10 lines skipped/);
  });

  it('says nothing about a clean dump, and names skipped lines, other sections and a missing last newline', () => {
    expect(readMessage({ ...base, areas: 10 })).toBeNull();
    const m = readMessage({ ...base, areas: 8, errors: 1, sections: [{ name: '/proc/modules', lines: 2 }], endsMidLine: true });
    expect(readMessage({ ...base, areas: 2, joined: 1 })).toBe('Read 2 area lines from x.txt; 1 wrapped line joined back.');
    expect(m).toMatch(/^Read 8 area lines from x\.txt; 1 line skipped; also found: \/proc\/modules \(2 lines\); the last line has no newline/);
  });

  it('names shell prompts by their line numbers rather than as unreadable lines', () => {
    expect(readMessage({ ...base, areas: 9, prompts: [1] })).toBe('Read 9 area lines from x.txt; skipped a shell prompt on line 1.');
    expect(readMessage({ ...base, areas: 7, errors: 1, prompts: [1, 10] })).toBe('Read 7 area lines from x.txt; 1 line skipped; skipped 2 shell prompts on lines 1 and 10.');
    expect(readMessage({ ...base, areas: 3, prompts: [1, 2, 3, 4, 5, 6, 7] })).toMatch(/skipped 7 shell prompts on lines 1, 2, 3, 4, 5 and 2 more\.$/);
    expect(noAreasMessage({ ...base, lines: 1, prompts: [1] })).toMatch(/^x\.txt \(.*\): none of its 1 line is a \/proc\/vmallocinfo area line; skipped a shell prompt on line 1\.$/);
  });

  it('calls an empty /proc/modules file what it is: valid, with no module loaded', () => {
    for (const name of ['x86_64-boot.modules', 'modules', '/proc/modules', 'host-modules.txt']) {
      expect(isModulesFileName(name), name).toBe(true);
      expect(noAreasMessage({ ...base, name, bytes: 0, lines: 0, empty: true })).toBe(`${name} (0 B) is an empty /proc/modules: no module was loaded when it was read.`);
    }
    expect(isModulesFileName('vmallocinfo.txt')).toBe(false);
    expect(noAreasMessage({ ...base, bytes: 0, lines: 0, empty: true })).toMatch(/x\.txt .*is empty: there is nothing to show/);
  });

  it('names the encoding and the CR-only line ends in what was read', () => {
    expect(readMessage({ ...base, areas: 3, lines: 3, encoding: 'utf-16le', bom: true, crLineEnds: 3 })).toBe(
      'Read 3 area lines from x.txt; read as UTF-16LE with a byte-order mark; read 3 CR-only line ends (old Mac tools, some web forms) as line ends.',
    );
    expect(readMessage({ ...base, areas: 3, lines: 3, encoding: 'utf-8', bom: false, crLineEnds: 0 })).toBeNull();
    expect(noAreasMessage({ ...base, encoding: 'utf-16be', bom: false, errors: 10 })).toMatch(/^x\.txt \(1000 B, UTF-16BE without a byte-order mark\): none of its 10 lines/);
  });
});
