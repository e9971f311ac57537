import { describe, expect, it } from 'vitest';
import { attributeModules, buildModel, buildTrack, moduleColumn, parse, readModulesLine } from '../../lib/index.ts';
import type { ModuleEntry } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { findText, locateAddress, parseQuery, stepMatch } from './search.ts';

const RAW = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const HASHED = 'kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo';

interface Line {
  start: bigint;
  end: bigint;
  text: string;
}
const linesOf = (path: string): Line[] =>
  fixture(path)
    .split('\n')
    .filter((l) => l.startsWith('0x'))
    .map((text) => {
      const [start, end] = text.split(/\s+/)[0].split('-');
      return { start: BigInt(start), end: BigInt(end), text };
    });

describe('the search box', () => {
  it('reads 0x-prefixed and long bare hex as addresses, and anything else as a name', () => {
    expect(parseQuery('0xffffd17d8000b000')).toEqual({ type: 'address', value: 0xffffd17d8000b000n });
    expect(parseQuery('  ffffd17d8000b000 ')).toEqual({ type: 'address', value: 0xffffd17d8000b000n });
    expect(parseQuery('e1000')).toEqual({ type: 'text', text: 'e1000' });
    expect(parseQuery('[E1000]')).toEqual({ type: 'text', text: 'e1000' });
    expect(parseQuery('kernel_clone')).toEqual({ type: 'text', text: 'kernel_clone' });
    expect(parseQuery('   ')).toEqual({ type: 'empty' });
  });

  for (const collapse of [true, false]) {
    const track = buildTrack(buildModel(parse(fixture(RAW))), { collapse });
    const lines = linesOf(RAW);
    const byAddress = [...lines].sort((a, b) => (a.start < b.start ? -1 : 1));
    const collapsed = collapse ? 'collapsed' : 'linear';

    it(`finds every kernel_clone area, in address order (${collapsed})`, () => {
      const matches = findText(track, 'kernel_clone');
      const expected = byAddress.filter((l) => l.text.includes(' kernel_clone+'));
      expect(matches.length).toBe(expected.length);
      const starts = [...matches].map((k) => track.model.snapshot.area(track.seq[k]).start);
      expect(starts).toEqual(expected.map((l) => l.start));
    });

    it(`finds areas by module name (${collapsed})`, () => {
      expect(findText(track, 'e1000').length).toBe(lines.filter((l) => l.text.includes('[e1000]')).length);
    });

    it(`takes an address to the area that contains it (${collapsed})`, () => {
      const hpet = lines.find((l) => l.text.includes('hpet_enable'))!;
      const found = locateAddress(track, hpet.start + 0x123n);
      expect(found.type).toBe('area');
      if (found.type === 'area') expect(track.model.snapshot.area(track.seq[found.k]).start).toBe(hpet.start);
    });

    it(`takes an address between two areas to the free hole, with its exact bounds (${collapsed})`, () => {
      const i = byAddress.findIndex((l, j) => j + 1 < byAddress.length && l.end < byAddress[j + 1].start);
      const before = byAddress[i];
      const after = byAddress[i + 1];
      const found = locateAddress(track, before.end + 0x10n);
      expect(found).toMatchObject({ type: 'hole', start: before.end, end: after.start, bytes: Number(after.start - before.end) });
    });

    it(`takes an address in the 32 TiB of free vmalloc space to that hole (${collapsed})`, () => {
      // The last area below the per-CPU chunk at the top of the vmalloc range, and that chunk.
      const vmallocTop = byAddress.filter((l) => l.start < 0xffffff0000000000n);
      const i = vmallocTop.length - 2;
      const found = locateAddress(track, vmallocTop[i].end + (1n << 40n));
      expect(found).toMatchObject({ type: 'hole', start: vmallocTop[i].end, end: vmallocTop[i + 1].start });
    });

    it(`says when an address is off the map (${collapsed})`, () => {
      expect(locateAddress(track, 0x1000n).type).toBe('outside');
    });
  }

  it('finds an area by its hash in a hashed dump', () => {
    const track = buildTrack(buildModel(parse(fixture(HASHED))), { collapse: false });
    const line = linesOf(HASHED)[5];
    const found = locateAddress(track, line.start);
    expect(found.type).toBe('area');
    if (found.type === 'area') expect(track.model.snapshot.area(track.seq[found.k]).line).toBe(6);
  });

  it('steps through matches and wraps around at both ends', () => {
    const m = Uint32Array.of(3, 7, 9);
    expect(stepMatch(m, -1, 1)).toBe(0);
    expect(stepMatch(m, 2, 1)).toBe(0);
    expect(stepMatch(m, 0, -1)).toBe(2);
    expect(stepMatch(new Uint32Array(0), 0, 1)).toBe(-1);
  });
});

describe('the search by a module’s name on arm64 6.12 (one loader area per section)', () => {
  const name = 'kernels/arm64-6.12.117-deb12-after-insmod-raw';
  const model = buildModel(parse(fixture(`${name}.vmallocinfo`)));
  const track = buildTrack(model, { collapse: true });
  const modules = fixture(`${name}.modules`)
    .split('\n')
    .map((l, k) => readModulesLine(l, k + 1))
    .filter((m): m is ModuleEntry => m !== null);
  const column = moduleColumn(model, attributeModules(model, modules));
  const lines = linesOf(`${name}.vmallocinfo`);
  /** xfs's sections: the gapless run of load_module lines from its base until lsmod's size is reached. */
  const xfsLines = () => {
    const [, size, , , , base] = fixture(`${name}.modules`).split('\n').find((l) => l.startsWith('xfs '))!.split(/\s+/);
    const loader = lines.filter((l) => / load_module\+/.test(l.text));
    const run = [loader.find((l) => l.start === BigInt(base))!];
    let net = Number(run[0].end - run[0].start) - 4096;
    while (net < Number(size)) {
      const next = loader.find((l) => l.start === run[run.length - 1].end)!;
      run.push(next);
      net += Number(next.end - next.start) - 4096;
    }
    return run;
  };

  it('finds the four loader areas of xfs once /proc/modules is known, and none before', () => {
    const want = xfsLines().map((l) => lines.indexOf(l)).sort((a, b) => a - b);
    expect(want.length).toBe(4);
    const found = [...findText(track, 'xfs', column)].map((k) => track.seq[k]).sort((a, b) => a - b);
    expect(found).toEqual(want);
    expect(lines.some((l) => l.text.includes('[xfs]'))).toBe(false);
    expect(findText(track, 'xfs').length).toBe(0);
    expect(findText(track, 'xfs', moduleColumn(model)).length).toBe(0);
  });

  it('takes an address inside one of xfs’s data areas to that area, which the column names xfs', () => {
    const data = xfsLines()[1];
    const at = locateAddress(track, data.start + 0x1234n);
    expect(at.type).toBe('area');
    const i = track.seq[(at as { k: number }).k];
    expect(i).toBe(lines.indexOf(data));
    expect(column.names[column.ids[i]]).toBe('xfs');
  });
});
