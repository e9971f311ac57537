import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixtures.ts';
import { parse } from '../parse/scanner.ts';
import { parseDump } from './read.ts';
import { areaLineState, isShellPrompt, readMeminfoLine, readModulesLine, splitCapture } from './capture.ts';

const VM = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
const MEM = 'kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo';
const MODS = 'kernels/x86_64-6.1.0-56-after-insmod-raw.modules';

const enc = (s: string) => new TextEncoder().encode(s);
const nonEmpty = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const areaLineCount = (text: string) => text.split('\n').filter((l) => /^0x/.test(l)).length;

describe('reading a /proc/meminfo line', () => {
  it('reads a key, a value and the kB unit', () => {
    expect(readMeminfoLine('MemTotal:         983472 kB', 3)).toEqual({ key: 'MemTotal', value: 983472, unit: 'kB', line: 3 });
  });

  it('reads keys with parentheses and values without a unit', () => {
    expect(readMeminfoLine('Active(anon):       1234 kB')).toMatchObject({ key: 'Active(anon)', value: 1234 });
    expect(readMeminfoLine('HugePages_Total:       0')).toMatchObject({ key: 'HugePages_Total', value: 0, unit: null });
  });

  it('does not take a prompt or an area line for one', () => {
    expect(readMeminfoLine('root@host:~# cat /proc/meminfo')).toBeNull();
    expect(readMeminfoLine('0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc')).toBeNull();
  });
});

describe('reading a /proc/modules line', () => {
  it('reads name, size, use count, users, state and address', () => {
    expect(readModulesLine('crc16 16384 1 ext4, Live 0xffffffffc0a7f000', 7)).toEqual({
      name: 'crc16',
      size: 16384,
      refcount: 1,
      usedBy: ['ext4'],
      state: 'Live',
      address: '0xffffffffc0a7f000',
      taints: null,
      line: 7,
    });
  });

  it('reads a module with no users, several users, or taint letters', () => {
    expect(readModulesLine('erofs 110592 1 - Live 0xffffffffc0b75000')).toMatchObject({ usedBy: [] });
    expect(readModulesLine('mbcache 16384 2 ext4,erofs, Live 0x0000000000000000')).toMatchObject({ usedBy: ['ext4', 'erofs'] });
    expect(readModulesLine('hello 16384 0 - Loading 0xffffffffc0000000 (OE)')).toMatchObject({ state: 'Loading', taints: 'OE' });
  });

  it('does not take a prompt for one', () => {
    expect(readModulesLine('$ sudo cat /proc/vmallocinfo /proc/meminfo /proc/modules')).toBeNull();
  });
});

