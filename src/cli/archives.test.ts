import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing.ts';

// Every command that reads a FILE takes a sosreport (archive or directory) or a bugreport, built
// here from a real capture; the figures are those of the plain capture, counted the awk way.

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => readFileSync(fileURLToPath(new URL(`../../public/samples/kernels/${name}`, import.meta.url)), 'utf8');

const vmscope = (args: string[]) => runCli(args);

const BASE = 'i386-6.1.0-50-686-after-insmod-raw';
const VM = sample(`${BASE}.vmallocinfo`);
const AREAS = VM.split('\n').filter((l) => l.startsWith('0x'));
const BYTES = AREAS.reduce((s, l) => s + Number(l.trim().split(/\s+/)[1]), 0);
const TOP = 'sosreport-web1-2026-11-30-qwerty';
const FILES = [
  { name: `${TOP}/proc/vmallocinfo`, data: VM },
  { name: `${TOP}/proc/meminfo`, data: sample(`${BASE}.meminfo`) },
  { name: `${TOP}/proc/modules`, data: sample(`${BASE}.modules`) },
  { name: `${TOP}/sos_commands/kernel/uname_-a`, data: 'Linux web1 6.1.0-50-686 #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09) i686 GNU/Linux\n' },
  { name: `${TOP}/hostname`, data: 'web1\n' },
];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'vmscope-archives-'));
}

describe('the CLI reads dumps as they arrive', () => {
  it('summarises a sosreport .tar.gz: its areas, bytes and modules, the host and kernel in the title', async () => {
    const dir = scratch();
    const file = join(dir, `${TOP}.tar.gz`);
    writeFileSync(file, gzipSync(createTar(FILES)));
    const json = await vmscope(['summary', file, '--json']);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary.areas).toBe(AREAS.length);
    expect(summary.bytes).toBe(BYTES);
    expect(json.stderr).toContain(`read ${TOP}/proc/vmallocinfo from the sosreport of web1 (6.1.0-50-686 i686), with ${TOP}/proc/meminfo and ${TOP}/proc/modules`);
    const text = await vmscope(['summary', file]);
    expect(text.stdout).toContain('sosreport · web1 · 6.1.0-50-686 i686');
  });

  it('reads an unpacked sosreport directory, in summary, export and diff alike', async () => {
    const dir = scratch();
    for (const f of FILES) {
      mkdirSync(dirname(join(dir, f.name)), { recursive: true });
      writeFileSync(join(dir, f.name), f.data);
    }
    const folder = join(dir, TOP);
    const summary = await vmscope(['summary', folder, '--json']);
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.stdout).areas).toBe(AREAS.length);
    const rows = (await vmscope(['export', folder])).stdout.trim().split('\n');
    expect(rows).toHaveLength(AREAS.length);
    const diff = await vmscope(['diff', folder, folder, '--json']);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout).b).toBe(folder);
    expect(summary.stderr).toContain('read proc/vmallocinfo from the sosreport of web1 (6.1.0-50-686 i686), with proc/meminfo and proc/modules');
  });

  it('reads a sosreport .tar.xz from stdin', async () => {
    const tar = createTar(FILES);
    const xz = new Uint8Array(execFileSync('/usr/bin/xz', ['-c'], { input: tar }));
    const r = await runCli(['summary', '-', '--json'], { stdin: xz });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).areas).toBe(AREAS.length);
    expect(r.stderr).toContain('sosreport of web1');
  });

  it('says what a sosreport without a vmallocinfo holds, and exits 1', async () => {
    const dir = scratch();
    const file = join(dir, 'sos.tar');
    writeFileSync(file, createTar(FILES.slice(1)));
    const r = await vmscope(['summary', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sosreport of web1: no proc/vmallocinfo — the memory plugin was not run; found proc/meminfo, proc/modules, uname (6.1.0-50-686 i686).');
  });

  it('reads a .tar.xz in the built bin too, where xz-decompress is bundled', () => {
    const dir = scratch();
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--cli-only', '--outDir', join(dir, 'dist')], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const file = join(dir, `${TOP}.tar.xz`);
    writeFileSync(file, execFileSync('/usr/bin/xz', ['-c'], { input: createTar(FILES) }));
    const r = spawnSync(process.execPath, [join(dir, 'dist/cli/vmscope.js'), 'summary', file, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).areas).toBe(AREAS.length);
  }, 60_000);
});
