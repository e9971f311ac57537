// Smoke tests: the built bin (scripts/build.mjs --cli-only, into a folder of its own) run as a
// process, for what only a process shows: its exit statuses, a stdin that never ends, a reader of
// its stdout that goes away, Ctrl-C and kill. Every other CLI test runs it in-process (testing.ts's
// runCli); package.test.ts runs the bin of the installed package, publish.test.ts a published build's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecording } from '../lib/series/recording.ts';
import { runCli } from './testing.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => join(root, 'public/samples', name);
const dir = mkdtempSync(join(tmpdir(), 'vmscope-smoke-'));
const bin = join(dir, 'dist/cli/vmscope.js');

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--cli-only', '--outDir', join(dir, 'dist')], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built bin with `args`, `input` on its stdin. */
function vmscope(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the built vmscope bin, run as a process', () => {
  it('exits 0 with its answer on stdout, 1 when a file cannot be read, 2 on a bad command line', () => {
    const file = sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const areas = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('0x')).length;
    const ok = vmscope(['summary', file, '--json']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(JSON.parse(ok.stdout).areas).toBe(areas);
    const piped = vmscope(['summary', '-', '--json'], readFileSync(file, 'utf8'));
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).areas).toBe(areas);
    const missing = vmscope(['summary', '/nonexistent/file']);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', 'vmscope: cannot read /nonexistent/file: no such file\n']);
    const usage = vmscope(['sumary', 'x']);
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toMatch(/^vmscope: unknown command "sumary"\nusage: vmscope summary/);
  });

  it('prints byte for byte what the CLI run in-process prints, so the in-process tests speak for the bin', async () => {
    const a = sample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const b = sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
    const dump = readFileSync(b, 'utf8');
    const runs: Array<[string[], string?]> = [
      [['summary', b]],
      [['diff', a, '-', '--json'], dump],
      [['export', b, '--format', 'csv']],
      [['link', b]],
      [['help']],
      [['diff', a]],
    ];
    for (const [args, input] of runs) {
      const real = vmscope(args, input);
      const inProcess = await runCli(args, { stdin: input });
      expect(inProcess, args.join(' ')).toEqual({ code: real.code, stdout: real.stdout, stderr: real.stderr });
    }
  });

  it('refuses an endless stdin (/dev/zero) once it passes 200 MiB, with exit status 1', () => {
    const asStdin = spawnSync('sh', ['-c', `exec "${process.execPath}" "${bin}" export - < /dev/zero`], { encoding: 'utf8', timeout: 30_000 });
    expect([asStdin.status, asStdin.stderr]).toEqual([1, 'vmscope: stdin is over 200 MiB, over the 200 MiB that vmscope reads; it was not read.\n']);
  });

  it('ends quietly when the reader of its output goes away (export | head)', () => {
    const text = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'), 'utf8');
    const file = join(dir, 'big.vmallocinfo');
    writeFileSync(file, text.repeat(200));
    for (const format of ['csv', 'ndjson']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" export "${file}" --format ${format} | head -n 2; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout.split('\n')).toHaveLength(3);
      expect(r.stderr).toBe('status 0\n');
    }
  });

  it('finishes a recording cleanly on SIGINT and SIGTERM: the recording holds every moment it announced', async () => {
    const dump = readFileSync(sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo'), 'utf8');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const proc = join(dir, `proc-${signal}`);
      mkdirSync(join(proc, 'sys/kernel/random'), { recursive: true });
      writeFileSync(join(proc, 'vmallocinfo'), dump);
      const out = join(dir, `rec-${signal}.vmscope-rec`);
      const child = spawn(process.execPath, [bin, 'record', '--every', '100ms', '-o', out], { env: { ...process.env, VMSCOPE_PROC: proc } });
      let stderr = '';
      const code = await new Promise<number | null>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/moment 3:/.test(stderr) && !child.killed) child.kill(signal);
        });
        child.on('exit', (c) => resolve(c));
      });
      expect(code).toBe(0);
      const announced = (stderr.match(/moment \d+:/g) ?? []).length;
      expect(stderr).toContain(`recorded ${announced} moments to ${out}`);
      const decoded = decodeRecording(readFileSync(out));
      expect(decoded.problem).toBeNull();
      expect(decoded.frames.length).toBe(announced);
    }
  }, 30000);
});
