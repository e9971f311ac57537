import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixtures } from '../testing/fixtures.ts';
import { genDumpArb, printGenDump } from '../testing/generate.ts';
import type { Area } from '../types.ts';
import { MAX_PAYLOAD, decodePayload, decodeShare, decodeShareFile, deflate, encodePayload, encodeShare, encodeShareFile, fromBase64Url, isShareFile, toBase64Url } from './codec.ts';
import type { DecodedShare, ShareView } from './codec.ts';
import { SHARE_DICTIONARY } from './dictionary.ts';

const NO_VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: true };

/** An area without what a link does not keep (line numbers, positions) or keeps differently. */
function core(a: Area) {
  const { index: _i, line: _l, start: _s, end: _e, ...rest } = a;
  return rest;
}

function totalsOf(m: Model) {
  const t = m.totals;
  return { all: t.all, guard: t.guardBytes, backed: t.backedBytes, kind: t.byKind, caller: sorted(t.byCaller), module: sorted(t.byModule), node: sorted(t.byNode) };
}

function sorted<K, V>(m: Map<K, V>): Array<[K, V]> {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Everything the link promises, comparing the original in model order with the decoded snapshot. */
function checkRoundTrip(model: Model, d: DecodedShare, included: boolean): void {
  const s = model.snapshot;
  const t = d.snapshot;
  expect(t.count).toBe(s.count);
  expect(t.pointerMode).toBe(s.pointerMode);
  expect(t.addressDigits).toBe(s.addressDigits);
  const back = buildModel(t);
  expect(totalsOf(back)).toEqual(totalsOf(model));
  const raw = s.pointerMode === 'raw';
  expect(d.addressesHidden).toBe(raw && !included && s.count > 0);
  const first = raw && s.count > 0 ? s.area(model.order[0]).start! : 0n;
  const bad: string[] = [];
  for (let k = 0; k < s.count; k++) {
    const i = model.order[k];
    const a = s.area(i);
    const b = t.area(k);
    if (JSON.stringify(core(a), big) !== JSON.stringify(core(b), big)) bad.push(`area ${k}: ${JSON.stringify(core(a), big)} ≠ ${JSON.stringify(core(b), big)}`);
    if (raw) {
      const shift = included ? 0n : first;
      if (a.start! - shift !== b.start || a.end! - shift !== b.end) bad.push(`area ${k} at ${a.start}-${a.end} came back at ${b.start}-${b.end}`);
    }
    const next = model.chainNext[i];
    const want = next < 0 ? -1 : model.order.indexOf(next);
    if (back.chainNext[k] !== want) bad.push(`area ${k} chains to ${back.chainNext[k]}, not ${want}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

function big(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString(16);
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return v;
}

describe('share codec', () => {
  for (const f of fixtures()) {
    it(`round trips ${f.path}, addresses hidden and included`, async () => {
      const model = buildModel(parse(f.text));
      for (const included of [false, true]) {
        const text = await encodeShare(model, NO_VIEW, { includeAddresses: included });
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        checkRoundTrip(model, await decodeShare(text), included);
      }
    });
  }

  it('carries the view: range, selection, colour mode, collapse', async () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-6.1.0-56-boot-raw.vmallocinfo'))!;
    const model = buildModel(parse(f.text));
    const s = model.snapshot;
    const pick = model.order[5];
    const a = s.area(pick);
    const view: ShareView = { range: { kind: 'address', start: a.start! - 4096n, end: a.end! + 8192n }, selected: pick, colourMode: 'caller', collapse: false };
    const hidden = await decodeShare(await encodeShare(model, view, { includeAddresses: false }));
    expect(hidden.view).toEqual({ range: { kind: 'address', start: a.start! - 4096n - s.area(model.order[0]).start!, end: a.end! + 8192n - s.area(model.order[0]).start! }, selected: 5, colourMode: 'caller', collapse: false });
    const shown = await decodeShare(await encodeShare(model, view, { includeAddresses: true }));
    expect(shown.view).toEqual({ ...view, selected: 5 });
    expect(shown.snapshot.area(5).start).toBe(a.start);
    const packed: ShareView = { range: { kind: 'display', start: 12.5, end: 1e9 / 3 }, selected: 3, colourMode: 'module', collapse: true };
    const hashed = buildModel(parse(fixtures().find((x) => x.path.includes('hashed'))!.text));
    expect((await decodeShare(await encodeShare(hashed, packed, { includeAddresses: false }))).view).toEqual(packed);
  });

  it('round trips generated dumps of every shape', async () => {
    await fc.assert(
      fc.asyncProperty(genDumpArb(), fc.boolean(), async (dump, included) => {
        const model = buildModel(parse(printGenDump(dump)));
        checkRoundTrip(model, await decodeShare(await encodeShare(model, NO_VIEW, { includeAddresses: included })), included);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects every truncation of a payload with an Error that says so', async () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-raw-ioremap.vmallocinfo'))!;
    const model = buildModel(parse(f.text));
    const payload = encodePayload(model, { ...NO_VIEW, selected: 1 }, { includeAddresses: true });
    for (let cut = 0; cut < payload.length; cut++) {
      expect(() => decodePayload(payload.subarray(0, cut))).toThrow(/share link/);
    }
    const text = await encodeShare(model, NO_VIEW, { includeAddresses: true });
    for (const cut of [1, 2, 5, Math.floor(text.length / 2), text.length - 3]) {
      await expect(decodeShare(text.slice(0, cut))).rejects.toThrow(/share link/);
    }
  });

  it('rejects tampered payloads and links with an Error, never anything else', async () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-6.1.0-56-boot-hashed.vmallocinfo')) ?? fixtures()[0];
    const model = buildModel(parse(f.text));
    const payload = encodePayload(model, { ...NO_VIEW, selected: 0 }, { includeAddresses: false });
    await fc.assert(
      fc.property(fc.integer({ min: 0, max: payload.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = payload.slice();
        bad[at] ^= xor;
        try {
          const d = decodePayload(bad);
          // A flip that still parses must still give a consistent snapshot.
          buildModel(d.snapshot);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message).toMatch(/share link/);
        }
      }),
      { numRuns: 500 },
    );
    const text = await encodeShare(model, NO_VIEW, { includeAddresses: false });
    for (const at of [0, 3, 10, Math.floor(text.length / 2)]) {
      const ch = text[at] === 'A' ? 'B' : 'A';
      const bad = text.slice(0, at) + ch + text.slice(at + 1);
      try {
        buildModel((await decodeShare(bad)).snapshot);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/share link/);
      }
    }
    await expect(decodeShare('abc$def')).rejects.toThrow(/character/);
    await expect(decodeShare('')).rejects.toThrow(/empty/);
    const wrongVersion = payload.slice();
    wrongVersion[0] = 9;
    expect(() => decodePayload(wrongVersion)).toThrow(/version 9/);
  });

  it('refuses a decompression bomb without inflating it all', async () => {
    const zeros = new Uint8Array(MAX_PAYLOAD + (1 << 20));
    const bomb = toBase64Url(await deflate(zeros));
    expect(bomb.length).toBeLessThan(200_000);
    await expect(decodeShare(bomb)).rejects.toThrow(/more than 64 MiB/);
  });

  it('round trips a .vmscope file and refuses anything else', async () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo'))!;
    const model = buildModel(parse(f.text));
    const file = await encodeShareFile(model, NO_VIEW, { includeAddresses: true });
    expect(isShareFile(file)).toBe(true);
    checkRoundTrip(model, await decodeShareFile(file), true);
    await expect(decodeShareFile(new TextEncoder().encode(f.text))).rejects.toThrow(/not a vmscope snapshot/);
    await expect(decodeShareFile(file.subarray(0, file.length - 9))).rejects.toThrow(/share link/);
  });

  it('refuses strings whose shared prefixes would unpack to gigabytes', () => {
    // Version 2, zero mode, no areas, no dictionary words, a million strings each repeating the previous 4000 bytes.
    const head = [2, 3, 0, 0, 0, 0xc0, 0x84, 0x3d, 0, 0xa0, 0x1f, ...new Array<number>(4000).fill(0x61)];
    const repeat = [0xa0, 0x1f, 0];
    const payload = new Uint8Array(head.length + repeat.length * 999_999);
    payload.set(head);
    for (let k = 0; k < 999_999; k++) payload.set(repeat, head.length + k * 3);
    const t0 = performance.now();
    expect(() => decodePayload(payload)).toThrow(/more than 64 MiB/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('keeps its built-in dictionary sorted, unique and free of whitespace', () => {
    expect(SHARE_DICTIONARY.length).toBeGreaterThan(100);
    for (let k = 1; k < SHARE_DICTIONARY.length; k++) expect(SHARE_DICTIONARY[k - 1] < SHARE_DICTIONARY[k]).toBe(true);
    for (const w of SHARE_DICTIONARY) expect(w).toMatch(/^\S+$/);
  });

  it('names dictionary callers and modules by index and spells the others out', async () => {
    const line = (caller: string, module: string) =>
      `0xffffc90000000000-0xffffc90000003000   12288 ${caller}+0x10/0x40 [${module}] pages=2 vmalloc N0=2\n`;
    // Same lengths, so the payloads differ only by how the two names are stored.
    const known = buildModel(parse(line('pci_iomap_range', 'e1000e')));
    const unknown = buildModel(parse(line('pci_iomap_rangx', 'e1000x')));
    expect(SHARE_DICTIONARY).toContain('pci_iomap_range');
    expect(SHARE_DICTIONARY).toContain('e1000e');
    expect(SHARE_DICTIONARY).not.toContain('pci_iomap_rangx');
    const a = encodePayload(known, NO_VIEW, { includeAddresses: false });
    const b = encodePayload(unknown, NO_VIEW, { includeAddresses: false });
    expect(b.length - a.length).toBeGreaterThanOrEqual('pci_iomap_range'.length + 'e1000e'.length - 4);
    for (const [model, caller, module] of [[known, 'pci_iomap_range', 'e1000e'], [unknown, 'pci_iomap_rangx', 'e1000x']] as const) {
      const back = await decodeShare(await encodeShare(model, NO_VIEW, { includeAddresses: false }));
      expect(back.snapshot.area(0).caller).toEqual({ symbol: caller, offset: 0x10, length: 0x40, module });
    }
  });

  it('refuses a dictionary word past the end of the dictionary', () => {
    // Version 2, zero mode, no areas, one dictionary word at the dictionary's length.
    const n = SHARE_DICTIONARY.length;
    const payload = Uint8Array.from([2, 3, 0, 0, 1, (n & 0x7f) | 0x80, n >> 7, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => decodePayload(payload)).toThrow(/dictionary word is out of range/);
  });

  it('round trips base addresses at both ends of the address space and unaligned phys', async () => {
    const dumps = [
      '0xfffffffffffe0000-0xffffffffffff0000   65536 pci_iomap_range+0x10/0x40 phys=0x00000000fed00123 ioremap\n',
      '0x00001000-0x00004000   12288 vmap_pfn+0x10/0x40 phys=0x00000123 ioremap\n0x00004000-0x00006000    8192 vmap_pfn+0x10/0x40 phys=0x00000000 ioremap\n',
      '0xffffc90000000800-0xffffc90000002800    8192 foo+0x1/0x2 pages=1 vmalloc N0=1\n',
    ];
    for (const text of dumps) {
      const model = buildModel(parse(text));
      expect(model.snapshot.count).toBe(text.trim().split('\n').length);
      for (const included of [false, true]) {
        checkRoundTrip(model, await decodeShare(await encodeShare(model, NO_VIEW, { includeAddresses: included })), included);
      }
    }
  });

  it('base64url round trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, k) => (k * 37 + n) & 255);
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }
  });
});
