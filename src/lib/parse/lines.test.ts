import { describe, expect, it } from 'vitest';
import { StreamParser, parse } from './scanner.ts';

// One kernel era or oddity per test, each quoting the kind of line it is about.

const one = (line: string) => {
  const s = parse(line);
  expect(s.count).toBe(1);
  return { s, a: s.area(0) };
};

describe('one area line', () => {
  it('reads a plain 64-bit vmalloc line with caller, pages and one NUMA count', () => {
    const { a } = one('0xffffc90000004000-0xffffc90000405000 4198400 alloc_large_system_hash+0x17a/0x238 pages=1024 vmalloc vpages N0=1024');
    expect(a).toMatchObject({
      line: 1,
      start: 0xffffc90000004000n,
      end: 0xffffc90000405000n,
      size: 4198400,
      pages: 1024,
      caller: { symbol: 'alloc_large_system_hash', offset: 0x17a, length: 0x238, module: null },
      phys: null,
      flags: ['vmalloc', 'vpages'],
      nodes: [{ node: 0, pages: 1024 }],
      kind: 'vmalloc',
      guard: 4096,
    });
  });

  it('reads 8-digit 32-bit addresses', () => {
    const { s, a } = one('0xf7c00000-0xf7c02000    8192 bpf_prog_alloc+0x36/0xa0 pages=1 vmalloc');
    expect(s.addressDigits).toBe(8);
    expect([a.start, a.end, a.size]).toEqual([0xf7c00000n, 0xf7c02000n, 8192]);
    expect(s.pointerMode).toBe('raw');
  });

  it('reads phys= with 0x (4.11+) and without it (older kernels)', () => {
    expect(one('0xffffd17d8000b000-0xffffd17d8000d000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap').a.phys).toBe(0xfed00000n);
    expect(one('0xffffc90000730000-0xffffc90000733000   12288 pci_iomap_range+0x66/0x80 phys=f0806000 ioremap').a.phys).toBe(0xf0806000n);
  });

  it('reads a line with no caller', () => {
    const { a } = one('0xffffe8ffffc00000-0xffffe8ffffe00000 2097152 vmalloc');
    expect(a.caller).toBeNull();
    expect(a.kind).toBe('vmalloc');
  });

  it('reads vm_map_ram blocks, which carry no guard page', () => {
    const { a } = one('0xffffd17d81000000-0xffffd17d81100000 1048576 vm_map_ram');
    expect(a).toMatchObject({ kind: 'vm_map_ram', guard: 0, caller: null, flags: [] });
  });

  it('reads lazily freed "unpurged vm_area" lines as one kind, without a guard page', () => {
    const { a } = one('0xffffd17d813c0000-0xffffd17d813c5000   20480 unpurged vm_area');
    expect(a).toMatchObject({ kind: 'unpurged', guard: 0, flags: [], size: 20480 });
  });

  it('reads the BPF arena as sparse with the user modifier', () => {
    const { a } = one('0xffffc90100000000-0xffffc90200001000 4294971392 bpf_arena_alloc+0x10/0x20 sparse user');
    expect(a).toMatchObject({ kind: 'sparse', flags: ['sparse', 'user'], size: 4294971392 });
  });

  it('reads dma-coherent lines', () => {
    expect(one('0xffff8000800b0000-0xffff8000800d1000  135168 dma_common_contiguous_remap+0x98/0xe8 dma-coherent').a.kind).toBe('dma-coherent');
  });

  it('reads several N<node>= counts in order', () => {
    const { a } = one('0xffffcf5e8000f000-0xffffcf5e80210000 2101248 alloc_large_system_hash+0x197/0x27c pages=512 vmalloc N0=256 N1=200 N3=56');
    expect(a.nodes).toEqual([
      { node: 0, pages: 256 },
      { node: 1, pages: 200 },
      { node: 3, pages: 56 },
    ]);
  });

  it('reads a [module] tag as the second token of the caller', () => {
    const { a } = one('0xffffa769c0035000-0xffffa769c0038000   12288 vmw_fb_init+0x18f/0x430 [vmwgfx] pages=2 vmalloc N0=2');
    expect(a.caller).toEqual({ symbol: 'vmw_fb_init', offset: 0x18f, length: 0x430, module: 'vmwgfx' });
  });

  it.each(['qp_alloc_queue.isra.17', 'xfs_buf_map_pages.constprop.0', 'vmalloc_array_noprof', 'n_tty_open.cold'])(
    'keeps the symbol suffix in %s',
    (symbol) => {
      expect(one(`0xffffc9000072b000-0xffffc9000072f000   16384 ${symbol}+0x19/0xe0 pages=3 vmalloc`).a.caller?.symbol).toBe(symbol);
    },
  );

  it('reads a caller whose symbol begins with N and a digit as the caller, without a warning about N<node>=', () => {
    // A C identifier may begin with N and a digit; only a word N<digits>=<digits> is a node count.
    const { a, s } = one('0xffffc90000000000-0xffffc90000002000    8192 N2k_alloc_ring+0x1c/0x90 pages=1 vmalloc N0=1');
    expect(a).toMatchObject({ caller: { symbol: 'N2k_alloc_ring', offset: 0x1c, length: 0x90 }, flags: ['vmalloc'], nodes: [{ node: 0, pages: 1 }] });
    expect(s.diagnostics).toEqual([]);
  });

  it('keeps unknown flag words, in the order printed', () => {
    const { a, s } = one('0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=1 vmalloc shiny user');
    expect(a.flags).toEqual(['vmalloc', 'shiny', 'user']);
    expect(a.kind).toBe('vmalloc');
    expect(s.diagnosticCount).toBe(0);
  });

  it('keeps a caller printed as a bare address', () => {
    const { a } = one('0xffffc90000000000-0xffffc90000002000    8192 0xffffffffc0a01234 pages=1 vmalloc');
    expect(a.caller?.symbol).toBe('0xffffffffc0a01234');
    expect(Number.isNaN(a.caller?.offset)).toBe(true);
  });

  it('reads a size glued to a 16-digit end address, with a warning', () => {
    const s = parse('0xffffc90004000000-0xffffc9000500100016781312 pci_iomap_range+0x66/0x80 phys=e0000000 ioremap');
    expect(s.area(0)).toMatchObject({ end: 0xffffc90005001000n, size: 16781312, kind: 'ioremap' });
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'warning', reason: expect.stringMatching(/glued/) })]);
  });

  it('reads a size glued to an 8-digit end address, with a warning', () => {
    const s = parse('0xf7c00000-0xf7c020008192 bpf_prog_alloc+0x36/0xa0 pages=1 vmalloc');
    expect(s.area(0)).toMatchObject({ start: 0xf7c00000n, end: 0xf7c02000n, size: 8192 });
    expect(s.warningCount).toBe(1);
  });

  it('keeps exact addresses at the very top of the 64-bit space', () => {
    const { a } = one('0xffffffffffffd000-0xfffffffffffff000    8192 f+0x0/0x1 vmalloc');
    expect(a.start).toBe(0xffffffffffffd000n);
    expect(a.end).toBe(0xfffffffffffff000n);
  });

  it('reads a size beyond 32 bits exactly', () => {
    expect(one('0xffffc90000000000-0xffffc91000001000 68719480832 f+0x0/0x1 vmalloc').a.size).toBe(68719480832);
  });

  it('reads the largest size a Number holds exactly, and rejects a larger one with a diagnostic instead of rounding it', () => {
    expect(one('0xffffc90000000000-0xffffc90000002000 9007199254740991 f+0x0/0x1 vmalloc').a.size).toBe(Number.MAX_SAFE_INTEGER);
    const s = parse('0xffffc90000000000-0xffffc90000002000 9007199254740993 f+0x0/0x1 vmalloc\n0xffffc90000002000-0xffffc90000004000    8192 g+0x0/0x1 vmalloc\n');
    expect(s.count).toBe(1);
    expect(s.area(0)).toMatchObject({ line: 2, size: 8192 });
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'error', reason: expect.stringMatching(/2\^53/) })]);
  });

  it('keeps 0xffffffffffffe000, the last page but one of the 64-bit space, exactly as a bigint', () => {
    const { a, s } = one('0xffffffffffffe000-0xfffffffffffff000    4096 f+0x0/0x1 vmalloc');
    expect(a.start).toBe(0xffffffffffffe000n);
    expect(a.end).toBe(0xfffffffffffff000n);
    expect(a.end! - a.start!).toBe(4096n);
    expect(s.pointerMode).toBe('raw');
  });

  it('reads the 32-bit form of phys= (%pa with 8 digits) next to 8-digit addresses', () => {
    const { a } = one('0xf8a00000-0xf8a02000    8192 hpet_enable+0xef/0x46d phys=0xfed00000 ioremap');
    expect([a.start, a.end, a.phys, a.kind]).toEqual([0xf8a00000n, 0xf8a02000n, 0xfed00000n, 'ioremap']);
  });

  it('reads vpages on a BPF map (vmalloc user vpages) and on a large allocation (vmalloc vpages)', () => {
    const bpf = one('0xffffd17d80c6f000-0xffffd17d80c91000  139264 bpf_map_area_mmapable_alloc+0x4c/0xa0 pages=33 vmalloc user vpages N0=33').a;
    expect(bpf).toMatchObject({ kind: 'vmalloc', flags: ['vmalloc', 'user', 'vpages'], pages: 33, nodes: [{ node: 0, pages: 33 }] });
    const zram = one('0xffffd17d81c00000-0xffffd17d82401000 8392704 disksize_store+0x46/0x130 [zram] pages=2048 vmalloc vpages N0=2048').a;
    expect(zram).toMatchObject({ kind: 'vmalloc', flags: ['vmalloc', 'vpages'], caller: { symbol: 'disksize_store', module: 'zram' } });
  });

  it('reads a line that is only a range and a size as an area of kind other', () => {
    const { a, s } = one('0xffffc90000000000-0xffffc90000002000    8192');
    expect(a).toMatchObject({ caller: null, flags: [], nodes: [], pages: 0, phys: null, kind: 'other', guard: 4096 });
    expect(s.diagnosticCount).toBe(0);
  });

  it('reads a line indented with spaces or tabs', () => {
    expect(one(' \t0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=1 vmalloc').a).toMatchObject({ size: 8192, pages: 1 });
  });

  it('keeps an unreadable pages= as a flag word, with a warning, and keeps the area', () => {
    const s = parse('0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=many vmalloc\n');
    expect(s.area(0)).toMatchObject({ pages: 0, flags: ['pages=many', 'vmalloc'], kind: 'vmalloc' });
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'warning', reason: expect.stringMatching(/pages=/) })]);
  });
});

