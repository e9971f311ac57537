import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { parseDump } from '../input/read.ts';
import type { Snapshot } from '../parse/snapshot.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import { openFolder, openSource } from './open.ts';
import type { Opened } from './open.ts';
import { originLine } from './origin.ts';
import { Pull, walkTar } from './stream.ts';
import { decompressedReader, listTar, listZip } from './unpack.ts';

// Archives built here from the real captures (public/samples/kernels), the way sos and dumpstate
// lay them out, and read back: the areas, bytes, /proc/meminfo and /proc/modules found inside must
// be those of the plain files, counted independently (readIndependently, plain line splitting).

const BASE = 'kernels/x86_64-6.1.0-56-after-insmod-raw';
const VM = fixture(`${BASE}.vmallocinfo`);
const MEMINFO = fixture(`${BASE}.meminfo`);
const MODULES = fixture(`${BASE}.modules`);
const EXPECTED = readIndependently(VM);
const MEMINFO_LINES = MEMINFO.split('\n').filter((l) => /^\w[\w()]*:\s+\d+/.test(l)).length;
const MODULE_NAMES = MODULES.split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
const RELEASE = '6.1.0-56-amd64';
const UNAME = `Linux db01 ${RELEASE} #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09) x86_64 GNU/Linux\n`;
const TOP = 'sosreport-db01-2026-11-30-abcdefg';

function sosFiles(opts: { vmallocinfo?: boolean } = {}): { name: string; data: string }[] {
  const files = [
    { name: `${TOP}/proc/meminfo`, data: MEMINFO },
    { name: `${TOP}/proc/modules`, data: MODULES },
    { name: `${TOP}/sos_commands/kernel/uname_-a`, data: UNAME },
    { name: `${TOP}/sos_commands/host/hostname`, data: 'db01\n' },
    { name: `${TOP}/hostname`, data: 'db01\n' },
    { name: `${TOP}/sos_commands/memory/free`, data: '              total        used\n' },
    { name: `${TOP}/etc/os-release`, data: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
  ];
  if (opts.vmallocinfo !== false) files.splice(0, 0, { name: `${TOP}/proc/vmallocinfo`, data: VM });
  return files;
}

const sosTar = (opts?: { vmallocinfo?: boolean }) => createTar(sosFiles(opts));

function xz(bytes: Uint8Array, preset = '-6'): Uint8Array | null {
  if (!existsSync('/usr/bin/xz')) return null;
  return new Uint8Array(execFileSync('/usr/bin/xz', ['-c', preset], { input: bytes, maxBuffer: 1 << 30 }));
}

/**
 * `bytes` of journal text, as a busy host's sosreport carries: lines that differ in their time,
 * pid and words (a seeded generator), so they compress as logs do (about 5-15:1), not as zeros.
 */
function journal(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const encoder = new TextEncoder();
  const words = ['audit', 'systemd', 'kernel', 'sshd', 'cron', 'NetworkManager', 'dockerd', 'containerd', 'kubelet', 'chronyd'];
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return (t ^ (t >>> 14)) >>> 0;
  };
  let at = 0;
  for (let n = 0; at < bytes; n++) {
    const r = next();
    const line = `Nov 30 ${String(7 + (n >> 22)).padStart(2, '0')}:${String((n >> 12) % 60).padStart(2, '0')}:${String((n >> 6) % 60).padStart(2, '0')} db01 ${words[r % 10]}[${r % 99991}]: ${words[(r >>> 8) % 10]} event ${r.toString(16)} uid=${(r >>> 4) % 1000} took ${(r >>> 12) % 5000} us\n`;
    at += encoder.encodeInto(line, out.subarray(at)).written;
  }
  return out;
}

function expectDump(opened: Opened): Extract<Opened, { kind: 'dump' }> {
  if (opened.kind !== 'dump') throw new Error(`expected a dump, got ${opened.kind}: ${opened.kind === 'refused' ? opened.message : ''}`);
  return opened;
}

