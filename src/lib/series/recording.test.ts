import { readFileSync } from 'node:fs';
import { gunzipSync, crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isShareFile } from '../share/envelope.ts';
import { SAMPLES_DIR, fixture } from '../testing/fixtures.ts';
import { dayLog, generateDay } from '../testing/day.ts';
import { areaLines, bytesOfLines } from '../testing/series.ts';
import { RECORDING_MAGIC, Recorder, RecordingReader, appendFrame, crc32, decodeHeader, decodeRecording, encodeFrame, encodeHeader, isRecording, recordingToSeries } from './recording.ts';
import type { RecordingInfo } from './recording.ts';

const INFO: RecordingInfo = { created: Date.UTC(2026, 10, 30, 1), zoneMinutes: 60, pageSize: 4096, host: 'box', kernel: '6.18.0', machine: 'x86_64', bootId: 'b00t', tool: 'vmscope test' };
const enc = new TextEncoder();

/** A moment of a text log, read with plain string splitting: its area lines, their bytes. */
interface TextMoment {
  stamp: string;
  lines: string[];
}

/** How many lines name each caller symbol (the word before +0x), or the first word after the size. */
function callerCounts(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const word = l.trim().split(/\s+/)[2] ?? '';
    const name = word.includes('+0x') ? word.slice(0, word.indexOf('+0x')) : word;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** The real series, split at its `date -Is` lines. */
function realSeries(): TextMoment[] {
  const text = gunzipSync(readFileSync(`${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`)).toString('utf8');
  return text
    .split(/^(?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$)/m)
    .filter((r) => r.length > 0)
    .map((r) => ({ stamp: r.slice(0, r.indexOf('\n')), lines: areaLines(r.slice(r.indexOf('\n') + 1)) }));
}

/** A recording of moments given as texts, and where each frame ends. */
function record(dumps: ReadonlyArray<{ time: number | null; text: string; meminfo?: string; modules?: string }>): { bytes: Uint8Array; ends: number[] } {
  const recorder = new Recorder();
  const parts = [encodeHeader(INFO)];
  const ends: number[] = [];
  let at = parts[0].length;
  for (const d of dumps) {
    const r = recorder.take({ time: d.time, zoneMinutes: 60, vmallocinfo: enc.encode(d.text), meminfo: d.meminfo ? enc.encode(d.meminfo) : null, modules: d.modules ? enc.encode(d.modules) : null });
    parts.push(r.frame);
    at += r.frame.length;
    ends.push(at);
  }
  const bytes = new Uint8Array(at);
  let k = 0;
  for (const p of parts) {
    bytes.set(p, k);
    k += p.length;
  }
  return { bytes, ends };
}

/** Where reading a recording cut at `cut` stops: null at a frame boundary, else where the cut frame (or the header) starts. */
function stopsAt(cut: number, ends: readonly number[]): number | null {
  const header = encodeHeader(INFO).length;
  if (cut < header) return 0;
  const boundary = [header, ...ends].filter((e) => e <= cut).pop()!;
  return boundary === cut ? null : boundary;
}

/** Each moment of a series: area count, bytes and callers, read back from its snapshot. */
function seriesMoments(bytes: Uint8Array) {
  const { series, problem } = recordingToSeries(decodeRecording(bytes));
  const out = [];
  for (let i = 0; i < (series?.count ?? 0); i++) {
    const s = series!.snapshot(i);
    let total = 0;
    const callers: Record<string, number> = {};
    for (let a = 0; a < s.count; a++) {
      total += s.columns.size[a];
      const area = s.area(a);
      const name = area.caller?.symbol ?? (area.kind === 'unpurged' ? 'unpurged' : area.kind === 'vm_map_ram' ? 'vm_map_ram' : (area.flags[0] ?? ''));
      callers[name] = (callers[name] ?? 0) + 1;
    }
    out.push({ areas: s.count, bytes: total, callers, time: series!.moments[i].time });
  }
  return { moments: out, problem };
}

/** A small changing dump: lines of a real capture, some dropped and some added per moment. */
function smallMoments(): Array<{ time: number; text: string }> {
  const lines = areaLines(fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo')).slice(0, 24);
  const out = [];
  for (let m = 0; m < 5; m++) {
    const kept = lines.filter((_, k) => (k + m) % 5 !== 0);
    const extra = Array.from({ length: m }, (_, k) => `0xffffd17d9${m}${k}00000-0xffffd17d9${m}${k}05000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4`);
    out.push({ time: Date.UTC(2026, 10, 30, 1, m), text: [...kept, ...extra].join('\n') + '\n' });
  }
  return out;
}

describe('CRC-32', () => {
  it('is zlib’s CRC-32, with its check value 0xcbf43926 for "123456789"', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => crc32(b) === zlibCrc32(b)),
      { seed: 1130, numRuns: 200 },
    );
  });
});

