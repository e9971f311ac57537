import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readIndependently } from '../lib/testing/fixtures.ts';
import { familySum, parseStrictly, sampleValue } from '../lib/testing/prometheus.ts';
import { parseMetricsArgs, writeAtomically } from './metrics.ts';
import { runCli } from './testing.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

/** vmscope in-process (testing.ts), as the bin runs it. */
function vmscope(args: string[], input?: string) {
  return runCli(args, { stdin: input });
}

describe('vmscope metrics', () => {
  it('prints families that parse, whose kinds sum to the awk total of the dump', async () => {
    const file = sample('kernels/arm64-6.12.117-deb12-after-insmod-raw.vmallocinfo');
    const r = await vmscope(['metrics', file, '--top', '3']);
    expect(r.code).toBe(0);
    const families = parseStrictly(r.stdout);
    const total = readIndependently(readFileSync(file, 'utf8')).bytes;
    expect(familySum(families, 'vmscope_vmalloc_bytes')).toBe(total);
    expect(familySum(families, 'vmscope_vmalloc_caller_bytes')).toBe(total);
    expect(families.get('vmscope_vmalloc_caller_bytes')!.metrics).toHaveLength(4);
  });

  it('reads stdin for -, and a /proc/modules section pasted after the dump counts the loader areas for their modules', async () => {
    const dump = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'), 'utf8');
    const modules = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-raw.modules'), 'utf8');
    const plain = parseStrictly((await vmscope(['metrics', '-'], dump)).stdout);
    const withModules = parseStrictly((await vmscope(['metrics', '-'], dump + modules)).stdout);
    // xfs is loaded and has no [xfs]-tagged area: only its loader areas, known from /proc/modules, count.
    expect(modules).toMatch(/^xfs /m);
    expect(sampleValue(plain, 'vmscope_vmalloc_module_bytes', { module: 'xfs' })).toBeUndefined();
    expect(sampleValue(withModules, 'vmscope_vmalloc_module_bytes', { module: 'xfs' })).toBeGreaterThan(0);
  });

  it('takes moment N of a log with FILE@N', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-metrics-'));
    const a = readFileSync(sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), 'utf8');
    const b = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'), 'utf8');
    const log = join(dir, 'vmalloc.log');
    writeFileSync(log, `2026-11-30T00:00:00+00:00\n${a}2026-11-30T00:01:00+00:00\n${b}`);
    const first = parseStrictly((await vmscope(['metrics', `${log}@1`])).stdout);
    const last = parseStrictly((await vmscope(['metrics', log])).stdout);
    expect(familySum(first, 'vmscope_vmalloc_bytes')).toBe(readIndependently(a).bytes);
    expect(familySum(last, 'vmscope_vmalloc_bytes')).toBe(readIndependently(b).bytes);
  });

  it('-o writes the file with mode 0644 and leaves no temporary file beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-metrics-'));
    const out = join(dir, 'vmalloc.prom');
    const r = await vmscope(['metrics', sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['vmalloc.prom']);
    expect(statSync(out).mode & 0o777).toBe(0o644);
    parseStrictly(readFileSync(out, 'utf8'));
  });

  it('-o into a folder that does not exist fails with exit 1 and says why', async () => {
    const r = await vmscope(['metrics', sample('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'), '-o', '/nonexistent-vmscope/x.prom']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write \/nonexistent-vmscope\/x.prom: no such directory/);
  });

  it('a failed write removes its temporary file and keeps the old file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-metrics-'));
    const out = join(dir, 'vmalloc.prom');
    writeFileSync(out, 'old\n');
    // A directory where the file should be: the rename fails after the temporary file was written.
    const blocked = join(dir, 'blocked.prom');
    mkdirSync(join(blocked, 'x'), { recursive: true });
    expect(() => writeAtomically(blocked, 'new\n')).toThrow(/cannot write/);
    expect(readdirSync(dir).sort()).toEqual(['blocked.prom', 'vmalloc.prom']);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
  });

  it('a reader never sees a partial file while -o rewrites it again and again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-metrics-'));
    const out = join(dir, 'vmalloc.prom');
    // Two texts of about 1 MiB each, both ending in a marker line; a writer replaces the file 150 times.
    const texts = ['a', 'b'].map((t) => `${`# ${t}\n`.repeat(300_000)}end_${t} 1\n`);
    writeFileSync(join(dir, 'texts.json'), JSON.stringify(texts));
    const script = `import { readFileSync } from 'node:fs'; import { writeAtomically } from ${JSON.stringify(join(root, 'src/cli/metrics.ts'))};
      const texts = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'texts.json'))}, 'utf8'));
      for (let k = 0; k < 150; k++) writeAtomically(${JSON.stringify(out)}, texts[k % 2]);`;
    writeAtomically(out, texts[0]);
    const writer = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
    const done = new Promise<number | null>((resolve) => writer.on('exit', resolve));
    let reads = 0;
    let running = true;
    void done.then(() => (running = false));
    while (running) {
      const text = readFileSync(out, 'utf8');
      expect(text === texts[0] || text === texts[1]).toBe(true);
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    expect(await done).toBe(0);
    expect(reads).toBeGreaterThan(10);
    expect(readdirSync(dir).sort()).toEqual(['texts.json', 'vmalloc.prom']);
  }, 60_000);

  it('says what is wrong with its options, on stderr with exit 2', async () => {
    expect(parseMetricsArgs(['x', '--top', 'many'])).toMatch(/--top needs a number/);
    expect(parseMetricsArgs([])).toMatch(/missing FILE/);
    expect(parseMetricsArgs(['a', 'b'])).toMatch(/unexpected argument "b"/);
    expect(parseMetricsArgs(['a', '--json'])).toMatch(/unknown option --json/);
    expect(parseMetricsArgs(['-', '-o', 'x.prom', '--top=5'])).toEqual({ file: '-', out: 'x.prom', top: 5 });
    const r = await vmscope(['metrics', '--top']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vmscope: --top needs a number/);
    expect(existsSync(join(root, 'x.prom'))).toBe(false);
  });

  it('an input without an area line fails with exit 1 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-metrics-'));
    const r = await vmscope(['metrics', '-', '-o', join(dir, 'v.prom')], 'hello\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing read/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