/** A parsed dump's areas, lines in error, and bytes and pages summed over its columns. */
function figuresOf(snapshot: Snapshot): { areas: number; errors: number; bytes: number; pages: number } {
  let bytes = 0;
  let pages = 0;
  for (let i = 0; i < snapshot.count; i++) {
    bytes += snapshot.columns.size[i];
    pages += snapshot.columns.pages[i];
  }
  return { areas: snapshot.count, errors: snapshot.errorCount, bytes, pages };
}

/** The dump's figures against the plain files'. */
function expectSameAsPlain(opened: Opened): void {
  const dump = expectDump(opened);
  const { snapshot, capture } = parseDump(dump.bytes);
  expect(figuresOf(snapshot)).toMatchObject({ areas: EXPECTED.areas.length, bytes: EXPECTED.bytes });
  expect(capture.meminfo).toHaveLength(MEMINFO_LINES);
  expect(capture.modules.map((m) => m.name)).toEqual(MODULE_NAMES);
}

describe('a sosreport', () => {
  it('is read from a .tar, with its host, kernel release and architecture', async () => {
    const opened = await openSource('sosreport-db01.tar', sosTar());
    expectSameAsPlain(opened);
    const { origin } = expectDump(opened);
    expect(origin).toMatchObject({ kind: 'sosreport', host: 'db01', release: RELEASE, arch: 'x86_64', path: `${TOP}/proc/vmallocinfo` });
    expect(originLine(origin)).toBe(`sosreport · db01 · ${RELEASE} x86_64`);
  });

  it('is read from a .tar.gz, recognised by its bytes whatever its name', async () => {
    const gz = gzipSync(sosTar());
    expectSameAsPlain(await openSource('sosreport-db01.tar.gz', gz));
    expectSameAsPlain(await openSource('upload.bin', gz));
  });

  it('is read from a .tar.xz (compressed here with the system xz)', async () => {
    const packed = xz(sosTar());
    expect(packed, 'the tests need /usr/bin/xz to build a .tar.xz').not.toBeNull();
    expectSameAsPlain(await openSource('sosreport-db01.tar.xz', packed!));
  });

  it('is read from a .tar.gz and a .tar.xz that unpack to more than the cap, walked as they stream out', async () => {
    // 210 MiB of logs before the proc files, as a busy host's sosreport has: over the 200 MiB a
    // dump may be, so the archive is walked, not unpacked whole; only the wanted files are kept.
    const files = sosFiles();
    const big = createTar([{ name: `${TOP}/sos_commands/logs/journalctl_--no-pager`, data: journal(210 << 20) }, ...files]);
    expect(big.length).toBeGreaterThan(200 << 20);
    expectSameAsPlain(await openSource('sosreport-db01.tar.gz', gzipSync(big, { level: 1 })));
    const packed = xz(big, '-0');
    expect(packed).not.toBeNull();
    expectSameAsPlain(await openSource('sosreport-db01.tar.xz', packed!));
  }, 60_000);

  it('is read from tars written by GNU tar in pax and gnu formats, whose long paths take extension entries', async () => {
    // sos names its folder sosreport-<host>-<case>-<date>-<id>; with a long host and case id the
    // paths pass ustar's 100 characters and tar writes them in pax headers or GNU long names.
    const top = `sosreport-${'db01.prod.eu-west-1.compute.internal'}-case0123456789-2026-11-30-abcdefg`;
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-sos-'));
    for (const f of sosFiles()) {
      const path = join(dir, f.name.replace(TOP, top));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.data);
    }
    expect(`${top}/sos_commands/kernel/uname_-a`.length).toBeGreaterThan(100);
    for (const format of ['pax', 'gnu']) {
      const tar = new Uint8Array(execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', dir, top], { maxBuffer: 1 << 28 }));
      const opened = await openSource(`sos.${format}.tar.gz`, gzipSync(tar));
      expectSameAsPlain(opened);
      expect(expectDump(opened).origin).toMatchObject({ host: 'db01', release: RELEASE, path: `${top}/proc/vmallocinfo` });
    }
  });

  it('stops walking a compressed tar past its limit of output and says so', async () => {
    const tar = createTar([{ name: 'x/filler', data: new Uint8Array(4 << 20) }, ...sosFiles()]);
    const gz = gzipSync(tar);
    const listing = await walkTar('big.tar.gz', new Pull(await decompressedReader(gz, 'gzip'), 1 << 20), () => true, 100);
    expect(listing).toEqual({ ok: false, message: 'big.tar.gz is over 1 MiB once unpacked, further than vmscope walks into an archive; it was not read.' });
    const whole = await walkTar('big.tar.gz', new Pull(await decompressedReader(gz, 'gzip'), 64 << 20), (p) => p.endsWith('proc/vmallocinfo'), 100);
    expect(whole.ok && whole.entries.map((e) => e.path)).toEqual(['x/filler', ...sosFiles().map((f) => f.name)]);
    expect(whole.ok && new TextDecoder().decode(whole.data(`${TOP}/proc/vmallocinfo`)!)).toBe(VM);
  });

  it('stops walking a compressed sosreport once the dump, its companions, uname and hostname are in', async () => {
    // The 4 MiB filler after them is never walked: the 1 MiB limit is not reached.
    const tar = createTar([...sosFiles(), { name: `${TOP}/var/log/filler`, data: new Uint8Array(4 << 20) }]);
    const small = await openSource('sosreport-db01.tar.gz', gzipSync(tar));
    expectSameAsPlain(small);
    const listing = await walkTar('s.tar.gz', new Pull(await decompressedReader(gzipSync(tar), 'gzip'), 1 << 20), () => true, 100, (kept) => kept.length === sosFiles().length);
    expect(listing.ok).toBe(true);
  });

  it('is read from its unpacked folder, reading only the files it needs', async () => {
    const read: string[] = [];
    const files = sosFiles().map((f) => ({ path: f.name, size: f.data.length, bytes: async () => (read.push(f.name), new TextEncoder().encode(f.data)) }));
    const opened = await openFolder(TOP, files);
    expectSameAsPlain(opened);
    expect(expectDump(opened).origin.host).toBe('db01');
    expect(read).not.toContain(`${TOP}/sos_commands/memory/free`);
  });

  it('without a vmallocinfo says what it found instead', async () => {
    const opened = await openSource('sosreport-db01.tar', sosTar({ vmallocinfo: false }));
    expect(opened.kind).toBe('refused');
    if (opened.kind !== 'refused') return;
    expect(opened.message).toBe(`sosreport of db01: no proc/vmallocinfo — the memory plugin was not run; found proc/meminfo, proc/modules, uname (${RELEASE} x86_64).`);
  });

  it('whose vmallocinfo is empty says so, not that the plugin was not run, in a tar and a .tar.gz', async () => {
    const files = sosFiles().map((f) => (f.name.endsWith('proc/vmallocinfo') ? { ...f, data: '' } : f));
    for (const bytes of [createTar(files), gzipSync(createTar(files))]) {
      const opened = await openSource('sos.tar', bytes);
      expect(opened).toEqual({ kind: 'refused', message: `sosreport of db01: ${TOP}/proc/vmallocinfo is empty: the report holds no area to show.` });
    }
  });

  it('cut short before its vmallocinfo says the archive is cut, not that the plugin was not run', async () => {
    const files = sosFiles();
    const vm = files.shift()!;
    const xzTar = xz(createTar([...files, vm]));
    expect(xzTar).not.toBeNull();
    // The xz stream cut in its last part: the decoder fails after the first entries came out.
    const opened = await openSource('sos.tar.xz', xzTar!.subarray(0, xzTar!.length - 200));
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toMatch(/^sos\.tar\.xz is damaged or cut short after \d+ entr(y|ies) \(.+\); no proc\/vmallocinfo was read/);
  });

  it('names its host from the folder when there is no hostname file', async () => {
    const files = sosFiles().filter((f) => !f.name.endsWith('hostname') && !f.name.endsWith('uname_-a'));
    const opened = expectDump(await openSource('x.tar', createTar(files)));
    expect(opened.origin.host).toBe('db01');
  });
});

