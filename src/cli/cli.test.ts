import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../lib/model/model.ts';
import { decodeShare, decodeShareFile, isShareFile } from '../lib/share/codec.ts';
import { DEFAULT_BASE } from './main.ts';
import { runCli } from './testing.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

/** vmscope ...args in-process (testing.ts), `input` on its stdin. */
function vmscope(args: string[], input?: Buffer | string) {
  return runCli(args, { stdin: input });
}

/** The awk view of a dump, computed without the library: area lines, size column, pages=, [module]. */
function awkTotals(text: string) {
  let areas = 0;
  let bytes = 0;
  let pages = 0;
  const modules: Record<string, { count: number; bytes: number }> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('0x')) continue;
    const fields = line.trim().split(/\s+/);
    areas++;
    const size = Number(fields[1]);
    bytes += size;
    for (const f of fields) {
      if (f.startsWith('pages=')) pages += Number(f.slice(6));
      const m = /^\[(.+)\]$/.exec(f);
      if (m) {
        modules[m[1]] ??= { count: 0, bytes: 0 };
        modules[m[1]].count++;
        modules[m[1]].bytes += size;
      }
    }
  }
  return { areas, bytes, pages, modules };
}

describe('vmscope summary', () => {
  it('prints the JSON summary of a raw x86_64 dump with totals equal to the awk view', async () => {
    const file = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
    const r = await vmscope(['summary', sample(file), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const awk = awkTotals(readFileSync(sample(file), 'utf8'));
    expect(json.areas).toBe(awk.areas);
    expect(json.bytes).toBe(awk.bytes);
    expect(json.pages).toBe(awk.pages);
    expect(json.modules).toEqual(awk.modules);
    expect(json.pointerMode).toBe('raw');
    expect(json.diagnostics).toBe(0);
    expect(json.layout).toBe('x86_64, 4-level paging');
    expect(typeof json.largestGapBytes).toBe('number');
    const kindBytes = Object.values(json.kinds as Record<string, { bytes: number }>).reduce((s, k) => s + k.bytes, 0);
    expect(kindBytes).toBe(awk.bytes);
    expect(json.topCallers.length).toBeLessThanOrEqual(10);
    const callerBytes = json.topCallers.map((c: { bytes: number }) => c.bytes);
    expect(callerBytes).toEqual([...callerBytes].sort((a, b) => b - a));
  });

  it('reads gzip from stdin and reports a hashed dump with no layout and no gap', async () => {
    const file = 'kernels/arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo';
    const text = readFileSync(sample(file));
    const r = await vmscope(['summary', '-', '--json'], gzipSync(text));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.areas).toBe(awkTotals(text.toString('utf8')).areas);
    expect(json.pointerMode).toBe('hashed');
    expect(json.layout).toBeNull();
    expect(json.largestGapBytes).toBeNull();
  });

  it('counts every module’s loader areas with --modules, and checks them against lsmod’s size', async () => {
    const name = 'kernels/arm64-6.12.117-deb12-after-insmod-raw';
    const r = await vmscope(['summary', sample(`${name}.vmallocinfo`), '--json', '--modules', sample(`${name}.modules`)]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const text = readFileSync(sample(`${name}.vmallocinfo`), 'utf8');
    const loader = awkAreas(text).filter((x) => x.caller === 'load_module');
    const lsmod = readFileSync(sample(`${name}.modules`), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
    const tags = awkTotals(text).modules;
    // Every loader line is some module's, and each module's count is its tagged areas plus its loader areas.
    const total = Object.values(json.modules as Record<string, { count: number; bytes: number }>).reduce((s, m) => s + m.count, 0);
    expect(total).toBe(loader.length + Object.values(tags).reduce((s, m) => s + m.count, 0));
    for (const [m, size] of lsmod) {
      const check = json.moduleCheck[m];
      expect(check.agreement, m).toBe('exact');
      expect(check.lsmodBytes, m).toBe(Number(size));
      expect(check.loaderBytes, m).toBe(Number(size) + 4096 * check.loaderAreas);
      expect(json.modules[m], m).toEqual({ count: check.loaderAreas + (tags[m]?.count ?? 0), bytes: check.loaderBytes + (tags[m]?.bytes ?? 0) });
    }
    const plain = await vmscope(['summary', sample(`${name}.vmallocinfo`), '--json']);
    expect(JSON.parse(plain.stdout).modules).toEqual(tags);
    expect(JSON.parse(plain.stdout).moduleCheck).toBeUndefined();
    expect(plain.stderr).toMatch(/add --modules .*after-insmod-raw\.modules/);
  });

  it('prints a readable report naming the pointer mode and the layout', async () => {
    const r = await vmscope(['summary', sample('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/141 areas in 141 lines/);
    expect(r.stdout).toMatch(/pointers: raw/);
    expect(r.stdout).toMatch(/layout: arm64, 48-bit VA/);
  });

  it('tells how to get real addresses for a hashed dump: root with kptr_restrict=1, or no_hash_pointers', async () => {
    const r = await vmscope(['summary', sample('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pointers: hashed \(kptr_restrict=0/);
    expect(r.stdout).toMatch(/for real addresses: read it as root with kernel\.kptr_restrict=1, or boot with no_hash_pointers/);
  });

  it('reads a combined capture as the app does: the /proc/meminfo lines are set aside, not counted as errors', async () => {
    const dump = readFileSync(sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), 'utf8');
    const meminfo = readFileSync(sample('kernels/x86_64-6.1.0-56-boot-raw.meminfo'), 'utf8');
    const r = await vmscope(['summary', '-', '--json'], dump + meminfo);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.areas).toBe(awkTotals(dump).areas);
    expect(json.diagnostics).toBe(0);
    expect(r.stderr).toContain(`also found: /proc/meminfo (${meminfo.trim().split('\n').length} lines)`);
  });

  it('exits 1 and says why when nothing could be read', async () => {
    const r = await vmscope(['summary', sample('kernels/x86_64-6.1.0-56-boot-raw.meminfo')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/meminfo.* but no \/proc\/vmallocinfo area line/);
    expect((await vmscope(['summary', '-'], '')).stderr).toMatch(/empty/);
    expect((await vmscope(['summary', '/nonexistent/file'])).stderr).toMatch(/no such file/);
  });

  it('exits 2 with usage on a bad command line', async () => {
    const r = await vmscope(['sumary', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: vmscope summary/);
  });

  it('prints help and the version on stdout with exit 0 when asked', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['help'], ['--help'], ['-h'], ['summary', '--help'], ['record', '-h']]) {
      const r = await vmscope(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^usage: vmscope summary/);
    }
    for (const flag of ['--version', '-V']) {
      const r = await vmscope([flag]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `vmscope ${version}\n`, stderr: '' });
    }
  });
});

/** Area lines of a dump the awk way: start, caller field (or the kind words), size. */
function awkAreas(text: string) {
  return text
    .split('\n')
    .filter((l) => l.startsWith('0x'))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const caller = /\+0x/.test(f[2] ?? '') ? f[2].replace(/\+.*/, '') + (f[3]?.startsWith('[') ? ' ' + f[3] : '') : `(${f.slice(2).join(' ')})`;
      return { start: f[0].split('-')[0], size: Number(f[1]), caller };
    });
}

describe('vmscope diff', () => {
  const A = 'kernels/x86_64-6.1.0-56-boot-raw';
  const B = 'kernels/x86_64-6.1.0-56-after-insmod-raw';

  it('prints the JSON diff with counts and bytes from the set difference of (start, caller) keys', async () => {
    const r = await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--json', '--modules-b', sample(`${B}.modules`)]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const a = awkAreas(readFileSync(sample(`${A}.vmallocinfo`), 'utf8'));
    const b = awkAreas(readFileSync(sample(`${B}.vmallocinfo`), 'utf8'));
    const key = (x: { start: string; caller: string }) => `${x.start}|${x.caller.replace(/\((unpurged|vm_map_ram).*\)/, '($1)')}`;
    const inA = new Set(a.map(key));
    const inB = new Set(b.map(key));
    const added = b.filter((x) => !inA.has(key(x)));
    const removed = a.filter((x) => !inB.has(key(x)));
    expect(json.added).toEqual({ count: added.length, bytes: added.reduce((s, x) => s + x.size, 0) });
    expect(json.removed).toEqual({ count: removed.length, bytes: removed.reduce((s, x) => s + x.size, 0) });
    expect(json.resized).toEqual({ count: 0, bytesDelta: 0 });
    expect(json.netBytes).toBe(awkTotals(readFileSync(sample(`${B}.vmallocinfo`), 'utf8')).bytes - awkTotals(readFileSync(sample(`${A}.vmallocinfo`), 'utf8')).bytes);
    expect(json.matchedBy).toBe('address');
    // erofs: its load_module area (holding 0xffffffffc0b75000) and its two [erofs] areas.
    const erofs = b.filter((x) => x.start === '0xffffffffc0b75000' || x.caller.endsWith('[erofs]'));
    expect(json.byModule.erofs).toMatchObject({ count: erofs.length, bytes: erofs.reduce((s, x) => s + x.size, 0) });
  });

  it('finds the /proc/modules section pasted into a capture and says where the modules came from', async () => {
    const dump = readFileSync(sample(`${B}.vmallocinfo`), 'utf8');
    const mods = readFileSync(sample(`${B}.modules`), 'utf8');
    const r = await vmscope(['diff', sample(`${A}.vmallocinfo`), '-'], dump + mods);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^B: \(stdin\) · 367 areas, .* · raw · 24 modules from the capture itself$/m);
    expect(r.stdout).toMatch(/^ {4}xfs +\+1 area +\+1\.88 MiB +1 added$/m);
    expect(r.stdout).toMatch(/^ {2}net +\+276 areas +\+25\.9 MiB \(27,136,000 bytes\)$/m);
  });

  it('gives xfs all four of its areas on arm64 6.12 from a combined capture: the bytes insmod mapped', async () => {
    const a = 'kernels/arm64-6.12.117-deb12-boot-raw';
    const b = 'kernels/arm64-6.12.117-deb12-after-insmod-raw';
    const dump = readFileSync(sample(`${b}.vmallocinfo`), 'utf8');
    const mods = readFileSync(sample(`${b}.modules`), 'utf8');
    const r = await vmscope(['diff', sample(`${a}.vmallocinfo`), '-', '--json'], dump + mods);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    // xfs's sections: the gapless run of load_module lines from its base whose sizes minus a guard
    // page each reach lsmod's size.
    const xfs = mods.split('\n').find((l) => l.startsWith('xfs '))!.split(/\s+/);
    const lines = awkAreas(dump).filter((x) => x.caller === 'load_module').map((x) => ({ ...x, at: BigInt(x.start) })).sort((p, q) => (p.at < q.at ? -1 : 1));
    const run = [lines.find((x) => x.at === BigInt(xfs[5]))!];
    let net = run[0].size - 4096;
    while (net < Number(xfs[1])) {
      const last = run[run.length - 1];
      const next = lines.find((x) => x.at === last.at + BigInt(last.size))!;
      run.push(next);
      net += next.size - 4096;
    }
    expect(net).toBe(Number(xfs[1]));
    expect(json.byModule.xfs).toMatchObject({ count: run.length, bytes: run.reduce((s, x) => s + x.size, 0) });
    expect(run.length).toBe(4);
  });

  it('does not read a sibling .modules file unasked but says it is there', async () => {
    const r = await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/modules from/);
    expect(r.stderr).toMatch(/note: .*after-insmod-raw\.modules is next to .*; add --modules-b/);
  });

  it('matches a raw dump against a hashed one by caller and size, from gzip', async () => {
    const hashed = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo'));
    const r = await vmscope(['diff', sample(`${B}.vmallocinfo`), '-', '--json'], gzipSync(hashed));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.matchedBy).toBe('multiset');
    const total = (t: string) => awkTotals(t).bytes;
    expect(json.netBytes).toBe(total(hashed.toString('utf8')) - total(readFileSync(sample(`${B}.vmallocinfo`), 'utf8')));
  });

  it('lists areas still tagged with a module that B no longer loads as possible leaks', async () => {
    const after = 'kernels/x86_64-6.1.0-56-after-rmmod-raw';
    const dump = readFileSync(sample(`${after}.vmallocinfo`), 'utf8');
    // As if erofs had been unloaded while its two run-time areas stayed behind.
    const mods = readFileSync(sample(`${after}.modules`), 'utf8').replace(/^erofs .*\n/m, '');
    const erofs = awkAreas(dump).filter((x) => x.caller.endsWith('[erofs]'));
    const r = await vmscope(['diff', sample(`${B}.vmallocinfo`), '-', '--modules-a', sample(`${B}.modules`)], dump + mods);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/possible leaks: areas tagged with a module that B's \/proc\/modules no longer lists\n {4}erofs +(\d+) areas +(\S+ \S+)/);
    const m = /\n {4}erofs +(\d+) areas +(\S+ \S+)\n?$/.exec(r.stdout)!;
    expect(Number(m[1])).toBe(erofs.length);
    expect(m[2]).toBe(`${erofs.reduce((s, x) => s + x.size, 0) / 1024} KiB`);
  });

  it('says there are no possible leaks when B’s /proc/modules lists every [module] tag, and that the check did not run without it', async () => {
    const dumpB = readFileSync(sample(`${B}.vmallocinfo`), 'utf8');
    const listed = new Set(readFileSync(sample(`${B}.modules`), 'utf8').split('\n').map((l) => l.split(' ')[0]));
    const tags = awkAreas(dumpB).flatMap((x) => /\[(\w+)\]$/.exec(x.caller)?.[1] ?? []);
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((t) => listed.has(t))).toBe(true);
    const ran = await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--modules-b', sample(`${B}.modules`)]);
    expect(ran.stdout).toMatch(/^ {2}no possible leaks: every \[module\] tag in B names a module B's \/proc\/modules lists$/m);
    const json = JSON.parse((await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--modules-b', sample(`${B}.modules`), '--json'])).stdout);
    expect(json.leakCheck).toBe('ran');
    expect(json.possibleLeaks).toEqual([]);
    const notRun = await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`)]);
    expect(notRun.stdout).toMatch(/^ {2}possible leaks: not checked \(no \/proc\/modules for B; give --modules-b/m);
    expect(JSON.parse((await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--json'])).stdout).leakCheck).toBe('no-modules-b');
  });

  it('names lazily freed areas and vm_map_ram blocks in byCaller, not "(no caller)"', async () => {
    const a = awkAreas(readFileSync(sample(`${A}.vmallocinfo`), 'utf8'));
    const b = awkAreas(readFileSync(sample(`${B}.vmallocinfo`), 'utf8'));
    const json = JSON.parse((await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--json'])).stdout);
    for (const [word, name] of [['(unpurged vm_area)', '(lazily freed)'], ['(vm_map_ram)', '(vm_map_ram)']]) {
      const keys = (xs: typeof a) => new Set(xs.filter((x) => x.caller === word).map((x) => x.start));
      const [inA, inB] = [keys(a), keys(b)];
      const added = [...inB].filter((k) => !inA.has(k)).length;
      const removed = [...inA].filter((k) => !inB.has(k)).length;
      expect(added + removed).toBeGreaterThan(0);
      expect(json.byCaller[name]).toMatchObject({ added, removed, count: added - removed });
    }
    const early = [...a, ...b].some((x) => x.caller.startsWith('(') && x.caller !== '(unpurged vm_area)' && x.caller !== '(vm_map_ram)');
    expect('(no caller)' in json.byCaller).toBe(early);
    const text = (await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`)])).stdout;
    expect(text).toMatch(/^ {4}\(lazily freed\) +\+\d+ areas/m);
  });

  it('warns, in text and JSON, that two boots cannot be compared as one machine, and says why', async () => {
    const other = sample('kernels/x86_64-6.1.0-56-after-insmod-numa-raw.vmallocinfo');
    const firstStart = (file: string) => readFileSync(file, 'utf8').split('\n')[0].split('-')[0];
    expect(firstStart(sample(`${A}.vmallocinfo`))).not.toBe(firstStart(other));
    const r = await vmscope(['diff', sample(`${A}.vmallocinfo`), other]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}warning \(base\): The vmalloc base differs/m);
    expect(r.stdout).toMatch(/^ {2}warning \(no-common\): Not one area has the same address and caller/m);
    expect(r.stdout).toMatch(/A and B cannot be one machine and boot/);
    const json = JSON.parse((await vmscope(['diff', sample(`${A}.vmallocinfo`), other, '--json'])).stdout);
    expect(json.warnings.map((w: { reason: string }) => w.reason)).toEqual(['base', 'no-common']);
    const same = JSON.parse((await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--json'])).stdout);
    expect(same.warnings).toEqual([]);
    expect((await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`)])).stdout).not.toMatch(/warning/);
  });

  it('exits 1 when a dump or a module list cannot be read, 2 on a bad command line', async () => {
    expect((await vmscope(['diff', sample(`${A}.vmallocinfo`), '/nonexistent/b'])).code).toBe(1);
    const r = await vmscope(['diff', sample(`${A}.vmallocinfo`), sample(`${B}.vmallocinfo`), '--modules-a', '/nonexistent/m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/m: no such file/);
    expect((await vmscope(['diff', sample(`${A}.vmallocinfo`)])).code).toBe(2);
    expect((await vmscope(['diff', '-', '-'])).code).toBe(2);
    expect((await vmscope(['diff', 'a', 'b', '--format', 'csv'])).code).toBe(2);
  });
});

describe('vmscope export', () => {
  const FILE = 'kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo';

  it('writes one NDJSON row per area with exact addresses and sizes', async () => {
    const text = readFileSync(sample(FILE), 'utf8');
    const r = await vmscope(['export', sample(FILE), '--format', 'ndjson']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const areas = awkAreas(text);
    expect(rows.length).toBe(areas.length);
    rows.forEach((row, k) => {
      expect(row.start).toBe(areas[k].start);
      expect(row.size).toBe(areas[k].size);
    });
    expect(rows.reduce((s, x) => s + x.pages, 0)).toBe(awkTotals(text).pages);
  });

  it('writes CSV with a header from gzip on stdin, and ndjson by default', async () => {
    const text = readFileSync(sample(FILE));
    const r = await vmscope(['export', '-', '--format=csv'], gzipSync(text));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('line,start,end,size,pages,kind,caller,offset,module,phys,flags,nodes,host,moment,time');
    expect(lines.length).toBe(awkTotals(text.toString('utf8')).areas + 1);
    expect((await vmscope(['export', sample(FILE)])).stdout.startsWith('{"line":1,')).toBe(true);
  });

  it('exits 1 on an unreadable file and 2 on an unknown format', async () => {
    expect((await vmscope(['export', '/nonexistent/file'])).code).toBe(1);
    const r = await vmscope(['export', sample(FILE), '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown format "xml"/);
  });
});

describe('vmscope link', () => {
  const FILE = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';

  it('prints the link the app would make, addresses hidden, holding every area and byte', async () => {
    const text = readFileSync(sample(FILE), 'utf8');
    const r = await vmscope(['link', sample(FILE)]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0].startsWith(`${DEFAULT_BASE}#s=`)).toBe(true);
    expect(r.stderr).toMatch(/absolute addresses hidden/);
    const d = await decodeShare(lines[0].slice(lines[0].indexOf('#s=') + 3));
    const awk = awkTotals(text);
    expect(d.snapshot.count).toBe(awk.areas);
    expect(buildModel(d.snapshot).totals.all).toEqual({ count: awk.areas, bytes: awk.bytes, pages: awk.pages });
    expect(d.addressesHidden).toBe(true);
    expect(d.snapshot.area(0).start).toBe(0n);
  });

  it('puts the real addresses in with --addresses, reads gzip on stdin, and opens the page given by --base', async () => {
    const text = readFileSync(sample(FILE));
    const r = await vmscope(['link', '-', '--addresses', '--base', 'https://vmscope.example/tool/', '--json'], gzipSync(text));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.link.startsWith('https://vmscope.example/tool/#s=')).toBe(true);
    expect(json.characters).toBe(json.link.length);
    expect(json.addresses).toBe('included');
    const d = await decodeShare(json.link.slice(json.link.indexOf('#s=') + 3));
    const lowest = awkAreas(text.toString('utf8'))
      .map((a) => BigInt(a.start))
      .reduce((m, x) => (x < m ? x : m));
    expect(d.addressesHidden).toBe(false);
    expect(d.snapshot.area(0).start).toBe(lowest);
    expect(r.stderr).toMatch(/real kernel addresses included/);
  });

  it('writes a .vmscope file with --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-link-'));
    const out = join(dir, 'vm.vmscope');
    const r = await vmscope(['link', sample(FILE), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const bytes = new Uint8Array(readFileSync(out));
    expect(isShareFile(bytes)).toBe(true);
    expect((await decodeShareFile(bytes)).snapshot.count).toBe(awkTotals(readFileSync(sample(FILE), 'utf8')).areas);
  });

  it('reads links and .vmscope files back: summary and diff take them where a file goes', async () => {
    const link = (await vmscope(['link', sample(FILE)])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-link-'));
    const out = join(dir, 'vm.vmscope');
    expect((await vmscope(['link', sample(FILE), '--addresses', '--out', out])).code).toBe(0);
    const keys = ['areas', 'bytes', 'pages', 'kinds', 'modules', 'topCallers'];
    const pick = (json: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, json[k]]));
    const fromFile = JSON.parse((await vmscope(['summary', sample(FILE), '--json'])).stdout);
    const fromLink = await vmscope(['summary', link, '--json']);
    expect(fromLink.code).toBe(0);
    expect(fromLink.stderr).toMatch(/hid absolute addresses/);
    expect(pick(JSON.parse(fromLink.stdout))).toEqual(pick(fromFile));
    const fromOut = JSON.parse((await vmscope(['summary', out, '--json'])).stdout);
    expect(pick(fromOut)).toEqual(pick(fromFile));
    expect(fromOut.layout).toBe(fromFile.layout); // addresses included: the same layout
    const diff = JSON.parse((await vmscope(['diff', sample(FILE), link, '--json'])).stdout);
    expect([diff.added.count, diff.removed.count, diff.netBytes]).toEqual([0, 0, 0]);
    const bad = await vmscope(['summary', link.slice(0, link.indexOf('#s=') + 12)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read shared link: This share link is damaged/);
  }, 30_000); // seven runs of the CLI

  it('refuses its options elsewhere and a base that is not an http(s) page', async () => {
    expect((await vmscope(['summary', sample(FILE), '--addresses'])).code).toBe(2);
    const r = await vmscope(['link', sample(FILE), '--base', 'ftp://x/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base must be an http\(s\) URL/);
    expect((await vmscope(['link', '/nonexistent/file'])).code).toBe(1);
  });
});

describe('hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmscope-hostile-'));
  const MiB = 1 << 20;

  it('refuses a gzip that inflates past 200 MiB, with exit status 1, without inflating it all', async () => {
    // 210 gzip members of 1 MiB of zeros each: 210 MiB once inflated, a few hundred KiB on disk.
    const member = gzipSync(Buffer.alloc(MiB));
    const file = join(dir, 'bomb.gz');
    writeFileSync(file, Buffer.concat(Array.from({ length: 210 }, () => member)));
    const r = await vmscope(['summary', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vmscope: ${file} is over 200 MiB once decompressed, over the 200 MiB that vmscope reads; it was not read.\n`);
  });

  // /dev/zero on stdin, and a reader of stdout that goes away, are the process's: smoke.test.ts.
  it('refuses an endless file (/dev/zero) once it passes 200 MiB', async () => {
    const asFile = await vmscope(['summary', '/dev/zero']);
    expect([asFile.code, asFile.stderr]).toEqual([1, 'vmscope: /dev/zero is over 200 MiB, over the 200 MiB that vmscope reads; it was not read.\n']);
  });

  it('says a directory given to link --out is a directory, with exit status 1', async () => {
    const out = join(dir, 'a-directory');
    mkdirSync(out);
    const r = await vmscope(['link', sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vmscope: cannot write ${out}: is a directory (give a file name, e.g. dump.vmscope)\n`);
  });
});

