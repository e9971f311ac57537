// Share links at the edges of what a dump may hold, and links nobody made.
//
// The parser keeps every size, pages=, N<node>= count, caller offset and length up to 2^53 − 1
// (and refuses larger ones with a diagnostic), every address and phys= up to 2^64 − 1: a link
// must carry each of them exactly, in every body form. And a link that was altered, cut or made
// up must be refused with an Error (or open as some consistent dump), quickly and in memory
// bounded by its size. Fixed seeds keep CI's time and results the same on every run.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import type { Model } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import { fixtures } from '../testing/fixtures.ts';
import { printDump } from '../testing/generate.ts';
import type { GenArea } from '../testing/generate.ts';
import { KNOWN_FLAGS } from '../types.ts';
import { MAX_PACKED, MAX_PAYLOAD, STORED_MARKER, decodePayload, decodeShare, decodeShareBytes, deflate, encodePayload, encodeShare, inflate, withCheck } from './codec.ts';
import type { ShareView } from './codec.ts';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1
const NO_VIEW: ShareView = { range: null, selected: null, colourMode: 'kind', collapse: false };
const FORMS = [
  { varints: 'base128', aligned: false },
  { varints: 'base128', aligned: true },
  { varints: 'base32', aligned: false },
  { varints: 'base32', aligned: true },
  { varints: 'bits', aligned: false },
  { varints: 'bits', aligned: true },
] as const;

/** A count up to `max`, most often at or next to its ends and powers of two. */
function edgy(max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max }),
    fc.constantFrom(0, 1, max, max - 1, Math.floor(max / 2), Math.floor(max / 4096) * 4096),
    fc.integer({ min: 0, max: 52 }).map((e) => Math.min(max, 2 ** e)),
    fc.integer({ min: Math.max(0, max - 5000), max }),
  );
}

function edgyBig(max: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(fc.bigInt({ min: 0n, max }), fc.constantFrom(0n, 1n, max, max - 1n, max >> 1n, max & ~0xfffn), fc.bigInt({ min: max - 5000n, max }));
}

const flagsArb = fc.subarray([...KNOWN_FLAGS]);

function areaArb(digits: 8 | 16): fc.Arbitrary<Omit<GenArea, 'start'>> {
  const maxSize = digits === 8 ? 2 ** 28 : MAX;
  return fc.record({
    size: fc.oneof(edgy(maxSize), fc.integer({ min: 1, max: 64 }).map((p) => p * 4096)),
    caller: fc.option(
      fc.record({
        symbol: fc.constantFrom('vmalloc_noprof', '__vmalloc_node_range_noprof', 'my_driver_alloc', 'x'),
        offset: edgy(MAX),
        length: edgy(MAX),
        module: fc.option(fc.constantFrom('xfs', 'my_module'), { nil: null }),
      }),
      { nil: null, freq: 5 },
    ),
    pages: edgy(MAX),
    phys: fc.option(edgyBig(digits === 8 ? 0xffffffffn : (1n << 64n) - 1n), { nil: null, freq: 2 }),
    flags: flagsArb,
    nodes: fc.uniqueArray(fc.record({ node: edgy(65535), pages: edgy(MAX) }), { selector: (n) => n.node, maxLength: 3 }).map((ns) => ns.sort((a, b) => a.node - b.node)),
    special: fc.constant(null),
  });
}

/**
 * A raw dump of a dozen areas at most, in address order, anywhere in a 32- or 64-bit address space:
 * from its first page to its last, with gaps of nothing, a byte, or most of the address space.
 */
