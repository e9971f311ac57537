import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, fixtures, readIndependently } from '../testing/fixtures.ts';
import { parseDump } from './read.ts';
import { decodeText, sniffUtf16 } from './text.ts';

// Every transformation below is made with Node's own encoders (Buffer, string replace), not with
// the code under test; the expected areas come from the awk-like reading in testing/fixtures.ts.

const X86 = 'kernels/x86_64-6.1.0-56-boot-raw';
const dump = fixture(`${X86}.vmallocinfo`);
const expected = readIndependently(dump);
const areaLines = (s: ReturnType<typeof parseDump>['snapshot']) => Array.from({ length: s.count }, (_, i) => s.area(i).line);

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('reading what other tools wrote', () => {
  const variants: Array<[string, Buffer, RegExp]> = [
    ['UTF-16LE with a byte-order mark (Windows PowerShell 5 >), CRLF', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(dump.replace(/\n/g, '\r\n'), 'utf16le')]), /read as UTF-16LE with a byte-order mark/],
    ['UTF-16LE without a byte-order mark', Buffer.from(dump, 'utf16le'), /read as UTF-16LE without a byte-order mark/],
    ['UTF-16BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(dump)]), /read as UTF-16BE with a byte-order mark/],
    ['UTF-16BE without a byte-order mark', utf16be(dump), /read as UTF-16BE without a byte-order mark/],
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(dump)]), /skipped a UTF-8 byte-order mark/],
    ['CR-only line ends', Buffer.from(dump.replace(/\n/g, '\r')), new RegExp(`read ${expected.lines} CR-only line ends`)],
  ];
  for (const [what, bytes, note] of variants) {
    it(`reads ${what} as the same areas, with a note and no diagnostic`, () => {
      const { snapshot, notes } = parseDump(bytes);
      expect(snapshot.count).toBe(expected.areas.length);
      expect(areaLines(snapshot)).toEqual(expected.areas.map((a) => a.line));
      expect(snapshot.diagnosticCount).toBe(0);
      expect(snapshot.area(3).size).toBe(expected.areas[3].size);
      expect(notes).toEqual([expect.stringMatching(note)]);
    });
  }

  it('reads plain UTF-8 with LF or CRLF line ends without a note', () => {
    for (const text of [dump, dump.replace(/\n/g, '\r\n')]) {
      const { snapshot, notes } = parseDump(Buffer.from(text));
      expect([snapshot.count, snapshot.diagnosticCount, notes]).toEqual([expected.areas.length, 0, []]);
    }
  });

  it('reads a file whose halves end lines differently (LF, then CR only) and keeps CR CR LF as one line end', () => {
    const lines = dump.trimEnd().split('\n');
    const half = lines.length >> 1;
    const text = lines.slice(0, half).join('\n') + '\n' + lines.slice(half).join('\r') + '\r\r\n';
    const { snapshot } = parseDump(Buffer.from(text));
    expect(areaLines(snapshot)).toEqual(expected.areas.map((a) => a.line));
    expect(decodeText(Buffer.from('a\r\r\nb\r\n')).crLineEnds).toBe(0);
  });

  it('does not take binary data or ordinary text for UTF-16', () => {
    expect(sniffUtf16(Buffer.from(dump))).toBeNull();
    expect(sniffUtf16(new Uint8Array(4096))).toBeNull();
    expect(sniffUtf16(Uint8Array.from({ length: 4096 }, (_, k) => (k * 7919) & 0xff))).toBeNull();
  });

  it('gives every real capture the same snapshot in UTF-16LE as in UTF-8', () => {
    for (const f of fixtures()) {
      const a = parseDump(Buffer.from(f.text)).snapshot;
      const b = parseDump(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(f.text, 'utf16le')])).snapshot;
      expect(b.facts(), f.path).toEqual(a.facts());
      expect([...b.areas()], f.path).toEqual([...a.areas()]);
    }
  });
});

describe('combined captures', () => {
  const meminfo = fixture(`${X86}.meminfo`);
  const modules = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');

  it('sets aside /proc/meminfo and /proc/modules after the dump, and a shell prompt before it', () => {
    const text = 'user@host:~$ sudo cat /proc/vmallocinfo /proc/meminfo /proc/modules\n' + dump + meminfo + modules;
    const { snapshot, capture, notes } = parseDump(Buffer.from(text));
    expect(areaLines(snapshot)).toEqual(expected.areas.map((a) => a.line + 1));
    expect(snapshot.diagnosticCount).toBe(0);
    expect(capture.meminfo.length).toBe(meminfo.trim().split('\n').length);
    expect(capture.modules.map((m) => m.name)).toEqual(modules.trim().split('\n').map((l) => l.split(' ')[0]));
    expect(notes).toEqual(['skipped a shell prompt on line 1', expect.stringMatching(/^also found: \/proc\/meminfo \(\d+ lines\), \/proc\/modules \(\d+ lines\)$/)]);
  });

  it('reads the same combined capture in UTF-16LE, as PowerShell would save it', () => {
    const text = dump + meminfo + modules;
    const a = parseDump(Buffer.from(text));
    const b = parseDump(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]));
    expect(b.snapshot.facts()).toEqual(a.snapshot.facts());
    expect(b.capture.modules).toEqual(a.capture.modules);
    expect(b.capture.meminfo).toEqual(a.capture.meminfo);
  });

  it('leaves gzip to the caller: a gzip stream is binary here', () => {
    const { snapshot, capture } = parseDump(gzipSync(dump));
    expect(snapshot.count).toBe(0);
    expect(capture.binary).toBe(true);
  });
});