describe('vmscope summary: the vmalloc range and exact numbers', () => {
  it('prints byte counts past 2^53 exactly in --json (riscv64 Sv57: the largest gap is 45035992010637312 bytes)', async () => {
    const r = await vmscope(['summary', sample('kernels/riscv64-6.12.117-deb13-after-insmod-raw.vmallocinfo'), '--json']);
    expect(r.code).toBe(0);
    // The literal, not a rounded double: JSON.parse would give 45035992010637310.
    expect(r.stdout).toMatch(/"largestGapBytes": 45035992010637312,/);
    expect(JSON.parse(r.stdout).layoutId).toBe('riscv64-sv57');
  });

  it('fixes the range from --meminfo and says so, in the report and in --json', async () => {
    const stem = 'kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw';
    const total = Number(/VmallocTotal:\s+(\d+)/.exec(readFileSync(sample(`${stem}.meminfo`), 'utf8'))![1]);
    const report = await vmscope(['summary', sample(`${stem}.vmallocinfo`), '--meminfo', sample(`${stem}.meminfo`)]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('vmalloc range fixed by /proc/meminfo (VmallocTotal)');
    const json = JSON.parse((await vmscope(['summary', sample(`${stem}.vmallocinfo`), '--meminfo', sample(`${stem}.meminfo`), '--json'])).stdout);
    expect(json.layoutId).toBe('i386');
    expect(json.layoutEvidence[0]).toBe('meminfo');
    const vm = json.regions.find((x: { id: string }) => x.id === 'vmalloc');
    expect(BigInt(vm.end) - BigInt(vm.start)).toBe(BigInt(total) * 1024n);
    expect((await vmscope(['diff', sample(`${stem}.vmallocinfo`), sample(`${stem}.vmallocinfo`), '--meminfo', 'x'])).code).toBe(2);
  });
});