describe('the recording header', () => {
  it('round-trips what it says about the host', () => {
    const h = decodeHeader(encodeHeader(INFO));
    expect(h).toEqual({ ...INFO, version: 1, length: encodeHeader(INFO).length });
  });

  it('starts with a magic other than a share file’s, and each is told from the other', () => {
    const rec = encodeHeader(INFO);
    const share = Uint8Array.from([...enc.encode('VMSCOPE\n'), 1, 2, 3]);
    expect(isRecording(rec)).toBe(true);
    expect(isShareFile(rec)).toBe(false);
    expect(isRecording(share)).toBe(false);
    expect(new TextDecoder().decode(RECORDING_MAGIC)).toBe('VMSCREC\n');
    expect(decodeRecording(share).problem).toMatch(/not a vmscope recording/);
  });

  it('refuses a version newer than it reads, and a damaged header', () => {
    const newer = encodeHeader(INFO);
    newer[8] = 2;
    expect(decodeRecording(newer).header).toBeNull();
    expect(decodeRecording(newer).problem).toMatch(/version 2/);
    const damaged = encodeHeader(INFO);
    damaged[damaged.length - 1] ^= 1;
    expect(decodeRecording(damaged).problem).toMatch(/CRC-32/);
  });
});

describe('frames', () => {
  it('decode to what was encoded: time, zone, the ids that went, the new lines, meminfo and modules', () => {
    const lineArb = fc.stringMatching(/^0x[0-9a-f]{16}-0x[0-9a-f]{16} +\d{4,8} [a-z_]{1,12}\+0x1\/0x2 vmalloc$/);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.option(fc.integer({ min: 0, max: 2 ** 44 })),
            zone: fc.integer({ min: -720, max: 840 }),
            lines: fc.array(lineArb, { maxLength: 6 }),
            gone: fc.array(fc.boolean(), { maxLength: 40 }),
            meminfo: fc.option(fc.constant('MemTotal:        8000000 kB\nVmallocUsed:       30000 kB\n')),
            modules: fc.option(fc.constant('e1000 159744 0 - Live 0xffffffffc0400000\n')),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (frames) => {
          const parts = [encodeHeader(INFO)];
          let ids = 0;
          const alive = new Set<number>();
          const expected = [];
          for (const f of frames) {
            const removed = [...alive].sort((a, b) => a - b).filter((_, k) => f.gone[k]);
            for (const id of removed) alive.delete(id);
            parts.push(encodeFrame({ time: f.time, zoneMinutes: f.zone, idsBefore: ids, removed, lines: f.lines, meminfo: f.meminfo, modules: f.modules }));
            expected.push({ time: f.time, zoneMinutes: f.time === null ? null : f.zone, idsBefore: ids, removed, added: f.lines.length, lines: f.lines.map((l) => `${l}\n`).join(''), meminfo: f.meminfo, modules: f.modules });
            for (let k = 0; k < f.lines.length; k++) alive.add(ids + k);
            ids += f.lines.length;
          }
          const d = decodeRecording(Uint8Array.from(parts.flatMap((p) => [...p])));
          expect(d.problem).toBeNull();
          expect(d.truncatedAt).toBeNull();
          const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
          expect(d.frames.map((f) => ({ time: f.time, zoneMinutes: f.zoneMinutes, idsBefore: f.idsBefore, removed: [...f.removed], added: f.added, lines: text(f.lines), meminfo: text(f.meminfo), modules: text(f.modules) }))).toEqual(expected);
        },
      ),
      { seed: 20261130, numRuns: 150 },
    );
  });

  it('refuses a frame that removes an id that is not alive, or follows a different number of ids', () => {
    const head = encodeHeader(INFO);
    const first = encodeFrame({ time: 1, idsBefore: 0, removed: [], lines: ['0xffffd17d80000000-0xffffd17d80005000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4'] });
    const twice = [encodeFrame({ time: 2, idsBefore: 1, removed: [0], lines: [] }), encodeFrame({ time: 3, idsBefore: 1, removed: [0], lines: [] })];
    const d = decodeRecording(Uint8Array.from([...head, ...first, ...twice[0], ...twice[1]]));
    expect(d.frames.length).toBe(2);
    expect(d.problem).toMatch(/moment 3 .*id 0 went but was not there/);
    const skipped = decodeRecording(Uint8Array.from([...head, ...first, ...encodeFrame({ time: 2, idsBefore: 5, removed: [], lines: [] })]));
    expect(skipped.frames.length).toBe(1);
    expect(skipped.problem).toMatch(/follows 5 ids, but 1 came before/);
  });
});