// dumpstate's own section lines (frameworks/native/cmds/dumpstate: DumpFile, RunCommand).
function bugreportText(opts: { vmallocinfo?: string | null } = {}): string {
  const lsmod = ['Module                  Size  Used by', ...MODULES.split('\n').filter(Boolean).map((l) => {
    const [name, size, refs, deps] = l.split(' ');
    return `${name.padEnd(24)}${size.padStart(6)}  ${refs}${deps !== '-' ? ' ' + deps.replace(/,$/, '') : ''}`;
  })].join('\n');
  const vm = opts.vmallocinfo === undefined ? VM : opts.vmallocinfo;
  return [
    '========================================================',
    '== dumpstate: 2026-11-30 07:00:12',
    '========================================================',
    '',
    'Build: UP1A.231005.007',
    "Build fingerprint: 'google/oriole/oriole:14/UP1A.231005.007/10754064:user/release-keys'",
    'Bootloader: slider-1.3-10780582',
    `Kernel: Linux version ${RELEASE} (build-user@build-host) (Android (8508608) clang version 14.0.7) #1 SMP PREEMPT Tue Aug 1 2023`,
    'Uptime: up 0 weeks, 0 days, 1 hour, 3 minutes',
    'Bugreport format version: 2.0',
    '',
    '------ MEMORY INFO (/proc/meminfo) ------',
    MEMINFO.replace(/\n$/, ''),
    "------ 0.002s was the duration of 'MEMORY INFO' ------",
    ...(vm === null ? [] : ['------ VMALLOC INFO (/proc/vmallocinfo) ------', vm.replace(/\n$/, ''), "------ 0.011s was the duration of 'VMALLOC INFO' ------"]),
    '------ KERNEL MODULES (lsmod) ------',
    lsmod,
    "------ 0.021s was the duration of 'KERNEL MODULES' ------",
    '------ SYSTEM PROPERTIES (getprop) ------',
    '[ro.product.cpu.abi]: [x86_64]',
    '[ro.product.device]: [oriole]',
    "------ 0.030s was the duration of 'SYSTEM PROPERTIES' ------",
    '',
  ].join('\n');
}