describe('pointer modes', () => {
  it('reads masked (____ptrval____) addresses as unknown, keeping sizes and callers', () => {
    const s = parse('0x(____ptrval____)-0x(____ptrval____)   28672 load_module+0x6fa/0x1c5a pages=6 vmalloc\n');
    expect(s.pointerMode).toBe('masked');
    expect(s.area(0)).toMatchObject({ start: null, end: null, size: 28672, pages: 6, caller: { symbol: 'load_module' } });
  });

  it('reads the 32-bit masked form 0x(ptrval)', () => {
    const s = parse('0x(ptrval)-0x(ptrval)    8192 bpf_prog_alloc+0x36/0xa0 pages=1 vmalloc\n');
    expect(s.pointerMode).toBe('masked');
    expect(s.sorted).toBeNull();
    expect(s.area(0)).toMatchObject({ start: null, end: null, size: 8192, caller: { symbol: 'bpf_prog_alloc' } });
  });

  it('rejects a masked address cut before its closing parenthesis', () => {
    const s = parse('0x(____ptrval____)-0x(____ptr\n');
    expect(s.count).toBe(0);
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'error', reason: expect.stringMatching(/masked/) })]);
  });

  it('reads zeroed addresses as zero mode', () => {
    const s = parse('0x0000000000000000-0x0000000000000000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap\n');
    expect(s.pointerMode).toBe('zero');
    expect(s.area(0).phys).toBe(0xfed00000n);
  });

  it('tells hashed from raw by end - start never matching the size', () => {
    const hashed = parse(
      '0x0000000042955f09-0x000000007cdefd88   20480 irq_init_percpu_irqstack+0xf0/0x120 vmap\n' +
        '0x000000007cdefd88-0x00000000db68b586    8192 acpi_os_map_iomem+0x1b6/0x1d0 phys=0x000000003ffe1000 ioremap\n',
    );
    expect(hashed.pointerMode).toBe('hashed');
    expect(hashed.sorted).toBeNull();
  });
});

