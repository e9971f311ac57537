// The io seam (io.ts): a command run with an io writes to that io alone, so tests run the CLI
// in-process (testing.ts's runCli) and see all it says.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLES_DIR, fixture } from '../lib/testing/fixtures.ts';
import { REPORT_MARKERS } from './reportPage.ts';
import { runCli } from './testing.ts';

const K = `${SAMPLES_DIR}kernels/`;
const SERIES = `${SAMPLES_DIR}series/host-6.18-hashed-date-Is.txt.gz`;
const dir = mkdtempSync(join(tmpdir(), 'vmscope-io-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('vmscope run with an io of its own', () => {
  it('writes every command’s answer, notes and errors to that io and nothing to the process’s stdout or stderr', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const proc = join(dir, 'proc');
    mkdirSync(proc);
    writeFileSync(join(proc, 'vmallocinfo'), fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'));
    const dump = `${K}x86_64-6.1.0-56-after-insmod-raw.vmallocinfo`;
    // vmscope report's template (VMSCOPE_APP_DIR/report/template.html), as small as it can be.
    mkdirSync(join(dir, 'app', 'report'), { recursive: true });
    writeFileSync(join(dir, 'app', 'report', 'template.html'), `<head>${REPORT_MARKERS.csp}${REPORT_MARKERS.title}</head><body>${REPORT_MARKERS.data}</body>`);
    const runs: Array<[string[], { stdin?: string; env?: Record<string, string> }, 'stdout' | 'stderr' | 'both']> = [
      [['summary', dump], {}, 'both'],
      [['summary', '-', '--json'], { stdin: fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo') + fixture('kernels/x86_64-6.1.0-56-boot-raw.meminfo') }, 'both'],
      [['diff', `${K}x86_64-6.1.0-56-boot-raw.vmallocinfo`, dump], {}, 'both'],
      [['export', dump, '--format', 'csv'], {}, 'stdout'],
      [['link', dump], {}, 'both'],
      [['link', dump, '--out', join(dir, 'x.vmscope')], {}, 'stderr'],
      [['summary', join(dir, 'x.vmscope')], {}, 'both'],
      [['timeline', SERIES], {}, 'stdout'],
      [['summary', SERIES], {}, 'both'],
      [['record', '--count', '1', '--every', '10ms', '-o', join(dir, 'r.vmscope-rec')], { env: { VMSCOPE_PROC: proc } }, 'stderr'],
      [['record'], {}, 'stderr'],
      [['report', '-', '-o', '-'], { stdin: fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo'), env: { VMSCOPE_APP_DIR: join(dir, 'app') } }, 'both'],
      [['report', SERIES, '-o', join(dir, 'r.html')], { env: { VMSCOPE_APP_DIR: join(dir, 'app') } }, 'stderr'],
      [['report', dump], {}, 'stderr'],
      [['help'], {}, 'stdout'],
      [['--version'], {}, 'stdout'],
      [['sumary', 'x'], {}, 'stderr'],
    ];
    for (const [args, options, where] of runs) {
      const r = await runCli(args, options);
      if (where !== 'stderr') expect(r.stdout, args.join(' ')).not.toBe('');
      if (where !== 'stdout') expect(r.stderr, args.join(' ')).not.toBe('');
    }
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
  });
});
