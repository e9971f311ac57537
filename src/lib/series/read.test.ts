import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDump } from '../input/read.ts';
import { SAMPLES_DIR, fixture } from '../testing/fixtures.ts';
import { generateDay } from '../testing/day.ts';
import { Recorder, encodeHeader } from './recording.ts';
import { readSeries } from './read.ts';

const enc = new TextEncoder();
const INFO = { created: 0, zoneMinutes: 0, pageSize: 4096, host: 'test', kernel: '6.18.0', machine: 'x86_64', bootId: '', tool: 'test' };
const REAL = `${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`;

/** Stamps and area lines per round, counted with plain string work. */
function roundsOf(text: string): { stamp: string; areas: number; bytes: number }[] {
  const out: { stamp: string; areas: number; bytes: number }[] = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(line)) out.push({ stamp: line, areas: 0, bytes: 0 });
    else if (line.startsWith('0x')) {
      out[out.length - 1].areas++;
      out[out.length - 1].bytes += Number(line.split(/\s+/)[1]);
    }
  }
  return out;
}

function series(result: ReturnType<typeof readSeries>) {
  if (result.kind !== 'series') throw new Error(`expected a series, got ${result.kind}`);
  return result;
}

describe('reading inputs as a dump or a series', () => {
  it('reads the real shell-loop log as one moment per stamp, with each stamp’s time and areas', () => {
    const bytes = gunzipSync(readFileSync(REAL));
    const want = roundsOf(bytes.toString('utf8'));
    const { series: s, how } = series(readSeries([{ name: 'vm.log', bytes, mtime: null }]));
    expect(s.count).toBe(want.length);
    expect(how).toContain(`${want.length} moments`);
    for (let i = 0; i < want.length; i++) {
      expect(s.moments[i].time).toBe(Date.parse(want[i].stamp));
      expect(s.moments[i].label).toBe(want[i].stamp);
      const snap = s.snapshot(i);
      expect(snap.count).toBe(want[i].areas);
      let total = 0;
      for (let k = 0; k < snap.count; k++) total += snap.columns.size[k];
      expect(total).toBe(want[i].bytes);
    }
  });

  it('keeps a dump without stamps one moment, read as before', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const r = readSeries([{ name: 'boot', bytes: enc.encode(text), mtime: null }]);
    expect(r.kind).toBe('single');
    if (r.kind === 'single') expect(r.parsed.snapshot.count).toBe(text.split('\n').filter((l) => l.startsWith('0x')).length);
  });

  it('attaches each round’s /proc/meminfo to its moment, with line numbers of the whole log', () => {
    const dump = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const meminfo = fixture('kernels/x86_64-6.1.0-56-boot-raw.meminfo');
    const bad = '0xffffc90000000000-0xffffc9000000 12 garbage\n';
    const log = `Mon Nov 30 00:40:27 UTC 2026\n${dump}${meminfo}Mon Nov 30 00:41:27 UTC 2026\n${bad}${dump}`;
    const s = series(readSeries([{ name: 'log', bytes: enc.encode(log), mtime: null }])).series;
    expect(s.count).toBe(2);
    expect(s.moments[0].capture.meminfo.length).toBe(meminfo.split('\n').filter((l) => /^\w[\w()]*:\s/.test(l)).length);
    expect(s.moments[1].capture.meminfo.length).toBe(0);
    expect(s.moments[1].time! - s.moments[0].time!).toBe(60_000);
    const badLine = log.split('\n').indexOf(bad.trimEnd()) + 1;
    expect(s.moments[1].diagnostics.map((d) => d.line)).toContain(badLine);
    expect(s.moments[0].diagnostics.length).toBe(0);
  });

  it('orders several files by the time in their names, not the order given, and says so', () => {
    const names = ['vmallocinfo-1796000500.txt', 'vmallocinfo-1796000100.txt', 'vmallocinfo-1796000300.txt'];
    const texts = ['boot', 'after-insmod', 'after-rmmod'].map((s) => fixture(`kernels/x86_64-6.1.0-56-${s}-raw.vmallocinfo`));
    const r = series(readSeries(names.map((name, k) => ({ name, bytes: enc.encode(texts[k]), mtime: null }))));
    expect(r.series.moments.map((m) => m.source)).toEqual([names[1], names[2], names[0]]);
    expect(r.series.moments.map((m) => m.time)).toEqual([1796000100000, 1796000300000, 1796000500000]);
    expect(r.how).toMatch(/name/);
    expect(r.series.snapshot(0).count).toBe(texts[1].split('\n').filter((l) => l.startsWith('0x')).length);
  });

  it('opens a recording by its magic, whatever its name, with every moment it holds', () => {
    const day = generateDay({ moments: 12, areas: 300, seed: 5 });
    const rec = new Recorder();
    const parts = [encodeHeader(INFO)];
    for (const m of day) parts.push(rec.take({ time: m.time, vmallocinfo: enc.encode(m.dump) }).frame);
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const s = series(readSeries([{ name: 'whatever.txt', bytes, mtime: null }])).series;
    expect(s.count).toBe(12);
    expect(s.moments.map((m) => m.time)).toEqual(day.map((m) => m.time));
    for (let i = 0; i < 12; i++) expect(s.snapshot(i).count).toBe(day[i].dump.split('\n').filter((l) => l.startsWith('0x')).length);
  });

  it('says why when a recording holds no complete moment', () => {
    const r = readSeries([{ name: 'empty.vmscope-rec', bytes: encodeHeader(INFO), mtime: null }]);
    expect(r.kind).toBe('none');
    if (r.kind === 'none') expect(r.message).toMatch(/recording/);
  });

  it('leaves out a stamp with no dump after it, and says so', () => {
    const dump = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const log = `1796000100\n${dump}1796000160\n${dump}1796000220\n`;
    const r = series(readSeries([{ name: 'log', bytes: enc.encode(log), mtime: null }]));
    expect(r.series.count).toBe(2);
    expect(r.notes.join(' ')).toMatch(/no area line/);
  });
});