describe('an Android bugreport', () => {
  it('is read from its .txt alone: the VMALLOC INFO, MEMORY INFO and lsmod sections, device and build', async () => {
    const opened = await openSource('bugreport-oriole-UP1A.231005.007-2026-11-30-07-00-12.txt', new TextEncoder().encode(bugreportText()));
    expectSameAsPlain(opened);
    const { origin } = expectDump(opened);
    expect(origin).toMatchObject({ kind: 'bugreport', device: 'oriole', build: 'UP1A.231005.007', release: RELEASE, arch: 'x86_64', taken: '2026-11-30 07:00:12' });
  });

  it('is read from its .zip, the main bugreport text found through main_entry.txt', async () => {
    const main = 'bugreport-oriole-UP1A.231005.007-2026-11-30-07-00-12.txt';
    const zip = zipSync({
      [main]: new TextEncoder().encode(bugreportText()),
      'main_entry.txt': new TextEncoder().encode(main),
      'version.txt': new TextEncoder().encode('2.0'),
      'FS/proc/version': new TextEncoder().encode('Linux version x\n'),
    });
    const opened = await openSource('bugreport.zip', zip);
    expectSameAsPlain(opened);
    expect(expectDump(opened).origin).toMatchObject({ kind: 'bugreport', path: main, device: 'oriole' });
  });

  it('without a VMALLOC INFO section says what it found instead', async () => {
    const opened = await openSource('bugreport.txt', new TextEncoder().encode(bugreportText({ vmallocinfo: null })));
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toBe('bugreport of oriole: no VMALLOC INFO section (dumpstate did not dump /proc/vmallocinfo); found 3 dumpstate sections, MEMORY INFO and lsmod among them.');
  });

  it('whose VMALLOC INFO dumpstate could not read says so', async () => {
    const opened = await openSource('bugreport.txt', new TextEncoder().encode(bugreportText({ vmallocinfo: '*** /proc/vmallocinfo: Permission denied' })));
    expect(opened.kind === 'refused' && opened.message).toContain('dumpstate could not read /proc/vmallocinfo (/proc/vmallocinfo: Permission denied)');
  });
});