describe('a recording of the real series (6.18, hashed, 30 moments)', () => {
  const moments = realSeries();
  const recording = record(moments.map((m) => ({ time: Date.parse(m.stamp), text: m.lines.join('\n') + '\n' })));

  it('opens with every moment: its time, area count, bytes and callers as the text has them', () => {
    expect(moments.length).toBe(30);
    const { moments: read, problem } = seriesMoments(recording.bytes);
    expect(problem).toBeNull();
    expect(read.length).toBe(30);
    for (const [i, m] of moments.entries()) {
      expect(read[i].time).toBe(Date.parse(m.stamp));
      expect(read[i].areas).toBe(m.lines.length);
      expect(read[i].bytes).toBe(bytesOfLines(m.lines));
      const expected = callerCounts(m.lines);
      // The text names an unpurged line "unpurged"; the snapshot does too (its kind).
      expect(read[i].callers).toEqual(expected);
    }
  });

  it('is under 5% of the plain-text log’s size', () => {
    const plain = moments.reduce((s, m) => s + m.stamp.length + 1 + m.lines.join('\n').length + 1, 0);
    expect(recording.bytes.length / plain).toBeLessThan(0.05);
  });

  it('opens with its complete moments when cut at any of a sample of byte positions', () => {
    const { bytes, ends } = recording;
    const cuts = new Set<number>([0, 1, 8, 16, 17, bytes.length - 1]);
    for (const e of ends) for (const d of [-1, 0, 1, 12]) if (e + d >= 0 && e + d <= bytes.length) cuts.add(e + d);
    for (let k = 0; k < 60; k++) cuts.add(Math.floor((bytes.length * (k * 7919 % 60)) / 60) + k);
    for (const cut of cuts) {
      if (cut > bytes.length) continue;
      const complete = ends.filter((e) => e <= cut).length;
      const d = decodeRecording(bytes.subarray(0, cut));
      expect(d.frames.length).toBe(complete);
      expect(d.truncatedAt).toBe(stopsAt(cut, ends));
      const s = recordingToSeries(d);
      expect(s.series?.count ?? 0).toBe(complete);
    }
  });
});

describe('a recording cut at every byte position', () => {
  it('opens with the moments complete before the cut, each with the areas it had', () => {
    const dumps = smallMoments();
    const { bytes, ends } = record(dumps);
    const whole = seriesMoments(bytes).moments;
    expect(whole.map((m) => m.areas)).toEqual(dumps.map((d) => areaLines(d.text).length));
    expect(whole.map((m) => m.bytes)).toEqual(dumps.map((d) => bytesOfLines(areaLines(d.text))));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const complete = ends.filter((e) => e <= cut).length;
      const d = decodeRecording(bytes.subarray(0, cut));
      expect(d.frames.length).toBe(complete);
      expect(d.truncatedAt).toBe(stopsAt(cut, ends));
      expect(d.incomplete).toBe(d.truncatedAt !== null);
      const s = seriesMoments(bytes.subarray(0, cut));
      expect(s.moments).toEqual(whole.slice(0, complete));
    }
  });
});