describe('splitting a combined capture', () => {
  it('separates every meminfo and modules line of a real capture and parses the rest without diagnostics from them', () => {
    const vm = fixture(VM);
    const mem = fixture(MEM);
    const mods = fixture(MODS);
    const text = `$ sudo cat /proc/vmallocinfo /proc/meminfo /proc/modules\n${vm}${mem}${mods}`;
    const split = splitCapture(enc(text));
    expect(split.meminfo).toHaveLength(nonEmpty(mem).length);
    expect(split.modules).toHaveLength(nonEmpty(mods).length);
    expect(split.sections).toEqual([
      { name: '/proc/meminfo', lines: nonEmpty(mem).length },
      { name: '/proc/modules', lines: nonEmpty(mods).length },
    ]);
    const s = parse(split.bytes);
    expect(s.count).toBe(areaLineCount(vm));
    // The prompt is recognised as one (by its line number), so nothing is left over as skipped.
    expect(split.prompts).toEqual([1]);
    expect(s.diagnostics).toEqual([]);
  });

  it('keeps the line numbers of the records and of the area lines', () => {
    const text = 'MemTotal: 1 kB\n0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc\nx 4096 0 - Live 0x0\n';
    const split = splitCapture(enc(text));
    expect(split.meminfo[0].line).toBe(1);
    expect(split.modules[0].line).toBe(3);
    expect(split.bytes.length).toBe(enc(text).length);
    expect(parse(split.bytes).area(0).line).toBe(2);
  });

  it('turns non-breaking spaces into plain spaces so the line reads', () => {
    const line = '0xffffc90000000000-0xffffc90000005000\u00a0\u00a0\u00a020480 foo+0x1/0x2 pages=4 vmalloc\n';
    const split = splitCapture(enc(line));
    expect(split.nbsp).toBe(3);
    const s = parse(split.bytes);
    expect(s.count).toBe(1);
    expect(s.diagnosticCount).toBe(0);
  });

  it('joins an area line wrapped onto a second line back together, keeping the line numbers', () => {
    const text = [
      '0xffffc90000005000-0xffffc90000007000    8192 bpf_prog_alloc_no_stats+0x4e/0x1a0',
      'pages=1 vmalloc N0=1',
      '0xffffc90000008000-0xffffc9000000a000    8192 e1000_probe+0x1/0x2 [e1000]',
      '   ioremap',
      '$ vmalloc is done',
      '',
    ].join('\r\n');
    const split = splitCapture(enc(text));
    expect(split.joined).toBe(2);
    const s = parse(split.bytes);
    expect(s.count).toBe(2);
    expect(s.area(0)).toMatchObject({ line: 1, pages: 1, flags: ['vmalloc'], nodes: [{ node: 0, pages: 1 }] });
    expect(s.area(1)).toMatchObject({ line: 3, kind: 'ioremap', caller: { module: 'e1000' } });
    expect(s.diagnostics.map((d) => d.line)).toEqual([5]);
  });

  it('joins only the rest of an area line, and only right after one, even at the very end of the input', () => {
    const a = '0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0x2';
    expect(splitCapture(enc(`${a}\nroot@host:~# exit\n`)).joined).toBe(0);
    expect(splitCapture(enc(`${a}\npages=1 vmalloc`)).joined).toBe(1);
    expect(splitCapture(enc(`pages=1 vmalloc\n${a}\n`)).joined).toBe(0);
  });

  it('returns the input itself when there is nothing to change', () => {
    const input = enc(fixture(VM));
    const split = splitCapture(input);
    expect(split.bytes).toBe(input);
    expect(split.sections).toEqual([]);
    expect(split).toMatchObject({ binary: false, empty: false, endsMidLine: false });
  });

  it('says when the input is empty, binary, or ends without a newline', () => {
    expect(splitCapture(enc(''))).toMatchObject({ empty: true, endsMidLine: false });
    expect(splitCapture(enc(' \n\r\n'))).toMatchObject({ empty: true });
    expect(splitCapture(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))).toMatchObject({ binary: true });
    expect(splitCapture(enc('0xffffc90000000000-0xffffc90000005000   20480 foo'))).toMatchObject({ endsMidLine: true });
  });

  it('never throws on arbitrary bytes', () => {
    for (let seed = 1; seed < 200; seed++) {
      const bytes = new Uint8Array(seed * 7).map((_, i) => (i * 2654435761 + seed * 40503) & 0xff);
      expect(() => splitCapture(bytes)).not.toThrow();
    }
  });
});

/** A terminal's hard wrap: pieces of exactly `width` characters, the last shorter. */
function hardWrap(line: string, width: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < line.length; at += width) out.push(line.slice(at, at + width));
  return out;
}

/** A mail client's word wrap: break at the last space that fits, dropping it; a long word alone. */
function wordWrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const at = rest.lastIndexOf(' ', width);
    if (at <= 0) {
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    } else {
      out.push(rest.slice(0, at).trimEnd());
      rest = rest.slice(at + 1).trimStart();
    }
  }
  out.push(rest);
  return out;
}

/** An area without its line number (which wrapping changes). */
function withoutLine(a: ReturnType<ReturnType<typeof parse>['area']>) {
  const { line: _l, ...rest } = a;
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v));
}

