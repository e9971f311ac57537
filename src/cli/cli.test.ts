import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

function vmscope(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, ['src/cli/vmscope.mjs', ...args], { cwd: root, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
  it('prints the JSON summary of a raw x86_64 dump with totals equal to the awk view', () => {
    const file = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';
    const r = vmscope(['summary', sample(file), '--json']);
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

  it('reads gzip from stdin and reports a hashed dump with no layout and no gap', () => {
    const file = 'kernels/arm64-6.12.117-deb12-after-insmod-hashed.vmallocinfo';
    const text = readFileSync(sample(file));
    const r = vmscope(['summary', '-', '--json'], gzipSync(text));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.areas).toBe(awkTotals(text.toString('utf8')).areas);
    expect(json.pointerMode).toBe('hashed');
    expect(json.layout).toBeNull();
    expect(json.largestGapBytes).toBeNull();
  });

  it('prints a readable report naming the pointer mode and the layout', () => {
    const r = vmscope(['summary', sample('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/141 areas in 141 lines/);
    expect(r.stdout).toMatch(/pointers: raw/);
    expect(r.stdout).toMatch(/layout: arm64, 48-bit VA/);
  });

  it('keeps the good lines of a mixed capture and exits 0', () => {
    const dump = readFileSync(sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), 'utf8');
    const meminfo = readFileSync(sample('kernels/x86_64-6.1.0-56-boot-raw.meminfo'), 'utf8');
    const r = vmscope(['summary', '-', '--json'], dump + meminfo);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.areas).toBe(awkTotals(dump).areas);
    expect(json.diagnostics).toBe(meminfo.trim().split('\n').length);
  });

  it('exits 1 and says why when nothing could be read', () => {
    const r = vmscope(['summary', sample('kernels/x86_64-6.1.0-56-boot-raw.meminfo')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no vmallocinfo area line.*meminfo/);
    expect(vmscope(['summary', '-'], '').stderr).toMatch(/empty/);
    expect(vmscope(['summary', '/nonexistent/file']).stderr).toMatch(/no such file/);
  });

  it('exits 2 with usage on a bad command line', () => {
    const r = vmscope(['sumary', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: vmscope summary/);
  });
});