describe('several files where one is not a dump', () => {
  it('leaves the file with no area line out, names it, and keeps every good moment', () => {
    const texts = ['boot', 'after-insmod'].map((s) => fixture(`kernels/x86_64-6.1.0-56-${s}-raw.vmallocinfo`));
    const inputs = [
      { name: 'a-1.txt', bytes: enc.encode(texts[0]), mtime: null },
      { name: 'notes.txt', bytes: enc.encode('MemTotal:  983472 kB\nhello\n'), mtime: null },
      { name: 'a-2.txt', bytes: enc.encode(texts[1]), mtime: null },
    ];
    const r = series(readSeries(inputs));
    expect(r.series.count).toBe(2);
    expect(r.series.moments.map((m) => m.source)).toEqual(['a-1.txt', 'a-2.txt']);
    expect(r.notes.join(' ')).toMatch(/notes\.txt/);
  });

  it('reads the one dump among them as a single dump, and says what was left out', () => {
    const text = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const r = readSeries([
      { name: 'dump.txt', bytes: enc.encode(text), mtime: null },
      { name: 'junk.bin', bytes: Uint8Array.of(0, 1, 2, 255, 254), mtime: null },
    ]);
    expect(r.kind).toBe('single');
    if (r.kind === 'single') {
      expect(r.parsed.snapshot.count).toBe(text.split('\n').filter((l) => l.startsWith('0x')).length);
      expect(r.notes.join(' ')).toMatch(/junk\.bin/);
    }
  });
});

describe('progress while a long log is read', () => {
  it('is told as the rounds are parsed, rising to the end', () => {
    const one = gunzipSync(readFileSync(REAL));
    const bytes = Buffer.concat([one, one, one, one]);
    const heard: number[] = [];
    expect(series(readSeries([{ name: 'vm.log', bytes, mtime: null }], (f) => heard.push(f))).series.count).toBe(4 * roundsOf(one.toString('utf8')).length);
    // 22.4 MiB in rounds of ~200 KiB: told once past each 4 MiB
    expect(heard.length).toBe(Math.floor(bytes.length / (4 << 20)));
    for (let k = 1; k < heard.length; k++) expect(heard[k]).toBeGreaterThan(heard[k - 1]);
    expect(heard.every((f) => f > 0 && f <= 1)).toBe(true);
  });
});

describe('readSeries on hostile input', () => {
  const real = gunzipSync(readFileSync(REAL)).subarray(0, 60_000);
  const stampish = fc.constantFrom('2026-11-30T00:59:06+00:00\n', 'Mon Nov 30 00:40:27 UTC 2026\n', '1796000100\n', '=== round ===\n', '----\n', 'MemTotal: 1 kB\n', '\n');
  // Whole lines: a line cut short just before a stamp would be joined to it as a wrapped area line
  // when the input is parsed whole, while the series rightly reads the stamp as a stamp.
  const lines = (b: Uint8Array) => {
    const start = b.indexOf(10) + 1;
    const end = b.lastIndexOf(10) + 1;
    return start > 0 && end > start ? b.subarray(start, end) : new Uint8Array(0);
  };
  const piece = fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([...b, 10])),
    stampish.map((s) => enc.encode(s)),
    fc.integer({ min: 0, max: real.length - 1 }).map((at) => lines(real.subarray(at, at + 600))),
  );

  it('never throws and keeps every area line of each input, whatever the bytes and how many inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), (files) => {
        const inputs = files.map((pieces, k) => {
          const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of pieces) {
            bytes.set(p, at);
            at += p.length;
          }
          return { name: `f${k}.txt`, bytes, mtime: null };
        });
        const r = readSeries(inputs);
        if (r.kind === 'none') return;
        // Areas read by parsing each input whole: a series (or one dump) holds as many in all.
        const whole = inputs.reduce((n, x) => n + parseDump(x.bytes).snapshot.count, 0);
        if (r.kind === 'single') expect(r.parsed.snapshot.count).toBe(whole);
        else {
          let total = 0;
          for (let i = 0; i < r.series.count; i++) total += r.series.snapshot(i).count;
          expect(total).toBe(whole);
        }
      }),
      { numRuns: 150 },
    );
  });
});
