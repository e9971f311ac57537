// Publishing the app: a build told where the app will live (VMSCOPE_BASE) makes vmscope link point
// there by default; a base that is not an http(s) URL ending in / is refused at build time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = join(ROOT, 'public/samples/kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
const out = mkdtempSync(join(tmpdir(), 'vmscope-publish-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function buildCli(base: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--cli-only', '--outDir', out], { env: { ...process.env, VMSCOPE_BASE: base }, encoding: 'utf8' });
}

describe('a build for a published app', () => {
  it('makes vmscope link open the published page by default', () => {
    const base = 'https://vmscope.example/tools/';
    expect(buildCli(base).status).toBe(0);
    const link = spawnSync(process.execPath, [join(out, 'cli/vmscope.js'), 'link', SAMPLE], { encoding: 'utf8' });
    expect(link.status).toBe(0);
    expect(link.stdout.startsWith(`${base}#s=`)).toBe(true);
  });

  it('refuses a base that is not an http(s) URL ending in /', () => {
    const r = buildCli('vmscope.example/tools');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/VMSCOPE_BASE must be an http\(s\) URL ending in \//);
  });
});
