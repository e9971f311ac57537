// The package as a stranger gets it: `npm pack` (its prepack builds the app and the CLI), the tarball
// installed with --omit=dev into an empty folder, and the installed bin run with plain Node. This is
// what proves the bin needs nothing from the repository (no tsx, no node_modules of ours).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(root, 'public/samples/kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
const MODULES = SAMPLE.replace(/\.vmallocinfo$/, '.modules');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Area lines, size column, pages= and [module] tags of the sample, counted by splitting its text. */
function counted(text: string) {
  let areas = 0;
  let bytes = 0n;
  let pages = 0n;
  const modules = new Set<string>();
  for (const line of text.split('\n')) {
    if (!/^0x[0-9a-f]+-0x[0-9a-f]+\s/.test(line)) continue;
    areas++;
    bytes += BigInt(line.trim().split(/\s+/)[1]);
    const p = /\bpages=(\d+)/.exec(line);
    if (p) pages += BigInt(p[1]);
    const tag = /\[([A-Za-z0-9_]+)\]/.exec(line);
    if (tag) modules.add(tag[1]);
  }
  return { areas, bytes, pages, modules: [...modules] };
}

describe('the npm package', () => {
  let work = '';
  let bin = '';
  let installed = '';
  // npm without the variables of an `npm test` that runs this file, so it packs and installs as a user's npm would.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'vmscope-pack-'));
    const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', work], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = join(work, packed.trim().split('\n').pop()!);
    const folder = join(work, 'user');
    mkdirSync(folder);
    execFileSync(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--silent', tarball], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    installed = join(folder, 'node_modules');
    bin = join(installed, '.bin', 'vmscope');
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs into an empty folder as the built CLI and the built app alone, with nothing else to install', () => {
    expect(readdirSync(installed).filter((n) => !n.startsWith('.')).sort()).toEqual(['vmscope']);
    const pkg = join(installed, 'vmscope');
    expect(readdirSync(pkg).sort()).toEqual(['README.md', 'dist', 'package.json']);
    expect(existsSync(join(pkg, 'dist/index.html'))).toBe(true);
    expect(readFileSync(join(pkg, 'dist/cli/vmscope.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(readdirSync(join(pkg, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.map'))).toEqual([]);
  });

  it('runs summary on a real dump with the installed bin and plain Node, the areas as counted in the text', () => {
    const r = spawnSync(bin, ['summary', SAMPLE, '--modules', MODULES, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(r.stdout) as { areas: number; bytes: number; pages: number; modules: Record<string, unknown> };
    const want = counted(readFileSync(SAMPLE, 'utf8'));
    expect(want.areas).toBeGreaterThan(0);
    expect(json.areas).toBe(want.areas);
    expect(BigInt(json.bytes)).toBe(want.bytes);
    expect(BigInt(json.pages)).toBe(want.pages);
    // Every module named on an area's caller is among the modules counted (--modules adds the loader's areas).
    expect(want.modules.length).toBeGreaterThan(0);
    expect(Object.keys(json.modules)).toEqual(expect.arrayContaining(want.modules));
  });

  it('serves its own built app and the dump with vmscope FILE --no-open, and not its CLI', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VMSCOPE_APP_DIR'));
    const child = spawn(bin, [SAMPLE, '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const line = await new Promise<string>((done, fail) => {
        let text = '';
        child.stdout.on('data', (b: Buffer) => {
          text += b.toString('utf8');
          if (text.includes('\n')) done(text);
        });
        child.on('exit', (code) => fail(new Error(`vmscope exited ${code} before printing the URL`)));
      });
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)#open=([A-Za-z0-9_-]+)\n$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, base, token] = m!;
      const page = await fetch(base);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(join(installed, 'vmscope/dist/index.html'), 'utf8'));
      expect((await fetch(`${base}cli/vmscope.js`)).ok).toBe(false);
      const dump = await fetch(`${base}dump?token=${token}`);
      expect(Buffer.from(await dump.arrayBuffer()).equals(readFileSync(SAMPLE))).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('writes a report with its own template: the page of dist/report/template.html with the dump inside', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VMSCOPE_APP_DIR'));
    const out = join(work, 'report.html');
    const r = spawnSync(bin, ['report', SAMPLE, '-o', out], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${counted(readFileSync(SAMPLE, 'utf8')).areas} areas, addresses hidden`);
    const html = readFileSync(out, 'utf8');
    const template = readFileSync(join(installed, 'vmscope/dist/report/template.html'), 'utf8');
    // The template's app code is there unchanged: its last script is the page's last script.
    const lastScript = (text: string) => text.slice(text.lastIndexOf('<script type="module"'), text.indexOf('</script>', text.lastIndexOf('<script type="module"')));
    expect(lastScript(html)).toBe(lastScript(template));
    expect(html).toMatch(/<script type="application\/octet-stream" id="vmscope-report-dump">[A-Za-z0-9+/=]+<\/script>/);
  });

  it('says its version, the one in package.json, and its help on stdout with exit 0', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: v.status, stdout: v.stdout, stderr: v.stderr }).toEqual({ code: 0, stdout: `vmscope ${version}\n`, stderr: '' });
    const h = spawnSync(bin, ['help'], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: h.status, stderr: h.stderr }).toEqual({ code: 0, stderr: '' });
    expect(h.stdout).toMatch(/^usage: vmscope summary/);
  });
});