const extremeDumpArb = fc.constantFrom<8 | 16>(8, 16).chain((digits) =>
  fc.record({
    digits: fc.constant(digits),
    areas: fc.array(fc.tuple(areaArb(digits), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom('any', 'none', 'one byte')), { minLength: 1, maxLength: 12 }),
    first: fc.constantFrom('bottom', 'any', 'top'),
  }),
).map(({ digits, areas, first }) => {
  const top = (1n << BigInt(digits * 4)) - 4096n; // nothing reaches the last page: ends stay below 2^64
  const total = areas.reduce((s, [a]) => s + BigInt(a.size), 0n);
  let room = top - 0x1000n - total;
  if (room < 0n) throw new Error('sizes exceed the address space');
  let at = 0x1000n;
  const out: GenArea[] = [];
  for (const [k, [a, r, gap]] of areas.entries()) {
    let step = 0n;
    if (k === 0 && first === 'top') step = room;
    else if (k === 0 && first === 'bottom') step = 0n;
    else if (gap === 'one byte') step = room > 0n ? 1n : 0n;
    else if (gap === 'any') step = r % (room + 1n);
    at += step;
    room -= step;
    out.push({ ...a, start: at });
    at += BigInt(a.size);
  }
  return { digits, areas: out };
});

/** The columns a decoded snapshot holds, in bytes: what decoding allocated and kept. */
function columnBytes(s: Snapshot): number {
  return Object.values(s.columns).reduce((sum, col: ArrayBufferView) => sum + col.byteLength, 0);
}


const hex = (v: bigint | null) => (v === null ? null : v.toString(16));

/** Area k of the decoded snapshot against area order[k] of the original, every field. */
function expectSame(model: Model, back: Snapshot, included: boolean): void {
  const s = model.snapshot;
  expect(back.count).toBe(s.count);
  expect(back.pointerMode).toBe(s.pointerMode);
  expect(back.addressDigits).toBe(s.addressDigits);
  const shift = included || s.count === 0 ? 0n : s.area(model.order[0]).start!;
  for (let k = 0; k < s.count; k++) {
    const a = s.area(model.order[k]);
    const b = back.area(k);
    const want = { ...a, index: k, line: k + 1, start: hex(a.start! - shift), end: hex(a.end! - shift), phys: hex(a.phys) };
    expect({ ...b, start: hex(b.start), end: hex(b.end), phys: hex(b.phys) }).toEqual(want);
  }
}

