import { describe, expect, it } from 'vitest';
import { buildModel, parseDump } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { groupAreas } from './highlight.ts';
import { rounds, seriesText } from '../../lib/testing/handStats.ts';

const round = rounds(seriesText())[10];
const lines = round.text.split('\n').filter((l) => l.startsWith('0x'));
const model = buildModel(parseDump(new TextEncoder().encode(round.text)).snapshot);

describe('the areas a What grew row highlights', () => {
  it('are a caller’s lines, counted and summed from the text', () => {
    const mine = lines.filter((l) => l.trim().split(/\s+/)[2]?.split('+')[0] === 'kernel_clone');
    const found = groupAreas(model, 'caller', 'kernel_clone', []);
    expect(found.count).toBe(mine.length);
    expect(found.bytes).toBe(mine.reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0));
  });

  it('are a kind’s lines, lazily freed ones by their "unpurged vm_area" words', () => {
    const mine = lines.filter((l) => l.trim().endsWith('unpurged vm_area'));
    expect(mine.length).toBeGreaterThan(0);
    expect(groupAreas(model, 'kind', 'unpurged', []).count).toBe(mine.length);
  });

  it('are a module’s [module]-tagged lines', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const m = buildModel(parseDump(new TextEncoder().encode(text)).snapshot);
    const tagged = text.split('\n').filter((l) => l.startsWith('0x') && /\s\[e1000\]\s/.test(l));
    expect(tagged.length).toBeGreaterThan(0);
    expect(groupAreas(m, 'module', 'e1000', []).count).toBe(tagged.length);
  });
});
