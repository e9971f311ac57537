import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STAMP, parseStamp, zoneOffsetMinutes } from './stamps.ts';

// Epoch milliseconds of a UTC wall-clock time (month 1-based), written out so that no test
// depends on the clock or zone of the machine running it.
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);
const HOUR = 3_600_000;
const T = utc(2026, 11, 30, 0, 40, 27);

// [line as `date` and friends print it, epoch ms, zone as written]
const DATED: [string, number, string | null][] = [
  // date, date -u, LC_TIME=C: "%a %b %e %H:%M:%S %Z %Y"
  ['Mon Nov 30 00:40:27 UTC 2026', T, 'UTC'],
  ['Mon Nov  2 00:40:27 UTC 2026', utc(2026, 11, 2, 0, 40, 27), 'UTC'],
  ['Mon Nov 30 00:40:27 GMT 2026', T, 'GMT'],
  ['Mon Nov 30 01:40:27 CET 2026', T, 'CET'],
  ['Sun Nov 29 19:40:27 EST 2026', T, 'EST'],
  ['Sun Nov 29 16:40:27 PST 2026', T, 'PST'],
  ['Mon Nov 30 06:10:27 IST 2026', T, 'IST'],
  ['Mon Nov 30 09:40:27 JST 2026', T, 'JST'],
  ['Sun Nov 29 21:40:27 -03 2026', T, '-03'],
  ['Mon Nov 30 00:40:27 2026', T, null],
  // en_US, glibc ≥ 2.29: "%a %b %e %r %Z %Y"; older: "%a %d %b %Y %r %Z"
  ['Mon Nov 30 12:40:27 AM UTC 2026', T, 'UTC'],
  ['Mon Nov 30 12:40:27 PM UTC 2026', T + 12 * HOUR, 'UTC'],
  ['Mon 30 Nov 2026 12:40:27 AM UTC', T, 'UTC'],
  ['Mon 30 Nov 2026 01:40:27 PM CET', T + 12 * HOUR, 'CET'],
  // en_GB, de_DE, fr_FR, es_ES, it_IT, pl_PL, ru_RU, nl_NL, ja_JP, zh_CN (glibc's date_fmt)
  ['Mon 30 Nov 00:40:27 UTC 2026', T, 'UTC'],
  ['Mo 30. Nov 01:40:27 CET 2026', T, 'CET'],
  ['Di 31. Mär 10:00:00 CEST 2026', utc(2026, 3, 31, 8), 'CEST'],
  ['lun. 30 nov. 2026 00:40:27 UTC', T, 'UTC'],
  ['mar. 31 mars 2026 10:00:00 UTC', utc(2026, 3, 31, 10), 'UTC'],
  ['lun 30 nov 2026 00:40:27 UTC', T, 'UTC'],
  ['mar 31 mar 2026 10:00:00 UTC', utc(2026, 3, 31, 10), 'UTC'],
  ['lun 30 nov 2026, 00:40:27, UTC', T, 'UTC'],
  ['pon, 30 lis 2026, 00:40:27 UTC', T, 'UTC'],
  ['Пн 30 ноя 2026 00:40:27 UTC', T, 'UTC'],
  ['ma 30 nov 2026  0:40:27 UTC', T, 'UTC'],
  ['2026年 11月 30日 月曜日 09:40:27 JST', T, 'JST'],
  ['2026年  1月  5日 月曜日 09:00:00 JST', utc(2026, 1, 5), 'JST'],
  ['2026年 11月 30日 星期一 00:40:27 UTC', T, 'UTC'],
  // date -Is, -Ins, -Iminutes, --rfc-3339, date '+%F %T'
  ['2026-11-30T00:59:06+00:00', utc(2026, 11, 30, 0, 59, 6), '+00:00'],
  ['2026-11-30T01:59:06+01:00', utc(2026, 11, 30, 0, 59, 6), '+01:00'],
  ['2026-11-29T19:59:06-0500', utc(2026, 11, 30, 0, 59, 6), '-0500'],
  ['2026-11-30T00:59:06,123456789+00:00', utc(2026, 11, 30, 0, 59, 6, 123), '+00:00'],
  ['2026-11-30 00:59:06.5Z', utc(2026, 11, 30, 0, 59, 6, 500), 'Z'],
  ['2026-11-30T00:59:06Z', utc(2026, 11, 30, 0, 59, 6), 'Z'],
  ['2026-11-30T00:40+00:00', utc(2026, 11, 30, 0, 40), '+00:00'],
  ['2026-11-30 00:40:27+05:30', T - 5.5 * HOUR, '+05:30'],
  ['2026-11-30 00:40:27', T, null],
  ['2026-11-30 00:40:27 UTC', T, 'UTC'],
  ['2026-11-30', utc(2026, 11, 30), null],
  // date -R
  ['Mon, 30 Nov 2026 00:40:27 +0000', T, '+0000'],
  ['Mon, 30 Nov 2026 01:40:27 +0100', T, '+0100'],
  // date +%s, +%s.%N; milliseconds
  [String(T / 1000), T, 'UTC'],
  [`${T / 1000}.123456789`, T + 123, 'UTC'],
  [String(T + 7), T + 7, 'UTC'],
  [`${T + 7}123`, T + 7, 'UTC'],
  [`${T + 7}123456`, T + 7, 'UTC'], // date +%s%N
  ['20261130004027', T, null], // date +%Y%m%d%H%M%S
  ['20261130T004027Z', T, 'Z'],
  // banners with a time in them
  ['=== 2026-11-30T00:40:27+00:00 ===', T, '+00:00'],
  ['==== Mon Nov 30 00:40:27 UTC 2026 ====', T, 'UTC'],
  ['--- 2026-11-30 00:40:27 ---', T, null],
  ['### vmallocinfo at Mon Nov 30 00:40:27 UTC 2026 (round 3) ###', T, 'UTC'],
  [`=== ${T / 1000} ===`, T, 'UTC'],
  ['======== 2026-11-30T00:40:27Z', T, 'Z'],
];

