import { describe, expect, it } from 'vitest';
import { parse } from '../parse/scanner.ts';
import { fixtures } from '../testing/fixtures.ts';
import { areaKey } from './build.ts';
import { areaLine } from './print.ts';

const AS_READ = (digits: number) => ({ digits: digits || 16, base: 0n, physBase: 0n });

describe('an area’s line printed back from the columns', () => {
  for (const f of fixtures().filter((x) => x.path.startsWith('kernels/'))) {
    it(`is the line as the kernel printed it, for every area of ${f.path}`, () => {
      const s = parse(f.text);
      const lines = f.text.split('\n');
      for (let i = 0; i < s.count; i++) expect(areaLine(s, i, AS_READ(s.addressDigits))).toBe(lines[s.columns.line[i] - 1].replace(/\s+$/, ''));
    });
  }

  it('reads back as the same area for every seed, whose old phys= style and glued size it prints the usual way', () => {
    for (const f of fixtures().filter((x) => x.path.startsWith('seeds/'))) {
      const s = parse(f.text);
      const text = Array.from({ length: s.count }, (_, i) => areaLine(s, i, AS_READ(s.addressDigits))).join('\n');
      const back = parse(text);
      expect(back.count).toBe(s.count);
      expect(back.pointerMode).toBe(s.pointerMode);
      for (let i = 0; i < s.count; i++) expect(areaKey(back, i)).toBe(areaKey(s, i));
    }
  });

  it('prints addresses less a base, modulo 2^64, and renames a bare caller when asked', () => {
    const s = parse('0xffffc90000004000-0xffffc90000006000    8192 0xffffffffc0a01234 phys=0x00000000fed01000 ioremap\n');
    const line = areaLine(s, 0, { digits: 16, base: 0xffffc90000000000n, physBase: 0xfed00000n, bareCaller: () => '0x1' });
    expect(line).toBe('0x0000000000004000-0x0000000000006000    8192 0x1 phys=0x0000000000001000 ioremap');
  });
});