describe('share links at the edges of a dump', { timeout: 30_000 }, () => {
  it('carry every size, page count, node count, caller offset and length up to 2^53 − 1 and every address and phys up to 2^64 − 1 exactly, in every body form', async () => {
    await fc.assert(
      fc.asyncProperty(extremeDumpArb, async ({ digits, areas }) => {
        const snapshot = parse(printDump(areas, { digits }));
        expect(snapshot.diagnostics).toEqual([]);
        expect(snapshot.count).toBe(areas.length);
        const model = buildModel(snapshot);
        for (const included of [false, true]) {
          const options = { includeAddresses: included };
          for (const form of FORMS) {
            const payload = encodePayload(model, NO_VIEW, options, form);
            if (form.varints === 'bits') {
              expectSame(model, decodePayload(payload, true).snapshot, included);
              continue;
            }
            const stored = new Uint8Array(payload.length + 1);
            stored[0] = STORED_MARKER;
            stored.set(payload, 1);
            for (const body of [stored, await deflate(payload)]) expectSame(model, (await decodeShareBytes(withCheck(body))).snapshot, included);
          }
          expectSame(model, (await decodeShare(await encodeShare(model, NO_VIEW, options))).snapshot, included);
        }
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });

  it('keeps what the parser reads at 2^53 − 1 and names the line of anything larger instead of a bare number', async () => {
    // Each line at the limit, written out by hand: what the parser reads is what the link returns.
    const top = (2n ** 53n - 1n).toString();
    const dumps = [
      `0x0000000000001000-0x${(0x1000n + 2n ** 53n - 1n).toString(16).padStart(16, '0')} ${top} f+0x1/0x2 vmalloc`,
      `0xffffc90000000000-0xffffc90000003000   12288 f+0x${(2n ** 53n - 1n).toString(16)}/0x${(2n ** 53n - 1n).toString(16)} pages=${top} vmalloc N65535=${top}`,
      `0xffffc90000004000-0xffffc90000006000    8192 g+0x0/0x1 phys=0xfffffffffffff001 ioremap`,
      // raw (one line of two has end = start + size), the other's end 2^64 − 20 KiB past start + size
      `0x0000000000001000-0x0000000000002000    4096 f+0x1/0x2 vmalloc\n0x0000000000003000-0xfffffffffffff000    4096 unpurged vm_area`,
    ];
    for (const dump of dumps) {
      const snapshot = parse(dump + '\n');
      expect(snapshot.diagnostics).toEqual([]);
      expect(snapshot.pointerMode).toBe('raw');
      expect(snapshot.count).toBe(dump.split('\n').length);
      const model = buildModel(snapshot);
      for (const included of [false, true]) expectSame(model, (await decodeShare(await encodeShare(model, NO_VIEW, { includeAddresses: included }))).snapshot, included);
    }
    // A snapshot the parser would not make (it refuses such a line): the link says which line.
    const snapshot = parse('0xffffc90000000000-0xffffc90000003000   12288 f+0x1/0x2 pages=2 vmalloc\n');
    snapshot.columns.callerOffset[0] = 1e24;
    await expect(encodeShare(buildModel(snapshot), NO_VIEW, { includeAddresses: false })).rejects.toThrow(/line 1 has a caller offset beyond 2\^53/);
  });
});

describe('share links nobody made', { timeout: 30_000 }, () => {
  /** Payloads of every form from the seeds, one kernel capture per pointer mode, and extreme dumps. */
  async function payloads(): Promise<Array<{ bytes: Uint8Array; packed: boolean }>> {
    const out: Array<{ bytes: Uint8Array; packed: boolean }> = [];
    const picks = fixtures().filter((f) => /seeds|boot-raw|hashed|zeroed/.test(f.path) && !/arm64|riscv/.test(f.path));
    const extremes = fc.sample(extremeDumpArb, { numRuns: 4, seed: 7 }).map((d) => printDump(d.areas, { digits: d.digits }));
    for (const text of [...picks.map((f) => f.text), ...extremes]) {
      const model = buildModel(parse(text));
      for (const form of FORMS) {
        const bytes = encodePayload(model, { ...NO_VIEW, selected: 0 }, { includeAddresses: true }, form);
        out.push({ bytes, packed: form.varints === 'bits' });
      }
    }
    return out;
  }

  it('are refused with an Error or open as a consistent dump, within a time and memory bound, whatever was changed', async () => {
    const sources = await payloads();
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
      fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }), times: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), value: fc.constantFrom(0xff, 0x80, 0x7f) , length: fc.integer({ min: 8, max: 40 }) }),
    );
    let opened = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom('stored', 'deflated'), async (which, mutations, wrap) => {
        const { bytes, packed } = sources[which % sources.length];
        let b = bytes;
        for (const m of mutations) {
          const at = m.at % (b.length + 1);
          if (m.kind === 'flip' && at < b.length) (b = b.slice())[at] ^= 1 << m.bit;
          else if (m.kind === 'set' && at < b.length) (b = b.slice())[at] = m.value;
          else if (m.kind === 'cut') b = b.subarray(0, at);
          else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
          else if (m.kind === 'repeat') {
            const piece = b.subarray(at, at + m.length);
            b = Uint8Array.from([...b.subarray(0, at), ...new Array<Uint8Array>(m.times).fill(piece).flatMap((p) => [...p]), ...b.subarray(at)]);
          } else if (m.kind === 'huge') b = Uint8Array.from([...b.subarray(0, at), ...new Array<number>(m.length).fill(m.value), ...b.subarray(at)]);
        }
        // Sealed with a matching check, so the damage reaches the payload reader.
        let body: Uint8Array;
        if (packed) body = b;
        else if (wrap === 'stored') body = Uint8Array.from([STORED_MARKER, ...b]);
        else body = await deflate(b);
        const t0 = performance.now();
        try {
          const d = await decodeShareBytes(withCheck(body));
          opened++;
          // What opens is bounded by what was read: an area costs at least 4 bytes of a payload (4
          // bits of a packed body) and takes 79 bytes of columns; a node count beyond the one
          // predicted costs 2 bytes (bits) and takes 10.
          const limit = packed ? Math.min(body.length, MAX_PACKED) * (2 * 79 + 4 * 10) : b.length * (79 / 4 + 10 / 2 + 10 / 4) + 1024;
          expect(columnBytes(d.snapshot)).toBeLessThanOrEqual(limit);
          buildModel(d.snapshot);
        } catch (err) {
          refused++;
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message).toMatch(/share link|format version/);
        }
        // A case takes milliseconds; one that looped or built gigabytes would take far longer than
        // this bound, which leaves room for a machine busy with other work.
        expect(performance.now() - t0).toBeLessThan(5000);
      }),
      { numRuns: 1500, seed: 424242 },
    );
    // The mutations reach both ends: some links still open, most are refused.
    expect(opened).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(opened);
  });

  it('refuses random bytes sealed with a matching check, in every form, with an Error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.constantFrom(0, 3, 4, STORED_MARKER, 7), async (bytes, first) => {
        const b = bytes.slice();
        b[0] = first === 0 ? b[0] : first === 7 ? (b[0] & ~7) | 7 : first;
        try {
          const d = await decodeShareBytes(withCheck(b));
          buildModel(d.snapshot);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 400, seed: 99 },
    );
  });
});

