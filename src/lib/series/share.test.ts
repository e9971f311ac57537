import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR, fixture } from '../testing/fixtures.ts';
import { generateDay } from '../testing/day.ts';
import { RECORDING_VERSION, decodeHeader, decodeRecording, encodeHeader } from './recording.ts';
import type { RecordingFrame } from './recording.ts';
import { HIDDEN_NOTE, readSeries } from './read.ts';
import type { ReadResult } from './read.ts';
import { MAX_SERIES_LINK_CHARS, decodeSeriesLink, encodeSeries, readSeriesLink, seriesLinkText, seriesTextOf } from './share.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const REAL = `${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`;
const RAW = ['boot', 'after-insmod', 'after-rmmod'].map((s) => `kernels/x86_64-6.1.0-56-${s}-raw.vmallocinfo`);

function seriesOf(r: ReadResult) {
  if (r.kind !== 'series') throw new Error(`expected a series, got ${r.kind}${r.kind === 'none' ? `: ${r.message}` : ''}`);
  return r;
}

/** A line with its runs of blanks as one space and none at its end. */
const norm = (l: string) => l.trim().replace(/\s+/g, ' ');

/** Each moment's area lines, rebuilt from the decoded frames alone (ids and the lines that came). */
function framesToMoments(frames: readonly RecordingFrame[]): string[][] {
  const line = new Map<number, string>();
  const alive = new Set<number>();
  const out: string[][] = [];
  for (const f of frames) {
    for (const id of f.removed) alive.delete(id);
    dec
      .decode(f.lines)
      .split('\n')
      .slice(0, f.added)
      .forEach((l, k) => {
        line.set(f.idsBefore + k, l);
        alive.add(f.idsBefore + k);
      });
    out.push([...alive].map((id) => norm(line.get(id)!)).sort());
  }
  return out;
}

/** Address order; areas at one range (a lazily freed area and a new one in its place) by size and caller. */
interface Placed {
  start: bigint;
  end: bigint;
  size: number;
  /** The caller's symbol, '' for none. */
  caller: string;
}

function byAddress(a: Placed, b: Placed): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  return a.size - b.size || (a.caller < b.caller ? -1 : a.caller > b.caller ? 1 : 0);
}

/** An area's kind from the words after its size, by the kernel's words (docs/format.md). */
function kindOfText(rest: string): string {
  const words = rest.split(/\s+/);
  if (words[0] === 'unpurged' || words[0] === 'vm_map_ram') return words[0];
  return ['ioremap', 'sparse', 'vmalloc', 'vmap', 'dma-coherent'].find((w) => words.includes(w)) ?? 'other';
}

/** The area lines of each stamped round of the real log, by plain string splitting. */
function roundsOf(text: string): { stamp: string; lines: string[] }[] {
  const out: { stamp: string; lines: string[] }[] = [];
  for (const l of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(l)) out.push({ stamp: l, lines: [] });
    else if (l.startsWith('0x')) out[out.length - 1].lines.push(norm(l));
  }
  return out;
}

