import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixtures } from '../testing/fixtures.ts';
import { genDumpArb, printGenDump } from '../testing/generate.ts';
import type { Area } from '../types.ts';
import {
  MAX_PACKED,
  MAX_PAYLOAD,
  PACKED_MARK,
  STORED_MARKER,
  crc16,
  decodePayload,
  decodeShare,
  decodeShareBytes,
  decodeShareFile,
  deflate,
  encodePayload,
  encodeShare,
  encodeShareFile,
  fromBase64Url,
  isShareFile,
  shareTextOf,
  toBase64Url,
} from './codec.ts';
import type { DecodedShare, ShareView } from './codec.ts';
import { SHARE_DICTIONARY } from './dictionary.ts';
import v3Links from './v3-links.json';

const NO_VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: true };

/** A body with its CRC-16 appended, as encodeBody seals it. */
function sealed(body: Uint8Array): Uint8Array {
  const crc = crc16(body);
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  out[body.length] = crc >> 8;
  out[body.length + 1] = crc & 0xff;
  return out;
}

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

/** Whether a payload's bytes just before its last (view) byte are the given one-byte start codes. */
function checkTail(payload: Uint8Array, codes: number[]): boolean {
  // Sections after the starts in raw page mode without phys: pages (one byte each), nodes (one each), words (0), view (1 byte).
  const n = codes.length;
  const at = payload.length - 1 - 1 - 2 * n - n;
  return codes.every((c, k) => payload[at + k] === c);
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

  it('round trips every fixture in every payload form: base-128, base-32 or bit-packed varints, with or without site alignments', () => {
    for (const f of fixtures()) {
      const model = buildModel(parse(f.text));
      const raw = model.snapshot.pointerMode === 'raw';
      for (const varints of ['base128', 'base32', 'bits'] as const) {
        for (const aligned of [false, true]) {
          for (const included of [false, true]) {
            const payload = encodePayload(model, NO_VIEW, { includeAddresses: included }, { varints, aligned });
            if (varints === 'bits') {
              // The marker byte: BTYPE 11 and bit 0 set, the pointer mode, addresses, alignment.
              expect(payload[0] & 7).toBe(PACKED_MARK);
              expect((payload[0] >> 3) & 7).toBe(['raw', 'hashed', 'masked', 'zero', 'unknown'].indexOf(model.snapshot.pointerMode));
              expect(payload[0] & 0x40).toBe(included && raw && model.snapshot.count > 0 ? 0x40 : 0);
              expect(payload[0] & 0x80).toBe(aligned && raw ? 0x80 : 0);
              checkRoundTrip(model, decodePayload(payload, true), included);
            } else {
              expect(payload[1] & 0x40).toBe(varints === 'base32' ? 0x40 : 0);
              expect(payload[1] & 0x80).toBe(aligned && raw ? 0x80 : 0);
              checkRoundTrip(model, decodePayload(payload), included);
            }
          }
        }
      }
    }
  });

  it('round trips generated dumps of every shape bit-packed, with and without site alignments', () => {
    fc.assert(
      fc.property(genDumpArb(), fc.boolean(), fc.boolean(), (dump, included, aligned) => {
        const model = buildModel(parse(printGenDump(dump)));
        checkRoundTrip(model, decodePayload(encodePayload(model, NO_VIEW, { includeAddresses: included }, { varints: 'bits', aligned }), true), included);
      }),
      { numRuns: 100 },
    );
  });

  it('round trips generated dumps of every shape in base 32 with site alignments', () => {
    fc.assert(
      fc.property(genDumpArb(), fc.boolean(), (dump, included) => {
        const model = buildModel(parse(printGenDump(dump)));
        checkRoundTrip(model, decodePayload(encodePayload(model, NO_VIEW, { includeAddresses: included }, { varints: 'base32', aligned: true })), included);
      }),
      { numRuns: 100 },
    );
  });

  it('puts aligned areas after a hole at no cost beyond their alignment', () => {
    // Two 16 KiB-aligned stacks with holes of different sizes before them: with alignment both start codes are 0.
    const text = [
      '0xffffc90000000000-0xffffc90000002000    8192 foo+0x1/0x2 pages=1 vmalloc N0=1',
      '0xffffc90000004000-0xffffc90000009000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4',
      '0xffffc9000000c000-0xffffc90000011000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4',
    ].join('\n');
    const model = buildModel(parse(text + '\n'));
    const plain = encodePayload(model, NO_VIEW, { includeAddresses: false });
    const aligned = encodePayload(model, NO_VIEW, { includeAddresses: false }, { aligned: true });
    // Without alignment the starts are zigzag page gaps: 0, 0x4000 − 0x2000 = 2 pages → 4, 0xc000 − 0x9000 = 3 pages → 6;
    // with it, the stacks' site says 2^2 pages (0x4000 and 0xc000 are both multiples of 4 pages) and both gaps become 0.
    expect(checkTail(plain, [0, 4, 6])).toBe(true);
    expect(checkTail(aligned, [0, 0, 0])).toBe(true);
    checkRoundTrip(model, decodePayload(aligned), false);
  });

  it('refuses site alignments outside raw mode or above 2^15', () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-raw-ioremap.vmallocinfo'))!;
    const model = buildModel(parse(f.text));
    const zeroed = buildModel(parse(f.text.replace(/0x[0-9a-f]{16}-0x[0-9a-f]{16}/g, '0x0000000000000000-0x0000000000000000')));
    expect(zeroed.snapshot.pointerMode).not.toBe('raw');
    const bad = encodePayload(zeroed, NO_VIEW, { includeAddresses: false });
    bad[1] |= 0x80;
    expect(() => decodePayload(bad)).toThrow(/flags are invalid/);
    expect(model.snapshot.pointerMode).toBe('raw');
    const aligned = encodePayload(model, NO_VIEW, { includeAddresses: false }, { aligned: true });
    const plain = encodePayload(model, NO_VIEW, { includeAddresses: false }, {});
    // The alignment column is the only difference: T bytes inserted right where the two first differ.
    let at = 0;
    while (aligned[at] === plain[at] || at === 1) at++;
    const tooMuch = aligned.slice();
    tooMuch[at] = 16;
    expect(() => decodePayload(tooMuch)).toThrow(/alignment is out of range/);
  });

  it('refuses a base-32 payload holding a byte no base-32 digit can be', () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-raw-ioremap.vmallocinfo'))!;
    const narrow = encodePayload(buildModel(parse(f.text)), NO_VIEW, { includeAddresses: false }, { varints: 'base32' });
    // Byte 3 is the area count, a varint.
    const bad = narrow.slice();
    bad[3] = 0x80;
    expect(() => decodePayload(bad)).toThrow(/area count is not a valid number/);
  });

  it('packs a tiny payload bit by bit when deflate and the stored form would be longer, and reads it back', async () => {
    const model = buildModel(parse(fixtures().find((x) => x.path.endsWith('x86_64-copied-from-web.vmallocinfo'))!.text));
    for (const included of [false, true]) {
      const link = await encodeShare(model, NO_VIEW, { includeAddresses: included });
      const body = fromBase64Url(link);
      const payload = encodePayload(model, NO_VIEW, { includeAddresses: included });
      expect(body[0] & 7).toBe(PACKED_MARK);
      expect(body.length).toBeLessThan(Math.min(payload.length + 1, (await deflate(payload)).length));
      checkRoundTrip(model, await decodeShare(link), included);
    }
  });

  it('no longer stores a payload uncompressed, since the packed body is shorter, and still reads a stored body back', async () => {
    // One area, a caller spelled out: the case the stored form was made for (the literal's bytes
    // cost the packed body as much as the stored one, and deflate's block header costs more).
    const text = '0xffffc90000000000-0xffffc90000003000   12288 zq_probe_widget+0x10/0x40 pages=2 vmalloc N0=2\n';
    const model = buildModel(parse(text));
    const link = await encodeShare(model, NO_VIEW, { includeAddresses: false });
    const body = fromBase64Url(link);
    const payload = encodePayload(model, NO_VIEW, { includeAddresses: false });
    const packed = encodePayload(model, NO_VIEW, { includeAddresses: false }, { varints: 'bits' });
    const stored = Uint8Array.from([STORED_MARKER, ...payload]);
    // The packed body is shorter than the stored one, so the link is packed: its body and check.
    expect(packed.length).toBeLessThan(stored.length);
    expect(packed.length).toBeLessThan((await deflate(payload)).length);
    expect(body[0]).not.toBe(STORED_MARKER);
    expect(body.length).toBe(Math.min(packed.length, (await deflate(payload)).length) + 2);
    checkRoundTrip(model, await decodeShare(link), false);
    // A stored body, as earlier encoders made when it was the shortest, still opens.
    const storedBody = sealed(stored);
    expect(storedBody[0]).toBe(STORED_MARKER);
    checkRoundTrip(model, await decodeShare(toBase64Url(storedBody)), false);
  });

  it('checks a packed body as strictly as an inflated one: every cut, a byte more, padding bits, marker bits', async () => {
    const f = fixtures().find((x) => x.path.endsWith('x86_64-raw-ioremap.vmallocinfo'))!;
    const model = buildModel(parse(f.text));
    const packed = encodePayload(model, { ...NO_VIEW, selected: 1 }, { includeAddresses: true }, { varints: 'bits', aligned: true });
    // Cut short or lengthened with its check made anew (so only the packed reader can object).
    for (let cut = 1; cut < packed.length; cut++) await expect(decodeShareBytes(sealed(packed.subarray(0, cut)))).rejects.toThrow(/share link/);
    await expect(decodeShareBytes(sealed(Uint8Array.from([...packed, 0])))).rejects.toThrow(/unexpected bits/);
    // Padding bits must be zero. Selections 0-7 cost 1 to 7 bits, so some of these bodies end in
    // padding; in those, a set lowest bit is refused.
    let refused = 0;
    for (let selected = 0; selected < 8; selected++) {
      const body = encodePayload(model, { ...NO_VIEW, selected }, { includeAddresses: true }, { varints: 'bits' });
      const dirty = body.slice();
      dirty[dirty.length - 1] |= 1;
      if (dirty[dirty.length - 1] === body[body.length - 1]) continue;
      try {
        decodePayload(dirty, true);
      } catch (err) {
        if (/unexpected bits/.test((err as Error).message)) refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    // A packed body longer than any the encoder makes is refused before it is read.
    const long = new Uint8Array(MAX_PACKED + 1);
    long.set(packed);
    await expect(decodeShareBytes(sealed(long))).rejects.toThrow(/more than a link of that form ever holds/);
    const badMode = packed.slice();
    badMode[0] = (badMode[0] & ~0x38) | (6 << 3);
    expect(() => decodePayload(badMode, true)).toThrow(/flags are invalid/);
  });

  it('checks a stored payload as strictly as an inflated one', async () => {
    const text = '0xffffc90000000000-0xffffc90000003000   12288 pci_iomap_range+0x10/0x40 phys=0xfed00000 ioremap\n';
    const payload = encodePayload(buildModel(parse(text)), NO_VIEW, { includeAddresses: false });
    const stored = Uint8Array.from([STORED_MARKER, ...payload]);
    await expect(decodeShareBytes(sealed(stored))).resolves.toBeDefined();
    // Damage that keeps a matching check (made anew), so only the stored reader can object.
    await expect(decodeShareBytes(sealed(stored.subarray(0, stored.length - 1)))).rejects.toThrow(/share link/);
    await expect(decodeShareBytes(sealed(Uint8Array.from([...stored, 0])))).rejects.toThrow(/unexpected bytes/);
    const wrongVersion = stored.slice();
    wrongVersion[1] = 9;
    await expect(decodeShareBytes(sealed(wrongVersion))).rejects.toThrow(/version 9/);
    // 0x0e also has BTYPE 11 but is neither marker: it goes to inflate, which refuses it.
    const wrongMarker = stored.slice();
    wrongMarker[0] = 0x0e;
    await expect(decodeShareBytes(sealed(wrongMarker))).rejects.toThrow(/compressed data is corrupt/);
    const huge = new Uint8Array(MAX_PAYLOAD + 2);
    huge[0] = STORED_MARKER;
    huge[1] = 4;
    await expect(decodeShareBytes(sealed(huge))).rejects.toThrow(/more than 64 MiB/);
    // Without a matching check: the same body unsealed is neither version 4 nor a version-3 body.
    await expect(decodeShareBytes(stored)).rejects.toThrow(/does not match its check/);
  });

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
    const raw = buildModel(parse(fixtures().find((x) => x.path.endsWith('x86_64-raw-ioremap.vmallocinfo'))!.text));
    const narrowAligned = encodePayload(raw, { ...NO_VIEW, selected: 0 }, { includeAddresses: true }, { varints: 'base32', aligned: true });
    const packed = encodePayload(raw, { ...NO_VIEW, selected: 0 }, { includeAddresses: true }, { varints: 'bits', aligned: true });
    await fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, pos, xor) => {
        const from = [payload, narrowAligned, packed][which];
        const at = pos % from.length;
        const bad = from.slice();
        bad[at] ^= xor;
        try {
          const d = decodePayload(bad, which === 2);
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
    // Version 3, zero mode, no areas, no dictionary words, a million strings each repeating the previous 4000 bytes.
    const head = [3, 3, 0, 0, 0, 0xc0, 0x84, 0x3d, 0, 0xa0, 0x1f, ...new Array<number>(4000).fill(0x61)];
    const repeat = [0xa0, 0x1f, 0];
    const payload = new Uint8Array(head.length + repeat.length * 999_999);
    payload.set(head);
    for (let k = 0; k < 999_999; k++) payload.set(repeat, head.length + k * 3);
    const t0 = performance.now();
    expect(() => decodePayload(payload)).toThrow(/more than 64 MiB/);
    // Refused as it counts, in milliseconds; building the 4 GB would not end in this bound (nor fit in
    // memory), which leaves room for a machine busy with other work.
    expect(performance.now() - t0).toBeLessThan(10_000);
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
    // Version 3, zero mode, no areas, one dictionary word at the dictionary's length.
    const n = SHARE_DICTIONARY.length;
    const payload = Uint8Array.from([3, 3, 0, 0, 1, (n & 0x7f) | 0x80, n >> 7, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => decodePayload(payload)).toThrow(/dictionary word is out of range/);
  });

  it('round trips base addresses at both ends of the address space and unaligned phys', async () => {
    const dumps = [
      '0xfffffffffffe0000-0xffffffffffff0000   65536 pci_iomap_range+0x10/0x40 phys=0x00000000fed00123 ioremap\n',
      '0x00001000-0x00004000   12288 vmap_pfn+0x10/0x40 phys=0x00000123 ioremap\n0x00004000-0x00006000    8192 vmap_pfn+0x10/0x40 phys=0x00000000 ioremap\n',
      '0xffffc90000000800-0xffffc90000002800    8192 foo+0x1/0x2 pages=1 vmalloc N0=1\n',
      // Halfway between two reference bases, and just below one.
      '0xffffc40000000000-0xffffc40000002000    8192 foo+0x1/0x2 pages=1 vmalloc N0=1\n',
      '0xffffffff9ffff000-0xffffffffa0001000    8192 foo+0x1/0x2 pages=1 vmalloc N0=1\n',
    ];
    for (const text of dumps) {
      const model = buildModel(parse(text));
      expect(model.snapshot.count).toBe(text.trim().split('\n').length);
      for (const included of [false, true]) {
        checkRoundTrip(model, await decodeShare(await encodeShare(model, NO_VIEW, { includeAddresses: included })), included);
      }
    }
  });

  it('codes the base from the nearest usual VMALLOC_START: 64 MiB above x86_64\'s costs under 4 bytes', () => {
    const model = buildModel(parse(fixtures().find((x) => x.path.endsWith('x86_64-copied-from-web.vmallocinfo'))!.text));
    expect(model.snapshot.area(model.order[0]).start).toBe(0xffffc90000000000n + (64n << 20n));
    // Reference 0 (1 bit), zigzag(0x4000 pages) = 0x8000 (Elias gamma of 17: 9 bits, then 15), the
    // low 12 bits 0 (1 bit): 26 bits.
    const hidden = encodePayload(model, NO_VIEW, { includeAddresses: false }, { varints: 'bits' });
    const shown = encodePayload(model, NO_VIEW, { includeAddresses: true }, { varints: 'bits' });
    expect(shown.length - hidden.length).toBeLessThanOrEqual(Math.ceil(26 / 8));
  });

  it('round trips a masked dump with an unmasked line in it', async () => {
    const text = [
      '0x(____ptrval____)-0x(____ptrval____)   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4',
      '0x(____ptrval____)-0x(____ptrval____)   12288 pci_iomap_range+0x10/0x40 phys=0xfed00000 ioremap',
      '0xffffc90000000000-0xffffc90000003000   12288 load_module+0x1/0x2 pages=2 vmalloc N0=2',
    ].join('\n');
    const model = buildModel(parse(text));
    expect(model.snapshot.pointerMode).toBe('masked');
    for (const varints of ['base128', 'bits'] as const) {
      const payload = encodePayload(model, NO_VIEW, { includeAddresses: false }, { varints });
      const back = decodePayload(payload, varints === 'bits').snapshot;
      expect([0, 1, 2].map((i) => back.area(i).start === null)).toEqual([true, true, false]);
      expect([0, 1, 2].map((i) => back.area(i).kind)).toEqual(['vmalloc', 'ioremap', 'vmalloc']);
    }
  });

  it('still opens links of format version 3', async () => {
    // Made by the version-3 encoder before version 4 (src/lib/share/v3-links.json), with the view
    // { selected: 3, colourMode: 'caller', collapse: false }.
    const paths: Record<string, string> = {
      'x86_64-raw-ioremap': 'x86_64-raw-ioremap.vmallocinfo',
      'ptrval-masked': 'ptrval-masked.vmallocinfo',
      'arm64-boot-raw': 'arm64-6.12.117-deb12-boot-raw.vmallocinfo',
    };
    const links = Object.entries(v3Links as Record<string, string>);
    expect(links.length).toBe(6);
    for (const [name, link] of links) {
      const [dump, form] = name.split(' ');
      const model = buildModel(parse(fixtures().find((x) => x.path.endsWith(paths[dump]))!.text));
      const included = form === 'addresses';
      const d = await decodeShare(link);
      expect(fromBase64Url(link)[0] & 6).not.toBe(6); // deflated, so the version byte is inside
      checkRoundTrip(model, d, included);
      expect(d.view).toEqual({ range: null, selected: 3, colourMode: 'caller', collapse: false });
    }
  });

  it('seals every body with CRC-16/CCITT-FALSE (check value 0x29b1)', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('refuses every link with one character changed, whatever its form', async () => {
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const dumps = ['x86_64-copied-from-web.vmallocinfo', 'ptrval-masked.vmallocinfo', 'x86_64-6.1.0-56-boot-raw.vmallocinfo'];
    for (const name of dumps) {
      const model = buildModel(parse(fixtures().find((x) => x.path.endsWith(name))!.text));
      const link = await encodeShare(model, NO_VIEW, { includeAddresses: true });
      const original = fromBase64Url(link);
      for (let at = 0; at < link.length; at++) {
        const ch = B64[(B64.indexOf(link[at]) + 1 + (at % 63)) % 64];
        const bad = link.slice(0, at) + ch + link.slice(at + 1);
        const bytes = fromBase64Url(bad);
        // The last character's spare low bits are not part of any byte: same bytes, same link.
        if (bytes.every((b, k) => b === original[k])) continue;
        await expect(decodeShare(bad), `${name}, character ${at + 1}`).rejects.toThrow(/share link/);
      }
    }
  });

  it('finds the link text in a link given on its own, and in nothing else', () => {
    expect(shareTextOf('http://localhost:5173/#s=ByZh_-9')).toBe('ByZh_-9');
    expect(shareTextOf('  https://vmscope.example/a/b/?x=1#s=abc\n')).toBe('abc');
    expect(shareTextOf('#s=abc')).toBe('abc');
    for (const other of ['see http://x/#s=abc', 'http://x/#s=ab$c', 'http://x/#t=abc', '#s=', '0xffffc90000000000-0xffffc90000002000 8192 foo+0x1/0x2', 'http://x/#s=a b']) {
      expect(shareTextOf(other)).toBeNull();
    }
  });

  it('base64url round trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, k) => (k * 37 + n) & 255);
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }
  });
});