describe('vmcore tools', () => {
  it("read crash's kmem -v table as areas with ranges and sizes, and say what it lacks", async () => {
    const rows = EXPECTED.areas.map((a, k) => {
      const va = (0xffff888100000000n + BigInt(k) * 0x40n).toString(16);
      const vm = (0xffff888102000000n + BigInt(k) * 0x40n).toString(16);
      return `${va}  ${vm}  ${a.start!.toString(16)} - ${a.end!.toString(16)}  ${String(a.size).padStart(8)}`;
    });
    const text = ['crash> kmem -v', 'VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                SIZE', ...rows, 'crash> '].join('\n');
    const opened = expectDump(await openSource('kmem-v.txt', new TextEncoder().encode(text)));
    expect(opened.origin.kind).toBe('kmem-v');
    expect(opened.notes.join(' ')).toMatch(/no callers, no pages, no flags/);
    const { snapshot } = parseDump(opened.bytes);
    expect(figuresOf(snapshot)).toEqual({ areas: EXPECTED.areas.length, errors: 0, bytes: EXPECTED.bytes, pages: 0 });
  });

  it("read drgn's contrib/vmallocinfo.py output as a dump with its callers (its own format: %x addresses, %10d sizes, bare symbol names)", async () => {
    // What the script prints for each area (osandov/drgn contrib/vmallocinfo.py): the fixture's
    // areas, printed the script's way.
    const lines = EXPECTED.areas.map((a) => {
      const caller = a.caller ? ` ${a.caller.symbol}` : '';
      const pages = a.pages > 0 ? ` pages=${a.pages}` : '';
      const phys = a.phys !== null ? ` phys=0x${a.phys.toString(16)}` : '';
      const flags = a.flags.filter((f) => f !== 'vm_map_ram' && f !== 'unpurged' && f !== 'vm_area').map((f) => ` ${f}`).join('');
      if (a.flags.includes('vm_map_ram')) return `0x${a.start!.toString(16)}-0x${a.end!.toString(16)} ${String(a.size).padStart(10)} vm_map_ram`;
      return `0x${a.start!.toString(16)}-0x${a.end!.toString(16)} ${String(a.size).padStart(10)}${caller}${pages}${phys}${flags}`;
    });
    const opened = expectDump(await openSource('vmallocinfo.drgn.txt', new TextEncoder().encode(lines.join('\n') + '\n')));
    expect(opened.origin.kind).toBe('drgn');
    const { snapshot } = parseDump(opened.bytes);
    expect(figuresOf(snapshot)).toEqual({ areas: EXPECTED.areas.length, errors: 0, bytes: EXPECTED.bytes, pages: EXPECTED.pages });
    // Every caller is kept, by name: bytes per caller as in the file.
    const byCaller: Record<string, number> = {};
    for (let i = 0; i < snapshot.count; i++) {
      const id = snapshot.columns.symbol[i];
      if (id >= 0) byCaller[snapshot.strings[id]] = (byCaller[snapshot.strings[id]] ?? 0) + snapshot.columns.size[i];
    }
    const expected: Record<string, number> = {};
    for (const a of EXPECTED.areas) if (a.caller) expected[a.caller.symbol] = (expected[a.caller.symbol] ?? 0) + a.size;
    expect(byCaller).toEqual(expected);
  });
});

