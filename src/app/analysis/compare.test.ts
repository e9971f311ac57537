import { describe, expect, it } from 'vitest';
import { buildModel, parse } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import type { LoadedDump } from '../state/history.ts';
import { changeRows, defaultA, diffHeadline, dumpLabel, ghostsOf, matchedByNote, signedBytes, spanOf } from './compare.ts';

const BOOT = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
const AFTER = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
const HASHED = fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo');
const a = buildModel(parse(BOOT));
const b = buildModel(parse(AFTER));

/** Area lines in file order, keyed the way a person would pair them: start address and caller. */
function lines(text: string) {
  return text
    .split('\n')
    .filter((l) => l.startsWith('0x'))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const [start, end] = f[0].split('-');
      return { key: `${f[0].split('-')[0]} ${f[2]}`, start: BigInt(start), end: BigInt(end), size: Number(f[1]), module: /\[(\w+)\]/.exec(l)?.[1] ?? null };
    });
}
const linesA = lines(BOOT);
const linesB = lines(AFTER);
const keysA = new Set(linesA.map((l) => l.key));
const keysB = new Set(linesB.map((l) => l.key));
const removedA = linesA.flatMap((l, i) => (keysB.has(l.key) ? [] : [i]));
const addedB = linesB.flatMap((l, i) => (keysA.has(l.key) ? [] : [i]));

describe('signed byte counts', () => {
  it('carry a plus, a true minus sign, or ± for nothing', () => {
    expect(signedBytes(126976)).toBe('+124 KiB');
    expect(signedBytes(-2101248)).toBe('−2.00 MiB');
    expect(signedBytes(0)).toBe('±0 B');
  });
});

describe('the diff headline', () => {
  it('reads added, removed, resized and net in one line', () => {
    const text = diffHeadline({ added: { count: 16, bytes: 184320 }, removed: { count: 1, bytes: 4096 }, resized: { count: 2, bytesDelta: -8192 }, netBytes: 172032 });
    expect(text).toBe('+16 areas, +180 KiB; −1 area, −4 KiB; resized 2 (Δ −8 KiB); net +168 KiB');
  });
});

describe('ghosts of removed areas', () => {
  it('are the exact ranges of the areas A lost, when both dumps are raw', () => {
    const ghosts = ghostsOf(a, b, removedA);
    expect(ghosts).toEqual(removedA.map((i) => ({ start: linesA[i].start, end: linesA[i].end })));
  });

  it('cannot be drawn when either dump hides its addresses', () => {
    expect(ghostsOf(a, buildModel(parse(HASHED)), removedA)).toEqual([]);
  });

  it('span the lowest start to the highest end of the areas given', () => {
    const span = spanOf(b, addedB)!;
    expect(span.start).toBe(addedB.map((i) => linesB[i].start).reduce((x, y) => (y < x ? y : x)));
    expect(span.end).toBe(addedB.map((i) => linesB[i].end).reduce((x, y) => (y > x ? y : x)));
  });
});

describe('rows of net change', () => {
  it('point at the biggest changed area of each module, in B', () => {
    const rows = changeRows(
      [{ name: 'erofs', count: 2, bytes: 16384, added: 2, removed: 0, resized: 0 }],
      { addedB: Uint32Array.from(addedB), resizedB: new Uint32Array(0), removedA: Uint32Array.from(removedA) },
      a,
      b,
      (i) => linesA[i].module,
      (i) => linesB[i].module,
    );
    const erofs = addedB.filter((i) => linesB[i].module === 'erofs');
    expect(erofs.length).toBeGreaterThan(0);
    expect(rows[0].areasB).toEqual(erofs);
    expect(rows[0].main?.inA).toBe(false);
    const biggest = erofs.reduce((x, y) => (linesB[y].size > linesB[x].size ? y : x));
    expect(rows[0].main?.range).toEqual({ start: linesB[biggest].start, end: linesB[biggest].end });
  });

  it('point into A when everything under a name was removed', () => {
    const gone = removedA[0];
    const rows = changeRows(
      [{ name: 'gone', count: -1, bytes: -linesA[gone].size, added: 0, removed: 1, resized: 0 }],
      { addedB: new Uint32Array(0), resizedB: new Uint32Array(0), removedA: Uint32Array.from([gone]) },
      a,
      b,
      () => 'gone',
      () => null,
    );
    expect(rows[0].main).toEqual({ index: gone, inA: true, range: { start: linesA[gone].start, end: linesA[gone].end } });
  });
});

describe('which dump Compare takes as A', () => {
  const startup = (id: number) => ({ id, source: { kind: 'sample', path: 'kernels/x.vmallocinfo', label: null, startup: true } }) as Pick<LoadedDump, 'id' | 'source'>;
  const file = (id: number) => ({ id, source: { kind: 'file', name: `f${id}.txt` } }) as Pick<LoadedDump, 'id' | 'source'>;
  const sample = (id: number) => ({ id, source: { kind: 'sample', path: `kernels/s${id}.vmallocinfo`, label: null } }) as Pick<LoadedDump, 'id' | 'source'>;

  it('is the dump loaded just before B when the user chose it', () => {
    expect(defaultA([startup(1), file(2), file(3)], 3)).toBe(2);
    expect(defaultA([startup(1), sample(2), file(3)], 3)).toBe(2);
  });

  it('skips the sample the page opened with when the user loaded another dump, before or after B', () => {
    expect(defaultA([file(2), startup(1), file(3)], 3)).toBe(2);
    expect(defaultA([startup(1), file(3), file(4)], 3)).toBe(4);
  });

  it('falls back to the start-up sample only when there is no other dump', () => {
    expect(defaultA([startup(1), file(2)], 2)).toBe(1);
    expect(defaultA([file(2)], 2)).toBeNull();
    expect(defaultA([file(2)], 9)).toBeNull();
  });

  it('labels bundled samples, and the start-up one as the sample the page opened with', () => {
    const summary = { areas: 1234 } as LoadedDump['summary'];
    expect(dumpLabel({ ...startup(1), fileName: 'x.vmallocinfo', summary })).toBe('x.vmallocinfo · bundled sample the page opened with · 1,234 areas');
    expect(dumpLabel({ ...sample(2), fileName: 's2.vmallocinfo', summary })).toBe('s2.vmallocinfo · bundled sample · 1,234 areas');
    expect(dumpLabel({ ...file(3), fileName: 'f3.txt', summary })).toBe('f3.txt · 1,234 areas');
  });
});

describe('the note on how areas were matched', () => {
  it('gives the diff’s own reason for matching by caller and size, e.g. two boots of raw dumps, not "hashed"', () => {
    const note = matchedByNote({ matchedBy: 'multiset', matchReason: 'The two dumps have different vmalloc bases (another boot or machine), so areas are matched by caller and size.' });
    expect(note).toContain('different vmalloc bases');
    expect(note).not.toContain('hashed');
  });
});