/**
 * A deflate-raw stream of `bytes` zeros written by hand (one fixed-Huffman block: a literal 0, then
 * copies of 258 bytes from 1 back, 13 bits each), so a 1 GiB bomb costs 6.5 MB and no deflating.
 */
function zeroBomb(bytes: number): Uint8Array {
  const copies = Math.floor((bytes - 1) / 258);
  const out = new Uint8Array(Math.ceil((3 + 8 + copies * 13 + 7) / 8) + 1);
  let bit = 0;
  const put = (value: number, width: number) => {
    for (let k = 0; k < width; k++, bit++) if ((value >> k) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  /** A Huffman code: its bits from the most significant, each as the next bit of the stream. */
  const code = (value: number, width: number) => {
    for (let k = width - 1; k >= 0; k--, bit++) if ((value >> k) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman codes
  code(0x30, 8); // literal 0
  for (let k = 0; k < copies; k++) {
    code(0xc5, 8); // length 258 (symbol 285)
    code(0, 5); // distance 1
  }
  code(0, 7); // end of block
  return out.subarray(0, Math.ceil(bit / 8));
}

describe('inflating a link', { timeout: 30_000 }, () => {
  it('stops at the 64 MiB cap without inflating the rest of a 1 GiB bomb', async () => {
    const bomb = zeroBomb(1 << 30);
    expect(bomb.length).toBeLessThan(7 << 20);
    // The hand-made stream is valid deflate: a small one inflates to its zeros.
    expect(Buffer.compare(await inflate(zeroBomb(100_000)), new Uint8Array(1 + Math.floor((100_000 - 1) / 258) * 258))).toBe(0);
    // The cap's worth of the same zeros, inflated just before on this machine as it is now: refusing
    // the bomb costs about that, the whole gigabyte ~16 times that. Timed against each other, not
    // against a fixed bound, so a machine busy with other work slows both alike.
    const t1 = performance.now();
    expect((await inflate(zeroBomb(MAX_PAYLOAD))).length).toBeLessThanOrEqual(MAX_PAYLOAD);
    const capsWorth = performance.now() - t1;
    const t0 = performance.now();
    await expect(inflate(bomb)).rejects.toThrow(`more than ${MAX_PAYLOAD >> 20} MiB`);
    expect(performance.now() - t0).toBeLessThan(6 * capsWorth + 500);
    await expect(decodeShareBytes(withCheck(bomb))).rejects.toThrow(/more than 64 MiB/);
  });

  it('inflates a stream of many slices exactly, and calls a cut one corrupt', async () => {
    const random = new Uint8Array(300_000);
    for (let k = 0, x = 5; k < random.length; k++) random[k] = (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24;
    const text = new TextEncoder().encode('0xffffc90000000000-0xffffc90000005000   20480 vmalloc_noprof+0x2c/0x40 pages=4 vmalloc N0=4\n'.repeat(4000));
    for (const data of [random, text]) {
      const packed = await deflate(data);
      expect(Buffer.compare(await inflate(packed), data)).toBe(0);
      await expect(inflate(packed.subarray(0, Math.floor(packed.length * 0.7)))).rejects.toThrow(/compressed data is corrupt/);
    }
  });
});
