import { describe, expect, it } from 'vitest';
import { parse } from './scanner.ts';
import { FLAG_BIT, KIND_INDEX } from './snapshot.ts';
import { AREA_KINDS, KNOWN_FLAGS } from '../types.ts';

// The scanner spells kind indices and flag bits as literals for speed; these tests pin them to
// AREA_KINDS and KNOWN_FLAGS through behaviour, so a reordering of either cannot go unnoticed.

const line = (words: string) => `0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 ${words}\n`;

describe('the scanner agrees with the declared vocabulary', () => {
  it.each(KNOWN_FLAGS.map((w) => [w]))('sets the bit of KNOWN_FLAGS for %s', (word) => {
    const s = parse(line(word));
    expect(s.columns.flagBits[0] & 0xff).toBe(FLAG_BIT[word]);
    expect(s.flagsOf(0)).toEqual([word]);
  });

  it.each([
    ['ioremap', 'ioremap'],
    ['sparse user', 'sparse'],
    ['vmalloc', 'vmalloc'],
    ['vmap user', 'vmap'],
    ['dma-coherent', 'dma-coherent'],
    ['user', 'other'],
    ['ioremap vmalloc', 'ioremap'],
    ['sparse vmalloc', 'sparse'],
  ] as const)('gives "%s" the primary kind %s', (words, kind) => {
    const s = parse(line(words));
    expect(AREA_KINDS[s.columns.kind[0]]).toBe(kind);
    expect(s.columns.kind[0]).toBe(KIND_INDEX[kind]);
  });

  it('gives vm_map_ram and unpurged lines their own kinds', () => {
    const s = parse(
      '0xffffc90000000000-0xffffc90000100000 1048576 vm_map_ram\n' +
        '0xffffc90000100000-0xffffc90000105000   20480 unpurged vm_area\n',
    );
    expect([s.kindOf(0), s.kindOf(1)]).toEqual(['vm_map_ram', 'unpurged']);
    expect(s.columns.kind[0]).toBe(KIND_INDEX.vm_map_ram);
    expect(s.columns.kind[1]).toBe(KIND_INDEX.unpurged);
  });
});