describe('parseStamp', () => {
  it.each(DATED)('reads %j as its time and zone', (line, ms, zone) => {
    expect(parseStamp(line)).toEqual({ ms, zone, text: line.trim() });
  });

  it('reads a stamp line ended by CRLF or padded with spaces', () => {
    expect(parseStamp('  Mon Nov 30 00:40:27 UTC 2026\r')).toEqual({ ms: T, zone: 'UTC', text: 'Mon Nov 30 00:40:27 UTC 2026' });
  });

  it('reads a banner with no time in it as a stamp without a time', () => {
    for (const line of ['--- round 3 ---', '=====', '### vmallocinfo ###', '=== before the test', '-------']) {
      expect(parseStamp(line)).toEqual({ ms: null, zone: null, text: line });
    }
  });

  it('reads an unknown zone abbreviation as UTC and keeps it so the reader can be told', () => {
    expect(parseStamp('Mon Nov 30 00:40:27 XYZT 2026')).toEqual({ ms: T, zone: 'XYZT', text: 'Mon Nov 30 00:40:27 XYZT 2026' });
    expect(zoneOffsetMinutes('XYZT')).toBeNull();
    expect(zoneOffsetMinutes('CEST')).toBe(120);
    expect(zoneOffsetMinutes('+05:30')).toBe(330);
    expect(zoneOffsetMinutes('-0800')).toBe(-480);
    expect(zoneOffsetMinutes('Z')).toBe(0);
  });

  it('does not take area, meminfo, modules, prompt or wrapped lines for stamps', () => {
    const lines = [
      '0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xd1/0x110 pages=4 vmalloc',
      '0x0000000082084932-0x00000000483b3472    8192 unpurged vm_area',
      'MemTotal:         983472 kB',
      'HugePages_Total:       0',
      'VmallocTotal:   34359738367 kB',
      'crc16 16384 1 ext4, Live 0xffffffffc0a7f000',
      'e1000 155648 0 - Live 0xffffffffc0400000 (E)',
      '98400 alloc_large_system_hash+0x17a/0x23',
      '8 pages=1024 vmalloc vpages N0=1024',
      'pages=1 vmalloc N0=1',
      '16781312',
      '176446322', // 9 digits
      '17644632271', // 11 digits
      '20261330004027', // 14 digits, but no 13th month
      '1764463227 kB',
      'Total: 1764463227',
      'Nov 30 00:40:27', // syslog: no year
      'Nov 30 00:40:27 host kernel: vmap allocation for size 8192 failed',
      "------ 0.011s was the duration of 'VMALLOC INFO' ------".slice(7),
      '# cat /proc/vmallocinfo',
      'root@host:~# date',
      'user@host:~$ while :; do date; cat /proc/vmallocinfo; sleep 60; done',
      'cat: /proc/vmallocinfo: Permission denied',
      '--',
      '',
      '   ',
      'Mon Nov 31 00:40:27 UTC 2026', // no 31 November
      'Sun Feb 29 00:40:27 UTC 2026', // not a leap year
      'Mon Nov 30 25:40:27 UTC 2026',
      'Mon Nov 30 13:40:27 PM UTC 2026',
      'Mon Nov 30 00:40:27 UTC 2026 Mon Nov 30 00:40:27 UTC 2026',
      '2026-11-30T00:40:27+99:00',
      '2026-13-01T00:00:00Z',
    ];
    for (const line of lines) expect(parseStamp(line), line).toBeNull();
  });

  it('does not look at lines longer than MAX_STAMP characters, however they end', () => {
    expect(parseStamp(`=== ${'x'.repeat(MAX_STAMP)} 2026-11-30T00:40:27Z ===`)).toBeNull();
    const started = performance.now();
    expect(parseStamp(`${' '.repeat(10_000_000)}Mon Nov 30 00:40:27 UTC 2026`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('never throws on any text, and returns null or a stamp with a finite time or none', () => {
    const dateish = fc.constantFrom('Mon', 'Nov', '30', '30.', '2026', '00:40:27', 'UTC', 'AM', 'PM', 'CET', '+0100', '===', '---', '###', 'mar', '年', '月', '日', '2026-11-30', 'T', '1764463227', ',', ' ', '\r', '0x');
    const lines = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.array(dateish, { maxLength: 14 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(lines, (line) => {
        const stamp = parseStamp(line);
        if (stamp === null) return;
        expect(stamp.text).toBe(line.trim());
        if (stamp.ms !== null) expect(Number.isFinite(stamp.ms)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