describe('archive bombs and odd containers', () => {
  it('refuses a gzip of zeros past the cap quickly', async () => {
    const bomb = gzipSync(Buffer.alloc(300 << 20), { level: 1 });
    const t0 = performance.now();
    const opened = await openSource('bomb.tar.gz', bomb);
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toBe('bomb.tar.gz is over 200 MiB once decompressed, over the 200 MiB that vmscope reads; it was not read.');
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 20_000);

  it('refuses a zip whose entry inflates past the cap, whatever size its header declares', async () => {
    const zeros = new Uint8Array(210 << 20);
    const zip = zipSync({ 'bugreport-x.txt': zeros }, { level: 1 });
    // The header's sizes say 16 bytes: the cap still stops the inflation.
    const view = new DataView(zip.buffer, zip.byteOffset);
    view.setUint32(22, 16, true);
    const t0 = performance.now();
    const opened = await openSource('bomb.zip', zip);
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toMatch(/over 200 MiB/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 20_000);

  it('refuses a .tar.gz and a .tar.xz whose member of zeros unpacks past the cap at 100 times their size, in seconds, saying why', async () => {
    // A member declaring 1 GiB of zeros: walked as a sosreport would be, it would run to the 2 GiB walk limit.
    const tar = createTar([{ name: `${TOP}/sos_commands/logs/zeros`, data: new Uint8Array(1 << 30) }, ...sosFiles()]);
    for (const [name, packed] of [
      ['bomb.tar.gz', gzipSync(tar, { level: 1 })],
      ['bomb.tar.xz', xz(tar, '-0')],
    ] as const) {
      expect(packed).not.toBeNull();
      const t0 = performance.now();
      const opened = await openSource(name, packed!);
      expect(opened.kind).toBe('refused');
      if (opened.kind === 'refused') expect(opened.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} unpacks to more than 100 times its .* as an archive bomb does`));
      // Stopped just past the 200 MiB cap, long before the 1 GiB member ends.
      expect(performance.now() - t0).toBeLessThan(8_000);
    }
  }, 120_000);

  it('refuses an xz of zeros past the cap', async () => {
    const packed = xz(new Uint8Array(210 << 20));
    expect(packed).not.toBeNull();
    const opened = await openSource('bomb.tar.xz', packed!);
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.message).toMatch(/over 200 MiB once unpacked from xz/);
  }, 30_000);

  it('says a tar is cut short when an entry declares more bytes than it holds', async () => {
    const tar = sosTar();
    // The first entry's size field (octal, offset 124) says 8 GiB.
    tar.set(new TextEncoder().encode('77777777777\0'), 124);
    const opened = await openSource('cut.tar', tar);
    expect(opened).toEqual({ kind: 'refused', message: `cut.tar is cut short: ${TOP}/proc/vmallocinfo declares 8.00 GiB, more than the archive holds; no proc/vmallocinfo was read.` });
  });

  it('stops walking a tar or zip at the entry cap and says so', () => {
    const many = Array.from({ length: 12 }, (_, k) => ({ name: `d/f${k}`, data: 'x' }));
    const tar = listTar('many.tar', createTar(many), () => false, 10);
    expect(tar).toEqual({ ok: false, message: 'many.tar holds more than 10 entries; vmscope stops there and did not read it.' });
    const zip = listZip('many.zip', zipSync(Object.fromEntries(many.map((f) => [f.name, new TextEncoder().encode(f.data)]))), () => false, 10);
    expect(zip).toEqual({ ok: false, message: 'many.zip holds more than 10 entries; vmscope stops there and did not read it.' });
    expect(listTar('few.tar', createTar(many), () => false, 12).ok).toBe(true);
  });

  it('passes a plain dump through untouched', async () => {
    const bytes = new TextEncoder().encode(VM);
    const opened = await openSource('x.vmallocinfo', bytes);
    expect(opened).toEqual({ kind: 'plain', bytes, unpacked: null });
  });
});