describe('joining wrapped area lines', () => {
  const dumps = ['kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo', 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo', 'seeds/ptrval-masked.vmallocinfo'];
  for (const path of dumps) {
    for (const [how, wrap] of [['hard', hardWrap], ['word', wordWrap]] as const) {
      for (const width of [80, 40]) {
        it(`joins every line of ${path} ${how}-wrapped at ${width} columns back to the same areas`, () => {
          const lines = fixture(path).split('\n').filter((l) => l !== '');
          const pieces = lines.map((l) => wrap(l, width));
          const wrapped = pieces.map((p) => p.join('\n')).join('\n') + '\n';
          const split = splitCapture(enc(wrapped));
          expect(split.joined).toBe(pieces.filter((p) => p.length > 1).length);
          const s = parse(split.bytes);
          const original = parse(lines.join('\n') + '\n');
          expect(s.diagnosticCount).toBe(0);
          expect(s.count).toBe(lines.length);
          const firstLines: number[] = [];
          let line = 1;
          for (const p of pieces) {
            firstLines.push(line);
            line += p.length;
          }
          for (let i = 0; i < s.count; i++) {
            expect(withoutLine(s.area(i))).toBe(withoutLine(original.area(i)));
            expect(s.area(i).line).toBe(firstLines[i]);
          }
          // The test is only worth something if lines really were wrapped, some over 3+ lines at 40 columns.
          if (width === 40) expect(pieces.some((p) => p.length >= 3)).toBe(true);
          else expect(pieces.some((p) => p.length >= 2)).toBe(true);
        });
      }
    }
  }

  it('joins a long caller wrapped twice, with CRLF line ends and the next area right after', () => {
    const a = '0xffffc90000741000-0xffffc90000745000   16384 e1000_setup_all_tx_resources+0x97/0x550 [e1000] pages=3 vmalloc N0=3';
    const b = '0xffffc90000745000-0xffffc90000747000    8192 e1000_setup_all_rx_resources+0xa6/0x560 [e1000] pages=1 vmalloc N0=1';
    const text = [...hardWrap(a, 48), b, ''].join('\r\n');
    expect(hardWrap(a, 48)).toHaveLength(3);
    const split = splitCapture(enc(text));
    expect(split.joined).toBe(1);
    const s = parse(split.bytes);
    expect(s.diagnosticCount).toBe(0);
    expect(s.area(0)).toMatchObject({ line: 1, size: 16384, pages: 3, caller: { symbol: 'e1000_setup_all_tx_resources', offset: 0x97, length: 0x550, module: 'e1000' } });
    expect(s.area(1)).toMatchObject({ line: 4, size: 8192 });
  });

  it('does not join what does not read as the rest of the area line', () => {
    const a = '0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0x2';
    for (const next of ['exit', 'hello world', '12 apples', 'MemTotal:  1 kB']) {
      expect(splitCapture(enc(`${a}\n${next}\n`)).joined).toBe(0);
    }
  });

  it('tells a whole area line from its start and from other text', () => {
    expect(areaLineState('0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0x2 pages=1 vmalloc')).toBe('whole');
    expect(areaLineState('0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0')).toBe('start');
    expect(areaLineState('0xffffc90000005000-0xffffc9000000')).toBe('start');
    expect(areaLineState('0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0x2 pag=')).toBe('start');
    expect(areaLineState('0xffffc90000005000-0xffffc90000007000    8192 foo+0x1/0x2 12')).toBeNull();
    expect(areaLineState('hello 0xffffc90000005000-0xffffc90000007000')).toBeNull();
  });
});

describe('recognising shell prompts', () => {
  it('knows the usual prompts, with or without their command', () => {
    for (const p of [
      'user@host:~$ sudo cat /proc/vmallocinfo',
      '# cat /proc/vmallocinfo',
      '[root@x ~]# cat /proc/vmallocinfo /proc/meminfo',
      '$ sudo grep vmalloc /proc/vmallocinfo',
      'root@host:/# ',
      'me@box ~ % zcat dump.gz',
      'bash-5.2$ cat /proc/vmallocinfo',
      '❯ sudo cat /proc/vmallocinfo',
    ]) {
      expect(isShellPrompt(p)).toBe(true);
    }
  });

  it('does not take area lines, meminfo or other text for a prompt', () => {
    for (const t of [
      '0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc',
      'MemTotal:         983472 kB',
      '# this is a comment',
      '$ vmalloc is done',
      'pages=1 vmalloc N0=1',
    ]) {
      expect(isShellPrompt(t)).toBe(false);
    }
  });

  it('blanks prompts, lists their line numbers, and leaves other foreign lines to the scanner', () => {
    const area = '0xffffc90000000000-0xffffc90000005000   20480 foo+0x1/0x2 pages=4 vmalloc';
    const text = ['user@host:~$ sudo cat /proc/vmallocinfo', area, 'something else', area.replace('c90000000000-0xffffc90000005000', 'c90000005000-0xffffc9000000a000'), 'user@host:~$ ', ''].join('\n');
    const split = splitCapture(enc(text));
    expect(split.prompts).toEqual([1, 5]);
    const s = parse(split.bytes);
    expect(s.count).toBe(2);
    expect(s.diagnostics.map((d) => d.line)).toEqual([3]);
  });
});

describe('a number on the line after an area line', () => {
  const line = '0x0000000051258ae2-0x00000000386bc3ed   20480 kernel_clone+0xb8/0x400 pages=4 vmalloc N0=4';

  it('is not glued onto its node count when that would make the counts disagree with pages= (a date +%s stamp)', () => {
    const p = parseDump(new TextEncoder().encode(`${line}\n1796000100\n1796000100\n`));
    expect(p.snapshot.count).toBe(1);
    expect(p.snapshot.nodesOf(0)).toEqual([{ node: 0, pages: 4 }]);
    expect(p.capture.joined).toBe(0);
    expect(p.snapshot.diagnostics.map((d) => d.line)).toEqual([2, 3]);
  });

  it('is still joined where a terminal cut a node count in two, as pages= says', () => {
    const wrapped = '0x0000000051258ae2-0x00000000386bc3ed  172032 kernel_clone+0xb8/0x400 pages=41 vmalloc N0=4\n1\n';
    const p = parseDump(new TextEncoder().encode(wrapped));
    expect(p.capture.joined).toBe(1);
    expect(p.snapshot.nodesOf(0)).toEqual([{ node: 0, pages: 41 }]);
    expect(p.snapshot.diagnosticCount).toBe(0);
  });
});
