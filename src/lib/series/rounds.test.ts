import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDump } from '../input/read.ts';
import { fixture, fixtures, SAMPLES_DIR } from '../testing/fixtures.ts';
import { splitRounds } from './rounds.ts';
import type { Round } from './rounds.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytesOf = (s: string) => enc.encode(s);
const textOf = (r: Round) => dec.decode(r.bytes);
/** Lines whose first non-blank characters are `0x`, by plain string splitting. */
const areaLinesOf = (s: string) => s.split('\n').filter((l) => /^[ \t]*0[xX]/.test(l));

const AREA = (k: number) => `0x${(0xffffc90000000000n + BigInt(k) * 0x5000n).toString(16)}-0x${(0xffffc90000005000n + BigInt(k) * 0x5000n).toString(16)}   20480 kernel_clone+0xb8/0x400 pages=4 vmalloc N0=4`;

describe('splitRounds on the real series (6.18, hashed, date -Is before each dump)', () => {
  const raw = gunzipSync(readFileSync(`${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`));
  const text = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const lines = dec.decode(text).split('\n');
  // The stamp lines, read independently: every line that is not an area line or blank.
  const stampLines = lines.flatMap((l, k) => (l.startsWith('0x') || l === '' ? [] : [k]));
  const { rounds, emptyRounds } = splitRounds(text);

  it('finds one round per date -Is line and none empty', () => {
    expect(stampLines.length).toBe(30);
    expect(rounds.length).toBe(stampLines.length);
    expect(emptyRounds).toEqual([]);
  });

  it('gives each round the time and zone of its stamp line, and its line number', () => {
    rounds.forEach((r, k) => {
      const stampText = lines[stampLines[k]];
      expect(r.line).toBe(stampLines[k] + 1);
      expect(r.bodyLine).toBe(stampLines[k] + 2);
      expect(r.stamp).toEqual({ ms: Date.parse(stampText), zone: '+00:00', text: stampText });
    });
    expect(new Date(rounds[0].stamp?.ms ?? 0).toISOString()).toBe('2026-11-30T00:59:06.000Z');
  });

  it('puts in each round exactly the area lines between its stamp and the next', () => {
    rounds.forEach((r, k) => {
      const between = lines.slice(stampLines[k] + 1, k + 1 < stampLines.length ? stampLines[k + 1] : lines.length);
      const expected = between.filter((l) => l.startsWith('0x'));
      expect(r.areaLines).toBe(expected.length);
      expect(areaLinesOf(textOf(r))).toEqual(expected);
      expect(lines[r.bodyLine - 1]).toBe(textOf(r).split('\n')[0]);
    });
    expect(rounds.reduce((s, r) => s + r.areaLines, 0)).toBe(lines.filter((l) => l.startsWith('0x')).length);
  });

  it('gives each round bytes the scanner reads as exactly its area lines', () => {
    for (const r of rounds) {
      const parsed = parseDump(r.bytes);
      expect(parsed.snapshot.count).toBe(r.areaLines);
    }
  });

  it('hands out subarrays of the input, not copies', () => {
    for (const r of rounds) expect(r.bytes.buffer).toBe(text.buffer);
  });
});

describe('splitRounds on single real dumps', () => {
  it('finds no stamp in any real capture, with or without its meminfo and modules appended', () => {
    for (const f of fixtures()) {
      const base = f.path.replace(/\.vmallocinfo$/, '');
      let text = f.text;
      for (const ext of ['.meminfo', '.modules']) {
        try {
          text += fixture(base + ext);
        } catch {
          // not every capture has its companions
        }
      }
      const bytes = bytesOf(text);
      const { rounds, emptyRounds } = splitRounds(bytes);
      expect(rounds, f.path).toEqual([{ stamp: null, bytes, line: 1, bodyLine: 1, areaLines: areaLinesOf(text).length }]);
      expect(emptyRounds).toEqual([]);
    }
  });
});

