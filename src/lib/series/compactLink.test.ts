import { deflateSync, inflateSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { Writer } from '../share/bits.ts';
import { fromBase64Url, toBase64Url, withCheck } from '../share/envelope.ts';
import { encodePayload } from '../share/payload.ts';
import { dayLog, generateDay } from '../testing/day.ts';
import { normLine, realSeriesText, roundsOf } from '../testing/series.ts';
import { COMPACT_MARK, MAX_COMPACT_PAYLOAD, compactSeries, expandSeries } from './compactLink.ts';
import { Recorder, encodeHeader } from './recording.ts';
import { readSeries } from './read.ts';
import type { ReadResult } from './read.ts';
import { decodeSeriesLink, encodeSeries, readSeriesLink, seriesLinkText } from './share.ts';

const enc = new TextEncoder();

function seriesOf(r: ReadResult) {
  if (r.kind !== 'series') throw new Error(`expected a series, got ${r.kind}${r.kind === 'none' ? `: ${r.message}` : ''}`);
  return r.series;
}

const readLog = (text: string) => seriesOf(readSeries([{ name: 'log', bytes: enc.encode(text), mtime: null }]));

/** Each round of a stamped log: its time and its area lines (runs of blanks as one), sorted. */
function roundsOfLog(text: string): { time: number; lines: string[] }[] {
  return roundsOf(text).map((r) => ({ time: Date.parse(r.stamp), lines: r.lines.map(normLine).sort() }));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The compact link of a recording gives back its very bytes, and the link text is the compact one. */
function roundTrips(rec: Uint8Array): Uint8Array {
  const compact = compactSeries(rec);
  expect(compact).not.toBeNull();
  expect(compact![0]).toBe(COMPACT_MARK);
  expect(equalBytes(expandSeries(compact!), rec)).toBe(true);
  const text = seriesLinkText(rec);
  expect(text).toBe(toBase64Url(compact!));
  const got = decodeSeriesLink(text);
  if ('problem' in got) throw new Error(got.problem);
  expect(equalBytes(got.bytes, rec)).toBe(true);
  return compact!;
}

/**
 * A series read back from its link holds, moment by moment, the log's time, its count of areas, and
 * the same multisets of sizes and of callers printed as symbol+offset/length (fields no hiding touches).
 */
function opensAsTheLog(text: string, log: string) {
  const series = seriesOf(readSeriesLink(text));
  const rounds = roundsOfLog(log);
  expect(series.count).toBe(rounds.length);
  const CALLER = /^([A-Za-z_][\w.$]*)\+0x[0-9a-f]+\/0x[0-9a-f]+$/;
  for (let k = 0; k < rounds.length; k++) {
    expect(series.moments[k].time).toBe(rounds[k].time);
    const s = series.snapshot(k);
    expect(s.count).toBe(rounds[k].lines.length);
    const sizes: number[] = [];
    const callers: string[] = [];
    for (let i = 0; i < s.count; i++) {
      sizes.push(s.columns.size[i]);
      const symbol = s.symbolOf(i);
      if (symbol !== null && !Number.isNaN(s.columns.callerOffset[i])) callers.push(symbol);
    }
    const fields = rounds[k].lines.map((l) => l.split(' '));
    expect(sizes.sort((a, b) => a - b)).toEqual(fields.map((f) => Number(f[1])).sort((a, b) => a - b));
    const logCallers = fields.flatMap((f) => f.slice(2).map((w) => CALLER.exec(w)?.[1]).filter((w): w is string => w !== undefined));
    expect(callers.sort()).toEqual(logCallers.sort());
  }
}

describe('a compact series link', () => {
  const real = realSeriesText();

  it('gives back the very recording of the real series, addresses hidden or not, and fits in 32 KB when hidden', () => {
    const series = readLog(real);
    const hidden = encodeSeries(series, { includeAddresses: false });
    const kept = encodeSeries(series, { includeAddresses: true });
    const h = roundTrips(hidden);
    const k = roundTrips(kept);
    const linkOf = (b: Uint8Array) => toBase64Url(b).length;
    // Figures for the README and docs/recording-format.md ("Compact series links").
    console.log(`real series (30 moments): recording link ${linkOf(hidden)} → compact ${linkOf(h)} characters hidden; ${linkOf(kept)} → ${linkOf(k)} with addresses`);
    expect(linkOf(h)).toBeLessThanOrEqual(32 * 1024 - 100);
    expect(linkOf(h)).toBeLessThan(linkOf(hidden) / 3);
    opensAsTheLog(toBase64Url(h), real);
  });

  it('gives back the very recording of a generated hour, raw and hashed, addresses hidden or not', () => {
    for (const mode of ['raw', 'hashed'] as const) {
      const log = dayLog(generateDay({ mode, moments: 60 }));
      const series = readLog(log);
      for (const includeAddresses of [false, true]) {
        const rec = encodeSeries(series, { includeAddresses });
        const compact = roundTrips(rec);
        console.log(`generated hour (${mode}, 60 moments, addresses ${includeAddresses ? 'kept' : 'hidden'}): recording link ${toBase64Url(rec).length} → compact ${toBase64Url(compact).length} characters`);
        opensAsTheLog(toBase64Url(compact), log);
      }
    }
  });

  it('gives back the very recording of zeroed and masked dumps, and of a part of a series', () => {
    const day = generateDay({ moments: 5, areas: 120, seed: 4 });
    const zeroed = dayLog(day).replace(/^0x[0-9a-f]{16}-0x[0-9a-f]{16}/gm, '0x0000000000000000-0x0000000000000000');
    const masked = dayLog(day).replace(/^0x[0-9a-f]{16}-0x[0-9a-f]{16}/gm, '0x(____ptrval____)-0x(____ptrval____)');
    for (const log of [zeroed, masked]) {
      const series = readLog(log);
      roundTrips(encodeSeries(series, { includeAddresses: false }));
      opensAsTheLog(seriesLinkText(encodeSeries(series, { includeAddresses: false })), log);
    }
    const series = readLog(dayLog(generateDay({ moments: 12, areas: 200, seed: 5, mode: 'hashed' })));
    roundTrips(encodeSeries(series, { includeAddresses: false, from: 3, to: 9 }));
    roundTrips(encodeSeries(series, { includeAddresses: false, from: 11 }));
  });

  it('keeps each moment’s meminfo and modules, and moments without a time, of a recording passed on', () => {
    const day = generateDay({ moments: 4, areas: 90, seed: 6, meminfo: true });
    const rec = new Recorder();
    const parts = [encodeHeader({ created: day[0].time, zoneMinutes: 60, pageSize: 4096, host: 'db-7', kernel: '6.1.0-56-amd64', machine: 'x86_64', bootId: 'c0ffee', tool: 'vmscope 0.1.0' })];
    day.forEach((m, k) =>
      parts.push(
        rec.take({ time: k === 2 ? null : m.time, vmallocinfo: enc.encode(m.dump), meminfo: enc.encode(m.meminfo!), modules: enc.encode(`erofs 114688 0 - Live 0xffffffffc0b75000\n`) }).frame,
      ),
    );
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    roundTrips(bytes);
  });

  it('is not made where it would not be shorter, and old recording links still open', () => {
    const series = readLog(dayLog(generateDay({ moments: 2, areas: 3, seed: 7 })));
    const rec = encodeSeries(series, { includeAddresses: false });
    const text = seriesLinkText(rec);
    expect(fromBase64Url(text).length).toBeLessThanOrEqual(rec.length);
    const old = toBase64Url(encodeSeries(readLog(real), { includeAddresses: false }));
    const opened = seriesOf(readSeriesLink(old));
    expect(opened.count).toBe(roundsOf(real).length);
  });

  it('says what is wrong with a damaged one: a changed character, a cut, a bomb', () => {
    const series = readLog(dayLog(generateDay({ moments: 6, areas: 150, seed: 8 })));
    const text = seriesLinkText(encodeSeries(series, { includeAddresses: false }));
    expect(fromBase64Url(text)[0]).toBe(COMPACT_MARK);
    const changed = text.slice(0, 40) + (text[40] === 'A' ? 'B' : 'A') + text.slice(41);
    expect(decodeSeriesLink(changed)).toEqual({ problem: expect.stringMatching(/recording link is damaged: it does not match its check/) });
    expect(decodeSeriesLink(text.slice(0, -8))).toEqual({ problem: expect.stringMatching(/recording link is damaged/) });
    const bomb = withCheck(deflateSync(new Uint8Array(MAX_COMPACT_PAYLOAD + 1), { level: 9 }));
    const link = new Uint8Array(bomb.length + 1);
    link[0] = COMPACT_MARK;
    link.set(bomb, 1);
    expect(decodeSeriesLink(toBase64Url(link))).toEqual({ problem: expect.stringMatching(/unpacks to more than 16 MiB/) });
  });

  it('refuses a link of a few kilobytes whose areas would print past 64 MiB of lines', () => {
    // 760,000 areas of one line of 91 bytes: 69 MB of text, a few thousand link characters.
    const n = 760_000;
    const line = '0x0000000000000000-0x0000000000000000   20480 kernel_clone+0x99/0x390 pages=4 vmalloc N0=4\n';
    const areas = encodePayload(buildModel(parse(line.repeat(n))), { range: null, selected: null, colourMode: 'kind', collapse: false }, { includeAddresses: true });
    const header = encodeHeader({ created: 0, zoneMinutes: null, pageSize: 4096, host: '', kernel: '', machine: '', bootId: '', tool: '' });
    const w = new Writer();
    w.uint(header.length);
    w.bytes(header);
    w.uint(n);
    w.uint(0);
    w.uint(areas.length);
    w.bytes(areas);
    // One moment: no time, none gone, all n came.
    [1, 0, 0, n].forEach((v) => w.uint(v));
    const body = withCheck(deflateSync(w.done(), { level: 9 }));
    const text = toBase64Url(Uint8Array.of(COMPACT_MARK, ...body));
    expect(text.length).toBeLessThan(8192);
    const t0 = performance.now();
    expect(decodeSeriesLink(text)).toEqual({ problem: expect.stringMatching(/recording link unpacks to more than 64 MiB/) });
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('reads any bytes as a recording or a clear problem, never throwing or hanging', () => {
    const series = readLog(dayLog(generateDay({ moments: 4, areas: 40, seed: 9, mode: 'hashed' })));
    const good = fromBase64Url(seriesLinkText(encodeSeries(series, { includeAddresses: false })));
    const sealed = (payload: Uint8Array) => {
      const body = withCheck(deflateSync(payload));
      const out = new Uint8Array(body.length + 1);
      out[0] = COMPACT_MARK;
      out.set(body, 1);
      return toBase64Url(out);
    };
    const opensOrSays = (text: string) => {
      const t0 = performance.now();
      const got = readSeriesLink(text);
      expect(performance.now() - t0).toBeLessThan(5000);
      if (got.kind === 'none') expect(got.message).toMatch(/recording link/);
    };
    // Any bytes, sealed so that they pass the check and reach the payload's reader.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (payload) => opensOrSays(sealed(payload))), { numRuns: 300 });
    // A good link's payload with bytes changed, then sealed again.
    const payload = expandPayload(good);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(payload.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const p = payload.slice();
        for (const [at, b] of edits) p[at] = b;
        opensOrSays(sealed(p));
      }),
      { numRuns: 300 },
    );
    // Any bytes after the mark, checked or not.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => opensOrSays(toBase64Url(Uint8Array.of(COMPACT_MARK, ...bytes)))), { numRuns: 300 });
  });
});

/** The inflated payload of compact link bytes (fflate's inflate). */
function expandPayload(link: Uint8Array): Uint8Array {
  return inflateSync(link.subarray(1, link.length - 2));
}
