import { describe, expect, it } from 'vitest';
import { buildModel, parse } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { rowCells } from './cells.ts';

const SAMPLES = [
  'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo',
  'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo',
  'kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo',
  'seeds/ptrval-masked.vmallocinfo',
];

describe('a row of the areas table', () => {
  for (const path of SAMPLES) {
    it(`shows the addresses exactly as ${path.split('/')[1]} printed them`, () => {
      const text = fixture(path);
      const model = buildModel(parse(text));
      const printed = text
        .split('\n')
        .filter((l) => l.startsWith('0x'))
        .map((l) => l.trim().split(/\s+/)[0]);
      expect(model.snapshot.count).toBe(printed.length);
      printed.forEach((range, i) => {
        const cells = rowCells(model, i);
        expect(`${cells.start}-${cells.end}`).toBe(range);
      });
    });
  }

  it('gives the caller with its offset, the module, the pages, the nodes and phys= of an ioremap', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const lines = text.split('\n').filter((l) => l.startsWith('0x'));
    const model = buildModel(parse(text));
    const i = lines.findIndex((l) => l.includes('[e1000]') && l.includes('phys='));
    expect(i).toBeGreaterThanOrEqual(0);
    const words = lines[i].trim().split(/\s+/);
    const cells = rowCells(model, i);
    expect(cells.caller).toBe(words[2]);
    expect(cells.module).toBe('e1000');
    expect(cells.kind).toBe('ioremap');
    expect(cells.phys).toBe(words.find((w) => w.startsWith('phys='))!.slice(5));
    const j = lines.findIndex((l) => / pages=\d+ .*N0=\d+/.test(l));
    const nodes = lines[j].match(/N\d+=\d+/g)!.join(' ');
    expect(rowCells(model, j).nodes).toBe(nodes);
    expect(rowCells(model, j).pages).toBe(Number(/pages=(\d+)/.exec(lines[j])![1]).toLocaleString('en-US'));
  });
});