describe('splitRounds', () => {
  it('reads a text with no stamp as one round of all its bytes, as a single dump always was', () => {
    const text = bytesOf(`${AREA(0)}\n${AREA(1)}\nMemTotal:         983472 kB\n`);
    const { rounds, emptyRounds } = splitRounds(text);
    expect(rounds).toEqual([{ stamp: null, bytes: text, line: 1, bodyLine: 1, areaLines: 2 }]);
    expect(emptyRounds).toEqual([]);
    expect(splitRounds(new Uint8Array(0)).rounds).toEqual([{ stamp: null, bytes: new Uint8Array(0), line: 1, bodyLine: 1, areaLines: 0 }]);
  });

  it('keeps each round’s /proc/meminfo and /proc/modules lines with it', () => {
    const log = [
      'Mon Nov 30 00:40:27 UTC 2026',
      AREA(0),
      'MemTotal:         983472 kB',
      'VmallocUsed:       12345 kB',
      'crc16 16384 1 ext4, Live 0xffffffffc0a7f000',
      'Mon Nov 30 00:41:27 UTC 2026',
      AREA(0),
      AREA(1),
      'MemTotal:         983472 kB',
      'VmallocUsed:       12365 kB',
      '',
    ].join('\n');
    const { rounds } = splitRounds(bytesOf(log));
    expect(rounds.map((r) => r.stamp?.ms)).toEqual([Date.UTC(2026, 10, 30, 0, 40, 27), Date.UTC(2026, 10, 30, 0, 41, 27)]);
    expect(rounds.map(textOf)).toEqual([
      `${AREA(0)}\nMemTotal:         983472 kB\nVmallocUsed:       12345 kB\ncrc16 16384 1 ext4, Live 0xffffffffc0a7f000\n`,
      `${AREA(0)}\n${AREA(1)}\nMemTotal:         983472 kB\nVmallocUsed:       12365 kB\n`,
    ]);
    expect(rounds.map((r) => [r.line, r.bodyLine, r.areaLines])).toEqual([[1, 2, 1], [6, 7, 2]]);
  });

  it('makes the area lines before the first stamp a round of their own, and drops a preamble without any', () => {
    const withAreas = splitRounds(bytesOf(`${AREA(0)}\n1796006427\n${AREA(1)}\n`)).rounds;
    expect(withAreas.map((r) => [r.stamp?.ms ?? null, r.line, textOf(r)])).toEqual([
      [null, 1, `${AREA(0)}\n`],
      [1796006427000, 2, `${AREA(1)}\n`],
    ]);
    const preamble = splitRounds(bytesOf(`$ while :; do date +%s; cat /proc/vmallocinfo; sleep 60; done\n1796006427\n${AREA(1)}\n`));
    expect(preamble.rounds.map((r) => [r.line, textOf(r)])).toEqual([[2, `${AREA(1)}\n`]]);
    expect(preamble.emptyRounds).toEqual([]);
  });

  it('drops a stamp with no dump after it (an interrupted loop, a failed cat) and lists it', () => {
    const log = `1796006427\n${AREA(0)}\n1796006487\ncat: /proc/vmallocinfo: Permission denied\n1796006547\n${AREA(0)}\n1796006607\n`;
    const { rounds, emptyRounds } = splitRounds(bytesOf(log));
    expect(rounds.map((r) => [r.line, r.stamp?.ms])).toEqual([[1, 1796006427000], [5, 1796006547000]]);
    expect(emptyRounds).toEqual([
      { line: 3, stamp: { ms: 1796006487000, zone: 'UTC', text: '1796006487' } },
      { line: 7, stamp: { ms: 1796006607000, zone: 'UTC', text: '1796006607' } },
    ]);
  });

  it('reads rules and banners around a date line as one header with the date’s time', () => {
    const log = [
      '==========',
      'Mon Nov 30 00:40:27 UTC 2026',
      '==========',
      AREA(0),
      '=== round 2 ===',
      '',
      '2026-11-30T00:41:27+00:00',
      AREA(1),
      '--- no time here ---',
      AREA(2),
    ].join('\n');
    const { rounds, emptyRounds } = splitRounds(bytesOf(log));
    expect(rounds.map((r) => [r.line, r.bodyLine, r.stamp?.ms ?? null, r.stamp?.text, textOf(r)])).toEqual([
      [1, 4, Date.UTC(2026, 10, 30, 0, 40, 27), 'Mon Nov 30 00:40:27 UTC 2026', `${AREA(0)}\n`],
      [5, 8, Date.UTC(2026, 10, 30, 0, 41, 27), '2026-11-30T00:41:27+00:00', `${AREA(1)}\n`],
      [9, 10, null, '--- no time here ---', AREA(2)],
    ]);
    expect(emptyRounds).toEqual([]);
  });

  it('keeps a titled meminfo section after a round’s areas in that round', () => {
    const log = ['=== Mon Nov 30 00:40:27 UTC 2026 ===', AREA(0), '=== meminfo ===', 'MemTotal:         983472 kB', '=== Mon Nov 30 00:41:27 UTC 2026 ===', AREA(1), '=== meminfo ===', 'MemTotal:         983472 kB', ''].join('\n');
    const { rounds, emptyRounds } = splitRounds(bytesOf(log));
    expect(rounds.map((r) => [r.line, r.stamp?.ms, textOf(r)])).toEqual([
      [1, Date.UTC(2026, 10, 30, 0, 40, 27), `${AREA(0)}\n=== meminfo ===\nMemTotal:         983472 kB\n`],
      [5, Date.UTC(2026, 10, 30, 0, 41, 27), `${AREA(1)}\n=== meminfo ===\nMemTotal:         983472 kB\n`],
    ]);
    expect(emptyRounds).toEqual([]);
    expect(parseDump(rounds[0].bytes).capture.meminfo.map((m) => m.key)).toEqual(['MemTotal']);
  });

  it('drops a title between two rules without calling it an empty round', () => {
    const { rounds, emptyRounds } = splitRounds(bytesOf(['==========', 'vmallocinfo, host a', '==========', AREA(0), ''].join('\n')));
    expect(rounds.map((r) => [r.line, r.stamp, textOf(r)])).toEqual([[3, { ms: null, zone: null, text: '==========' }, `${AREA(0)}\n`]]);
    expect(emptyRounds).toEqual([]);
  });

  it('reads a stamped text with no area line at all as one round, as before', () => {
    const text = bytesOf('Mon Nov 30 00:40:27 UTC 2026\nMemTotal:         983472 kB\n');
    expect(splitRounds(text)).toEqual({ rounds: [{ stamp: null, bytes: text, line: 1, bodyLine: 1, areaLines: 0 }], emptyRounds: [] });
  });

  it('reads stamps ended by CRLF and area lines indented by blanks', () => {
    const { rounds } = splitRounds(bytesOf(`Mon Nov 30 00:40:27 UTC 2026\r\n  ${AREA(0)}\r\nMon Nov 30 00:41:27 UTC 2026\r\n\t${AREA(1)}\r\n`));
    expect(rounds.map((r) => [r.stamp?.text, r.areaLines])).toEqual([['Mon Nov 30 00:40:27 UTC 2026', 1], ['Mon Nov 30 00:41:27 UTC 2026', 1]]);
  });

  it('never throws on any bytes, and every area line is in exactly one round, in order', () => {
    const piece = fc.oneof(
      fc.nat(50).map(AREA),
      fc.constantFrom('Mon Nov 30 00:40:27 UTC 2026', '2026-11-30T00:59:06+00:00', '1796006427', '=====', '--- round ---', '', 'MemTotal:  1 kB', 'crc16 16384 1 ext4, Live 0xffffffffc0a7f000', '  0x0-0x0 8192 vm_map_ram', '0x', '\r'),
      fc.string({ maxLength: 40 }),
    );
    const logs = fc.array(piece, { maxLength: 40 }).map((ls) => bytesOf(ls.join('\n')));
    const junk = fc.uint8Array({ maxLength: 600 });
    fc.assert(
      fc.property(fc.oneof(logs, junk), (text) => {
        const { rounds } = splitRounds(text);
        expect(rounds.length).toBeGreaterThan(0);
        // latin1 keeps one character per byte, so lines compare byte for byte.
        const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
        const expected = areaLinesOf(latin1(text));
        const got = rounds.flatMap((r) => areaLinesOf(latin1(r.bytes)));
        expect(got).toEqual(expected);
        expect(rounds.reduce((s, r) => s + r.areaLines, 0)).toBe(expected.length);
        // Rounds are disjoint pieces of the input, in order.
        let at = 0;
        for (const r of rounds) {
          expect(r.bytes.byteOffset - text.byteOffset).toBeGreaterThanOrEqual(at);
          at = r.bytes.byteOffset - text.byteOffset + r.bytes.length;
        }
        expect(at).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});