describe('a series shared as a recording', () => {
  const realText = gunzipSync(readFileSync(REAL)).toString('utf8');
  const real = seriesOf(readSeries([{ name: 'host.log', bytes: enc.encode(realText), mtime: null }])).series;

  it('carries the real hashed series through a link: every moment’s time, areas and bytes as the log has them', () => {
    const rounds = roundsOf(realText);
    const bytes = encodeSeries(real, { includeAddresses: false });
    const text = seriesLinkText(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const s = seriesOf(readSeriesLink(text)).series;
    expect(s.count).toBe(rounds.length);
    for (let i = 0; i < rounds.length; i++) {
      expect(s.moments[i].time).toBe(Date.parse(rounds[i].stamp));
      const snap = s.snapshot(i);
      expect(snap.pointerMode).toBe('hashed');
      expect(snap.count).toBe(rounds[i].lines.length);
      let total = 0;
      for (let k = 0; k < snap.count; k++) total += snap.columns.size[k];
      expect(total).toBe(rounds[i].lines.reduce((n, l) => n + Number(l.split(' ')[1]), 0));
    }
  });

  it('renumbers the real series’ hashes one for one, the rest of every line as the log has it, phys= from the lowest', () => {
    const rounds = roundsOf(realText);
    const frames = decodeRecording(encodeSeries(real, { includeAddresses: false })).frames;
    // Independently: the lines each round adds, as a multiset of whole lines against the round before.
    let before = new Map<string, number>();
    const physOf = (l: string) => /phys=0x([0-9a-f]+)/.exec(l)?.[1];
    const physBase = rounds
      .flatMap((r) => r.lines.map(physOf))
      .filter((p): p is string => p !== undefined)
      .reduce((a, p) => (BigInt(`0x${p}`) < a ? BigInt(`0x${p}`) : a), 1n << 64n);
    const relative = (l: string) => l.replace(/phys=0x([0-9a-f]+)/, (_, p: string) => `phys=0x${(BigInt(`0x${p}`) - physBase).toString(16).padStart(16, '0')}`);
    const forward = new Map<string, string>();
    const backward = new Map<string, string>();
    const same = (from: string, to: string) => {
      expect(forward.get(from) ?? to).toBe(to);
      expect(backward.get(to) ?? from).toBe(from);
      forward.set(from, to);
      backward.set(to, from);
    };
    for (const [r, round] of rounds.entries()) {
      const now = new Map<string, number>();
      const came: string[] = [];
      for (const l of round.lines) {
        now.set(l, (now.get(l) ?? 0) + 1);
        if (now.get(l)! > (before.get(l) ?? 0)) came.push(l);
      }
      before = now;
      const got = dec.decode(frames[r].lines).split('\n').slice(0, -1).map(norm);
      expect(got.length).toBe(came.length);
      for (const [k, line] of came.entries()) {
        const [range, ...rest] = line.split(' ');
        const [gotRange, ...gotRest] = got[k].split(' ');
        expect(gotRest.join(' ')).toBe(relative(rest.join(' ')));
        const [a, b] = range.split('-');
        const [ga, gb] = gotRange.split('-');
        same(a, ga);
        same(b, gb);
      }
    }
    expect(forward.size).toBeGreaterThan(2000);
    const lines = frames.map((f) => dec.decode(f.lines)).join('');
    for (const hash of forward.keys()) expect(lines.includes(hash)).toBe(false);
  });

  it('keeps the real series’ hashes and phys= as they are when addresses are included', () => {
    const rounds = roundsOf(realText);
    const bytes = encodeSeries(real, { includeAddresses: true });
    expect(framesToMoments(decodeRecording(bytes).frames)).toEqual(rounds.map((r) => [...r.lines].sort()));
  });

  it('shares a range of moments: the first as a whole, the rest as changes', () => {
    const rounds = roundsOf(realText);
    const bytes = encodeSeries(real, { includeAddresses: true, from: 10, to: 14 });
    expect(framesToMoments(decodeRecording(bytes).frames)).toEqual(rounds.slice(10, 15).map((r) => [...r.lines].sort()));
    expect(() => encodeSeries(real, { includeAddresses: true, from: 3, to: real.count })).toThrow(RangeError);
  });

  it('hides raw addresses: three raw dumps come back with their sizes, callers, kinds and gaps, at offsets from the lowest area', () => {
    const texts = RAW.map(fixture);
    const inputs = texts.map((t, k) => ({ name: RAW[k].split('/')[1], bytes: enc.encode(t), mtime: 1796000000000 + k * 60000 }));
    const s = seriesOf(readSeries(inputs)).series;
    expect(s.count).toBe(3);
    const bytes = encodeSeries(s, { includeAddresses: false });
    const decoded = decodeRecording(bytes);
    expect(decoded.header?.addressesHidden).toBe(true);
    expect(decoded.header?.host).toBe('');
    expect(decoded.header?.version).toBe(RECORDING_VERSION);
    // Independently: every start, end and phys= less the lowest start (and lowest phys) of the three.
    const parsed = texts.map((t) =>
      t
        .split('\n')
        .filter((l) => l.startsWith('0x'))
        .map((l) => {
          const m = /^0x([0-9a-f]{16})-0x([0-9a-f]{16})\s+(\d+)(.*)$/.exec(l.trim())!;
          const phys = /phys=0x([0-9a-f]+)/.exec(m[4]);
          return { start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), size: m[3], rest: m[4].trim(), phys: phys ? BigInt(`0x${phys[1]}`) : null };
        }),
    );
    const all = parsed.flat();
    const base = all.reduce((a, x) => (x.start < a ? x.start : a), all[0].start);
    const physBase = all.reduce<bigint | null>((a, x) => (x.phys !== null && (a === null || x.phys < a) ? x.phys : a), null)!;
    const hex = (v: bigint) => v.toString(16).padStart(16, '0');
    const want = parsed.map((areas) =>
      areas
        .map((x) => {
          const rest = x.phys === null ? x.rest : x.rest.replace(/phys=0x[0-9a-f]+/, `phys=0x${hex(x.phys - physBase)}`);
          return norm(`0x${hex(x.start - base)}-0x${hex(x.end - base)} ${x.size} ${rest}`);
        })
        .sort(),
    );
    const got = framesToMoments(decoded.frames);
    expect(got).toEqual(want);
    // The gaps between neighbours in address order, as in the text.
    const gaps = (starts: bigint[], ends: bigint[]) => starts.slice(1).map((st, k) => st - ends[k]);
    for (let i = 0; i < 3; i++) {
      const callerOf = (rest: string) => /^([^\s[]+)\+0x/.exec(rest)?.[1] ?? '';
      const byStart = parsed[i].map((x) => ({ ...x, size: Number(x.size), caller: callerOf(x.rest) })).sort(byAddress);
      const snap = s.snapshot(i);
      expect(snap.count).toBe(byStart.length);
      const back = seriesOf(readSeriesLink(seriesLinkText(bytes))).series.snapshot(i);
      const starts: bigint[] = [];
      const ends: bigint[] = [];
      const placed = (k: number): Placed => {
        const a = back.area(k);
        return { start: a.start!, end: a.end!, size: a.size, caller: a.caller?.symbol ?? '' };
      };
      const order = Array.from({ length: back.count }, (_, k) => k).sort((a, b) => byAddress(placed(a), placed(b)));
      for (const k of order) {
        starts.push(back.area(k).start!);
        ends.push(back.area(k).end!);
      }
      expect(gaps(starts, ends)).toEqual(gaps(
        byStart.map((x) => x.start),
        byStart.map((x) => x.end),
      ));
      expect(order.map((k) => back.area(k).size)).toEqual(byStart.map((x) => x.size));
      expect(order.map((k) => back.area(k).caller?.symbol ?? '')).toEqual(byStart.map((x) => x.caller));
      expect(order.map((k) => back.area(k).kind)).toEqual(byStart.map((x) => kindOfText(x.rest)));
    }
    // No absolute address or phys of the text is left in the recording's lines.
    const lines = decoded.frames.map((f) => dec.decode(f.lines)).join('');
    expect(physBase).toBeGreaterThan(0n);
    const originals = new Set(all.flatMap((x) => [hex(x.start), hex(x.end), ...(x.phys !== null ? [hex(x.phys)] : [])]));
    expect(originals.size).toBeGreaterThan(300);
    for (const a of originals) expect(lines.includes(a)).toBe(false);
    expect(seriesOf(readSeriesLink(seriesLinkText(bytes))).notes).toContain(HIDDEN_NOTE);
  });

  it('says a recording shared hidden is hidden when it is passed on with its addresses included', () => {
    const texts = RAW.map(fixture);
    const s = seriesOf(readSeries(texts.map((t, k) => ({ name: `m${k}`, bytes: enc.encode(t), mtime: k })))).series;
    const once = seriesOf(readSeriesLink(seriesLinkText(encodeSeries(s, { includeAddresses: false })))).series;
    const again = encodeSeries(once, { includeAddresses: true, info: { addressesHidden: true } });
    expect(decodeRecording(again).header?.addressesHidden).toBe(true);
  });

  it('keeps raw addresses exactly when asked to', () => {
    const texts = RAW.map(fixture);
    const s = seriesOf(readSeries(texts.map((t, k) => ({ name: `m${k}`, bytes: enc.encode(t), mtime: k })))).series;
    const bytes = encodeSeries(s, { includeAddresses: true, info: { host: 'box', bootId: 'b0' } });
    expect(decodeRecording(bytes).header?.host).toBe('box');
    expect(decodeRecording(bytes).header?.addressesHidden).toBeUndefined();
    const want = texts.map((t) => t.split('\n').filter((l) => l.startsWith('0x')).map(norm).sort());
    expect(framesToMoments(decodeRecording(bytes).frames)).toEqual(want);
  });
});

describe('hashed addresses renumbered', () => {
  const H = ['9c2f41d7', '1e8b03a5', 'd47a6c12', '5b9e2f80', '73c1a9e4'].map((h) => `0x00000000${h}`);
  const line = (a: number, b: number, size: number) => `${H[a]}-${H[b]} ${String(size).padStart(7)} f+0x1/0x2 pages=1 vmalloc`;
  const encoded = (moments: string[][]) => {
    const log = moments.map((lines, k) => `2026-11-30T00:0${k}:00+00:00\n${lines.join('\n')}\n`).join('');
    return encodeSeries(seriesOf(readSeries([{ name: 'h', bytes: enc.encode(log), mtime: null }])).series, { includeAddresses: false });
  };
  const linesOf = (bytes: Uint8Array) =>
    decodeRecording(bytes)
      .frames.map((f) => dec.decode(f.lines))
      .join('')
      .split('\n')
      .slice(0, -1);

  it('skip a number where an end would read as start + size, so the moment still reads as hashed', () => {
    // Hashes 1-2 and 3-4, then a line from hash 1 to a new one: 5 would be 1 + its size 4, so it takes 6.
    const bytes = encoded([[line(0, 1, 100), line(2, 3, 200)], [line(0, 1, 100), line(2, 3, 200), line(0, 4, 4)]]);
    expect(linesOf(bytes)).toEqual([
      '0x0000000000000001-0x0000000000000002     100 f+0x1/0x2 pages=1 vmalloc',
      '0x0000000000000003-0x0000000000000004     200 f+0x1/0x2 pages=1 vmalloc',
      '0x0000000000000001-0x0000000000000006       4 f+0x1/0x2 pages=1 vmalloc',
    ]);
    const back = seriesOf(readSeriesLink(seriesLinkText(bytes))).series;
    expect(back.snapshot(1).pointerMode).toBe('hashed');
  });

  it('are kept as they are when two known hashes of a line would read as start + size', () => {
    // Hashes 2 and 4 (known from the first moment) with a size of 2: no numbering of new hashes helps.
    const bytes = encoded([[line(0, 1, 100), line(2, 3, 200)], [line(0, 1, 100), line(2, 3, 200), line(1, 3, 2)]]);
    expect(linesOf(bytes)).toEqual([line(0, 1, 100), line(2, 3, 200), line(1, 3, 2)]);
  });
});

describe('the recording header’s optional flags', () => {
  const INFO = { created: 5, zoneMinutes: 60, pageSize: 4096, host: 'h', kernel: '6.1', machine: 'x86_64', bootId: 'b', tool: 't' };

  it('leave a header without them byte for byte as version 1 wrote it, and read with it', () => {
    const plain = encodeHeader(INFO);
    expect(encodeHeader({ ...INFO, addressesHidden: false })).toEqual(plain);
    const hidden = encodeHeader({ ...INFO, addressesHidden: true });
    expect(hidden.length).toBe(plain.length + 1);
    expect(hidden[8]).toBe(1);
    const head = decodeHeader(hidden);
    expect(typeof head === 'object' && head.addressesHidden).toBe(true);
    expect(typeof head === 'object' && head.host).toBe('h');
  });
});

describe('a recording link given by someone else', () => {
  const small = seriesOf(readSeries([{ name: 'day', bytes: enc.encode(generateDay({ moments: 4, areas: 60, seed: 3 }).map((m) => `${m.stamp}\n${m.dump}`).join('')), mtime: null }])).series;
  const good = seriesLinkText(encodeSeries(small, { includeAddresses: false }));

  it('is found in a pasted URL or fragment, and nothing else is', () => {
    expect(seriesTextOf(`  https://vmscope.example/app/#r=${good}\n`)).toBe(good);
    expect(seriesTextOf(`#r=${good}`)).toBe(good);
    expect(seriesTextOf(`#s=${good}`)).toBeNull();
    expect(seriesTextOf('0xffff-0xffff 4096 vmalloc')).toBeNull();
  });

  it('opens with its moments', () => {
    const r = seriesOf(readSeriesLink(good));
    expect(r.series.count).toBe(4);
  });

  it('is refused with a reason when too long, not base64url, not a recording, or unpacking to more than the cap', () => {
    const msg = (t: string) => {
      const r = readSeriesLink(t);
      return r.kind === 'none' ? r.message : '';
    };
    expect(msg('A'.repeat(MAX_SERIES_LINK_CHARS + 1))).toMatch(/at most/);
    expect(msg('abc$')).toMatch(/damaged/);
    expect(msg('')).toMatch(/empty/);
    expect(msg(seriesLinkText(enc.encode('VMSCOPE\nnot a recording')))).toMatch(/not hold a vmscope recording/);
    // A header, then a frame claiming 65 MiB.
    const head = decodeSeriesLink(good);
    if (!('bytes' in head)) throw new Error('the good link did not decode');
    const h = decodeHeader(head.bytes);
    if (typeof h !== 'object') throw new Error('no header');
    const bomb = new Uint8Array(h.length + 12);
    bomb.set(head.bytes.subarray(0, h.length));
    new DataView(bomb.buffer).setUint32(h.length + 4, 65 << 20, true);
    expect(msg(seriesLinkText(bomb))).toMatch(/more than 64 MiB/);
  });

  it('never throws, whatever its text or however a good one is changed or cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (t) => {
        const r = readSeriesLink(t);
        return r.kind === 'none' || r.kind === 'series';
      }),
      { numRuns: 300 },
    );
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(63), fc.nat(good.length), (at, ch, cut) => {
        const changed = good.slice(0, at) + B64[ch] + good.slice(at + 1);
        for (const t of [changed, good.slice(0, cut)]) {
          const r = readSeriesLink(t);
          if (r.kind === 'single') return false;
          if (r.kind === 'series' && r.series.count > 4) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