describe('the streaming reader', () => {
  it('gives the frames decodeRecording gives, whatever the chunks, and stops where it stops', () => {
    const { bytes } = record(smallMoments());
    const strip = (d: ReturnType<typeof decodeRecording>) => ({ ...d, frames: d.frames.map((f) => ({ ...f, lines: [...f.lines] })) });
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { maxLength: 12 }), fc.nat(bytes.length), (cuts, length) => {
        const input = bytes.slice(0, length);
        const bounds = [...new Set([0, ...cuts.filter((c) => c <= length), length])].sort((a, b) => a - b);
        const reader = new RecordingReader();
        let streamed = 0;
        for (let k = 1; k < bounds.length; k++) {
          const chunk = input.slice(bounds[k - 1], bounds[k]);
          streamed += reader.push(chunk).length;
          chunk.fill(0); // the reader keeps no view of a chunk it was given
        }
        const whole = decodeRecording(input);
        expect(streamed).toBe(whole.frames.length);
        expect(strip(reader.end())).toEqual(strip(whole));
      }),
      { seed: 3, numRuns: 100 },
    );
  });
});

describe('decodeRecording on damaged input', () => {
  const { bytes, ends } = record(smallMoments());

  it('never throws on arbitrary bytes, with or without the magic', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), (magic, tail) => {
        const input = magic ? Uint8Array.from([...encodeHeader(INFO), ...tail]) : tail;
        const d = decodeRecording(input);
        expect(d.frames.length === 0 || d.header !== null).toBe(true);
        recordingToSeries(d);
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('keeps every frame before a changed, inserted or deleted byte, and never throws', () => {
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'insert', 'delete'), (at, value, how) => {
        const copy = Array.from(bytes);
        if (how === 'flip') copy[at] ^= value;
        else if (how === 'insert') copy.splice(at, 0, value);
        else copy.splice(at, 1);
        const d = decodeRecording(Uint8Array.from(copy));
        const before = ends.filter((e) => e <= at).length;
        expect(d.frames.length).toBeGreaterThanOrEqual(before);
        // A changed byte inside a checked frame is always caught (CRC-32, or its length).
        if (how === 'flip' && at >= encodeHeader(INFO).length) expect(d.frames.length).toBe(before);
        const s = recordingToSeries(d);
        expect(s.series?.count ?? 0).toBeLessThanOrEqual(d.frames.length);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('stops at a frame whose lines do not read as as many areas as it says', () => {
    const head = encodeHeader(INFO);
    const good = encodeFrame({ time: 1, idsBefore: 0, removed: [], lines: ['0xffffd17d80000000-0xffffd17d80005000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4'] });
    const bad = encodeFrame({ time: 2, idsBefore: 1, removed: [], lines: ['not an area line'] });
    const s = recordingToSeries(decodeRecording(Uint8Array.from([...head, ...good, ...bad])));
    expect(s.series?.count).toBe(1);
    expect(s.problem).toMatch(/moment 2 .*1 new lines read as 0 areas/);
  });

  it('stops inflating a frame as soon as it passes its stated size (a deflate bomb)', () => {
    const bomb = deflateSync(new Uint8Array(19 << 20), { level: 9 });
    const size = bomb.length + 16;
    const frame = new Uint8Array(12 + bomb.length);
    const view = new DataView(frame.buffer);
    view.setUint32(0, bomb.length, true);
    view.setUint32(4, size, true);
    frame.set(bomb, 12);
    const started = performance.now();
    const d = decodeRecording(Uint8Array.from([...encodeHeader(INFO), ...frame]));
    expect(d.problem).toMatch(/does not inflate to its stated size/);
    expect(d.frames.length).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a frame that claims more than 64 MiB, before reading it', () => {
    const frame = new Uint8Array(12);
    new DataView(frame.buffer).setUint32(4, (64 << 20) + 1, true);
    expect(decodeRecording(Uint8Array.from([...encodeHeader(INFO), ...frame])).problem).toMatch(/at most 64 MiB/);
  });
});

describe('the Recorder', () => {
  it('continues a recording from its last moment: the frames appended read as if recorded in one go', () => {
    const dumps = smallMoments();
    const once = record(dumps).bytes;
    const first = record(dumps.slice(0, 3)).bytes;
    const { series } = recordingToSeries(decodeRecording(first));
    const resumed = new Recorder(series);
    const more = dumps.slice(3).map((d) => resumed.take({ time: d.time, zoneMinutes: 60, vmallocinfo: enc.encode(d.text) }).frame);
    const joined = Uint8Array.from([...first, ...more.flatMap((f) => [...f])]);
    expect(decodeRecording(joined).problem).toBeNull();
    expect(seriesMoments(joined).moments).toEqual(seriesMoments(once).moments);
  });

  it('keeps exact counts in zeroed mode, where identical lines match as a multiset', () => {
    const lines = areaLines(fixture('kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo'));
    const dumps = [lines, lines.slice(5), [...lines, ...lines.slice(0, 30)], lines.filter((l) => !l.includes('unpurged'))].map((l, k) => ({ time: k * 60000, text: l.join('\n') + '\n' }));
    const { moments } = seriesMoments(record(dumps).bytes);
    expect(moments.map((m) => m.areas)).toEqual(dumps.map((d) => areaLines(d.text).length));
    expect(moments.map((m) => m.bytes)).toEqual(dumps.map((d) => bytesOfLines(areaLines(d.text))));
  });

  it('reports each moment’s areas, bytes and what came and went', () => {
    const dumps = smallMoments();
    const recorder = new Recorder();
    let before: string[] = [];
    for (const d of dumps) {
      const now = areaLines(d.text);
      const r = recorder.take({ time: d.time, vmallocinfo: enc.encode(d.text) });
      const gone = before.filter((l) => !now.includes(l));
      const came = now.filter((l) => !before.includes(l));
      expect({ areas: r.areas, bytes: r.bytes, added: r.added, removed: r.removed, addedBytes: r.addedBytes, removedBytes: r.removedBytes }).toEqual({
        areas: now.length,
        bytes: bytesOfLines(now),
        added: came.length,
        removed: gone.length,
        addedBytes: bytesOfLines(came),
        removedBytes: bytesOfLines(gone),
      });
      before = now;
    }
  });

  it('stores /proc/meminfo and /proc/modules with their moment', () => {
    const meminfo = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo');
    const modules = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');
    const dumps = smallMoments().map((d, k) => ({ ...d, meminfo, modules: k % 2 ? modules : undefined }));
    const { series } = recordingToSeries(decodeRecording(record(dumps).bytes));
    const vmallocTotal = Number(/VmallocTotal:\s+(\d+)/.exec(meminfo)![1]);
    const names = modules.split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    for (const [k, m] of series!.moments.entries()) {
      expect(m.capture.meminfo.find((e) => e.key === 'VmallocTotal')?.value).toBe(vmallocTotal);
      expect(m.capture.modules.map((e) => e.name)).toEqual(k % 2 ? names : []);
      expect(m.facts.count).toBe(areaLines(dumps[k].text).length);
    }
  });
});

describe('a generated day', () => {
  it('is the same text for the same seed, and another for another seed', () => {
    const a = dayLog(generateDay({ moments: 30, seed: 5 }));
    expect(dayLog(generateDay({ moments: 30, seed: 5 }))).toBe(a);
    expect(dayLog(generateDay({ moments: 30, seed: 6 }))).not.toBe(a);
    expect(a.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/.test(l)).length).toBe(30);
  });

  it('gives each moment a /proc/meminfo whose VmallocUsed is the pages of its busy areas, when asked', () => {
    const day = generateDay({ moments: 20, seed: 4, meminfo: true });
    for (const m of day) {
      const pages = areaLines(m.dump).reduce((s, l) => s + Number(/ pages=(\d+)/.exec(l)?.[1] ?? 0), 0);
      expect(Number(/^VmallocUsed:\s+(\d+) kB$/m.exec(m.meminfo!)![1])).toBe(pages * 4);
    }
    expect(dayLog(day)).toContain(`${day[3].stamp}\n${day[3].dump}${day[3].meminfo}`);
    expect(generateDay({ moments: 20, seed: 4 }).map((m) => m.dump)).toEqual(day.map((m) => m.dump));
  });

  it('records an hour of a 2,000-area host in under 5% of the log, every moment intact', () => {
    const day = generateDay({ moments: 60, seed: 3 });
    const { bytes } = record(day.map((m) => ({ time: m.time, text: m.dump })));
    expect(bytes.length / dayLog(day).length).toBeLessThan(0.05);
    const { moments } = seriesMoments(bytes);
    expect(moments.map((m) => m.areas)).toEqual(day.map((m) => areaLines(m.dump).length));
    expect(moments.map((m) => m.bytes)).toEqual(day.map((m) => bytesOfLines(areaLines(m.dump))));
    expect(areaLines(day[0].dump).length).toBe(2000);
  });
});

describe('a live recording: one frame appended to its series', () => {
  const moments = realSeries();
  const texts = moments.map((m) => m.lines.join('\n') + '\n');
  const { bytes, ends } = record(texts.map((text, k) => ({ time: Date.UTC(2026, 10, 30, 1, k), text, meminfo: k % 2 ? 'VmallocTotal:   34359738367 kB\nVmallocUsed:       12345 kB\n' : undefined })));
  const header = encodeHeader(INFO).length;
  const frame = (k: number) => bytes.subarray(k === 0 ? header : ends[k - 1], ends[k]);

  it('grows the series moment by moment to the areas and bytes each moment\'s text holds, as reading the whole recording does', () => {
    let series = recordingToSeries(decodeRecording(bytes.subarray(0, ends[0]))).series!;
    for (let k = 1; k < moments.length; k++) {
      const got = appendFrame(series, frame(k), 'live');
      if ('problem' in got) throw new Error(got.problem);
      series = got.series;
    }
    const whole = recordingToSeries(decodeRecording(bytes)).series!;
    expect(series.count).toBe(moments.length);
    for (let k = 0; k < moments.length; k++) {
      const snap = series.snapshot(k);
      let sum = 0;
      for (let a = 0; a < snap.count; a++) sum += snap.columns.size[a];
      expect(snap.count, `moment ${k}`).toBe(moments[k].lines.length);
      expect(sum, `moment ${k}`).toBe(bytesOfLines(moments[k].lines));
      expect(Array.from(series.ids(k))).toEqual(Array.from(whole.ids(k)));
      expect(series.moments[k].time).toBe(Date.UTC(2026, 10, 30, 1, k));
    }
    expect(series.moments[1].capture.meminfo.find((e) => e.key === 'VmallocUsed')?.value).toBe(12345);
  });

  it('leaves the series as it was and says why when a frame is damaged, cut, repeated or does not follow', () => {
    const one = recordingToSeries(decodeRecording(bytes.subarray(0, ends[1]))).series!;
    const bad = frame(2).slice();
    bad[bad.length - 3] ^= 0x55;
    expect(appendFrame(one, bad)).toMatchObject({ problem: expect.stringMatching(/moment 3/) });
    expect(appendFrame(one, frame(2).subarray(0, 20))).toMatchObject({ problem: expect.stringMatching(/not one whole frame/) });
    expect(appendFrame(one, concatFrames(frame(2), frame(3)))).toMatchObject({ problem: expect.stringMatching(/not one whole frame/) });
    // The frame already in the series, or one two moments ahead, names ids it does not follow.
    expect(appendFrame(one, frame(1))).toHaveProperty('problem');
    expect(appendFrame(one, frame(3))).toHaveProperty('problem');
    expect(one.count).toBe(2);
  });

  it('appends the 101st moment of a recording without reading the 100 before it again (timed)', () => {
    const day = generateDay({ moments: 101, areas: 3000 });
    const rec = record(day.map((d, k) => ({ time: k * 60000, text: d.dump })));
    const hundred = recordingToSeries(decodeRecording(rec.bytes.subarray(0, rec.ends[99]))).series!;
    const last = rec.bytes.subarray(rec.ends[99], rec.ends[100]);
    const t0 = performance.now();
    const whole = recordingToSeries(decodeRecording(rec.bytes)).series!;
    const rereadMs = performance.now() - t0;
    const runs = 20;
    const t1 = performance.now();
    let got: ReturnType<typeof appendFrame> = { problem: '' };
    for (let r = 0; r < runs; r++) got = appendFrame(hundred, last);
    const appendMs = (performance.now() - t1) / runs;
    if ('problem' in got) throw new Error(got.problem);
    expect(got.series.count).toBe(101);
    expect(got.series.snapshot(100).count).toBe(whole.snapshot(100).count);
    console.log(`append one moment to a 100-moment recording: ${appendMs.toFixed(2)} ms; reading all 101 again: ${rereadMs.toFixed(1)} ms`);
    expect(appendMs).toBeLessThan(rereadMs);
  });
});

function concatFrames(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