describe('whole inputs', () => {
  const a = '0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=1 vmalloc';
  const b = '0xffffc90000002000-0xffffc90000005000   12288 g+0x1/0x2 [m] pages=2 vmalloc';

  it('reads CRLF line ends, tabs and leading and trailing blank lines', () => {
    const s = parse(`\r\n\r\n  ${a}\r\n${b.replace('   12288', '\t12288')}\r\n\r\n`);
    expect(s.count).toBe(2);
    expect(s.diagnosticCount).toBe(0);
    expect(s.area(0).line).toBe(3);
    expect(s.area(1)).toMatchObject({ line: 4, size: 12288, flags: ['vmalloc'], caller: { module: 'm' } });
  });

  it('skips other text with a diagnostic naming the line, and keeps reading', () => {
    const s = parse(`$ sudo cat /proc/vmallocinfo\n${a}\nMemTotal:       16384000 kB\n${b}\n`);
    expect(s.count).toBe(2);
    expect(s.diagnostics.map((d) => [d.line, d.severity])).toEqual([
      [1, 'error'],
      [3, 'error'],
    ]);
    expect(s.diagnostics[1].reason).toMatch(/meminfo/);
    expect(s.diagnostics[0].text).toBe('$ sudo cat /proc/vmallocinfo');
  });

  it('says a pasted /proc/meminfo line is one, even with an 11-digit value and a CRLF end', () => {
    const s = parse(`VmallocTotal:   34359738367 kB\r\n${a}\r\n`);
    expect(s.count).toBe(1);
    expect(s.area(0).line).toBe(2);
    expect(s.diagnostics).toEqual([
      { line: 1, severity: 'error', reason: expect.stringMatching(/meminfo/), text: 'VmallocTotal:   34359738367 kB' },
    ]);
  });

  it('skips a pasted /proc/modules line as not an area line', () => {
    const s = parse(`e1000 159744 0 - Live 0xffffffffc0a00000\n${a}\n`);
    expect(s.count).toBe(1);
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'error', reason: expect.stringMatching(/not an area line/) })]);
  });

  it('reports binary garbage without losing the good lines around it', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(a + '\n'), 0, 1, 2, 0xff, 0xfe, 10, ...new TextEncoder().encode(b)]);
    const s = parse(bytes);
    expect(s.count).toBe(2);
    expect(s.diagnostics[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/binary/) });
  });

  it('reads a truncated last line without a newline when it is complete enough', () => {
    const s = parse(`${a}\n${b.slice(0, b.indexOf(' pages'))}`);
    expect(s.count).toBe(2);
    expect(s.area(1).pages).toBe(0);
  });

  it('rejects a line cut inside its address range', () => {
    const s = parse(`${a}\n0xffffc90000002000-0xffffc9`);
    expect(s.count).toBe(1);
    expect(s.errorCount).toBe(1);
  });

  it('says an empty input holds nothing', () => {
    const s = parse('');
    expect([s.count, s.lineCount, s.pointerMode]).toEqual([0, 0, 'unknown']);
  });

  it('gives the same snapshot when the input arrives in pieces split anywhere', () => {
    const text = `${a}\n\n${b}\nnoise\n${a}`;
    const whole = parse(text);
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      const p = new StreamParser();
      p.push(bytes.subarray(0, cut));
      p.push(bytes.subarray(cut, cut + 3));
      p.push(bytes.subarray(cut + 3));
      const s = p.finish();
      expect([...s.areas()]).toEqual([...whole.areas()]);
      expect(s.diagnostics).toEqual(whole.diagnostics);
      expect(s.lineCount).toBe(whole.lineCount);
    }
  });

  it('counts every diagnostic but keeps only the first ones in full', () => {
    const s = parse('junk\n'.repeat(50), { maxDiagnostics: 10 });
    expect(s.diagnosticCount).toBe(50);
    expect(s.diagnostics).toHaveLength(10);
  });
});

describe('limits', () => {
  it('keeps 64 flag words of an absurd line and warns about the rest', () => {
    const words = Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ');
    const s = parse(`0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 ${words}\n`);
    expect(s.count).toBe(1);
    expect(s.flagsOf(0)).toHaveLength(64);
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'warning', reason: expect.stringMatching(/64 flag words/) })]);
  });
});

describe('damaged lines are skipped with a reason, and never stop the scan', () => {
  const good = (k: number) => {
    const start = 0xffffc90000000000n + BigInt(k) * 0x2000n;
    return `0x${start.toString(16)}-0x${(start + 0x2000n).toString(16)}    8192 g${k}+0x0/0x1 pages=1 vmalloc`;
  };

  it('skips a masked start whose ) was lost and reads the lines before and after it, each once', () => {
    // A masked dump with one ')' lost: the scanner used to jump back to the start of its input.
    for (const bad of ['0x(____ptrval____-0x(____ptrval____)    8192 f+0x1/0x2', '0x(____ptrval____-0x(____ptrval____    8192 f+0x1/0x2', '0x(____ptrval____)-0x(____ptrval____    8192 f+0x1/0x2', '0x(']) {
      const text = [good(0), bad, good(1), ''].join('\n');
      const parser = new StreamParser();
      parser.push(new TextEncoder().encode(text));
      const s = parser.finish();
      expect([s.count, s.area(0).line, s.area(1).line]).toEqual([2, 1, 3]);
      expect(s.diagnostics).toEqual([expect.objectContaining({ line: 2, severity: 'error' })]);
      expect(parser.steps).toBeLessThanOrEqual(text.length + 1);
    }
  });

  it('does not split a size off a long end address when a size column follows it', () => {
    const s = parse(`0xffffffffcf5e8000-0xffffffffcf5e80007000    8192 f+0x1/0x2 pages=1 vmalloc\n${good(0)}\n`);
    expect(s.count).toBe(1);
    expect(s.area(0).line).toBe(2);
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'error', reason: expect.stringMatching(/more than 16 hex digits.*size column follows/) })]);
  });

  it('still reads a size glued to the end address when no size column follows', () => {
    const { a } = one('0xffffc90004000000-0xffffc9000500100016781312 f+0x1/0x2 pages=4096 vmalloc');
    expect([a.end, a.size, a.pages, a.flags]).toEqual([0xffffc90005001000n, 16781312, 4096, ['vmalloc']]);
  });

  it('skips lines holding numbers above 2^53 − 1 in pages=, N<node>= or the caller, keeping the good ones', () => {
    const bad = [
      '0xffffc90000100000-0xffffc90000102000    8192 f+0x1/0x2 pages=9007199254740992 vmalloc',
      '0xffffc90000102000-0xffffc90000104000    8192 f+0x1/0x2 pages=1 vmalloc N0=99999999999999999999',
      '0xffffc90000104000-0xffffc90000106000    8192 f+0x123456789012345678901234/0x2 pages=1 vmalloc',
      '0xffffc90000106000-0xffffc90000108000    8192 f+0x1/0x20000000000000 pages=1 vmalloc',
    ];
    const s = parse([good(0), ...bad, good(1), ''].join('\n'));
    expect(s.count).toBe(2);
    expect([s.area(0).line, s.area(1).line]).toEqual([1, 6]);
    expect(s.diagnostics.map((d) => [d.line, d.severity])).toEqual([[2, 'error'], [3, 'error'], [4, 'error'], [5, 'error']]);
    expect(s.diagnostics.map((d) => /2\^53/.test(d.reason))).toEqual([true, true, true, true]);
    expect(s.strings).toEqual(['g0', 'g1']);
  });

  it('keeps pages= and the caller offset at exactly 2^53 − 1', () => {
    const { a } = one('0xffffc90000000000-0xffffc90000002000    8192 f+0x1fffffffffffff/0x1fffffffffffff pages=9007199254740991 vmalloc N1=9007199254740991');
    expect([a.pages, a.caller?.offset, a.caller?.length, a.nodes]).toEqual([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, [{ node: 1, pages: Number.MAX_SAFE_INTEGER }]]);
  });

  it('skips a line whose end is below its start in a raw dump, renumbering nothing else', () => {
    const backwards = '0xffffc90000108000-0xffffc90000100000    8192 bad+0x1/0x2 pages=1 vmalloc unusual N0=1';
    const lines = [good(0), good(1), backwards, `${good(2)} N0=1 later`, good(3), ''];
    const s = parse(lines.join('\n'));
    expect(s.pointerMode).toBe('raw');
    expect(s.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => s.area(i).line)).toEqual([1, 2, 4, 5]);
    expect(s.area(2)).toMatchObject({ flags: ['vmalloc', 'later'], nodes: [{ node: 0, pages: 1 }] });
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 3, severity: 'error', reason: expect.stringMatching(/end address is below the start/) })]);
    expect([s.diagnosticCount, s.errorCount]).toEqual([1, 1]);
    expect(s.strings).not.toContain('bad');
  });

  it('keeps lines whose end is below their start in a hashed dump, where that is normal', () => {
    const s = parse('0x00000000d2a1b3c4-0x000000001234abcd    8192 f+0x1/0x2 pages=1 vmalloc\n0x000000007777aaaa-0x00000000a1b2c3d4    8192 g+0x1/0x2 pages=1 vmalloc\n');
    expect(s.pointerMode).toBe('hashed');
    expect(s.count).toBe(2);
    expect(s.diagnosticCount).toBe(0);
  });

  it('skips a line with a field longer than a share link can carry', () => {
    const s = parse(`0xffffc90000000000-0xffffc90000002000    8192 ${'x'.repeat(5000)}+0x1/0x2 vmalloc\n${good(1)}\n`);
    expect(s.count).toBe(1);
    expect(s.diagnostics).toEqual([expect.objectContaining({ line: 1, severity: 'error', reason: expect.stringMatching(/4096/) })]);
  });
});
