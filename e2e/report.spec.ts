// `vmscope report FILE -o report.html`: the CLI fills the built template (PW_DIST, else dist/:
// DIST/report/template.html) with a dump, and the page opened from file:// in the browser shows it
// with no request besides the file itself (every other URL is aborted and recorded) and no
// Content-Security-Policy violation. The figures it shows are checked against the file's own lines.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createTar } from 'nanotar';
import { MapPage } from './pages/MapPage.ts';
import { SeriesPage } from './pages/SeriesPage.ts';
import { DEFAULT_SAMPLE, areaLines, baseName, samplePath, shotPath } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = process.env.PW_DIST ?? `${ROOT}dist`;
const SERIES = 'series/host-6.18-hashed-date-Is.txt.gz';

/** Run vmscope report (from the sources, with the built template) and return the page's file URL. */
function writeReport(file: string, extra: string[] = []): { url: string; stderr: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'vmscope-report-e2e-')), 'report.html');
  const r = spawnSync(process.execPath, ['src/cli/vmscope.mjs', 'report', file, '-o', out, ...extra], { cwd: ROOT, env: { ...process.env, VMSCOPE_APP_DIR: DIST }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { url: pathToFileURL(out).href, stderr: r.stderr };
}

/** Open a report as a user does (from disk), recording every request and policy violation on the way. */
async function openReport(page: Page, url: string): Promise<{ requests: string[]; problems: () => Promise<string[]> }> {
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const context = page.context();
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  const problems = async () => [...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)), ...consoleErrors];
  return { requests, problems };
}

test('a report of a raw dump opens from file:// with no request and no policy violation, and shows the dump’s areas and bytes', async ({ page }, testInfo) => {
  const { url, stderr } = writeReport(samplePath(DEFAULT_SAMPLE));
  const lines = areaLines(DEFAULT_SAMPLE);
  expect(stderr).toContain(`${lines.length} areas, addresses hidden`);
  const app = new SeriesPage(page);
  const { requests, problems } = await openReport(page, url);
  await app.whenIdle();
  const state = await app.state();
  expect(state.status).toBe('ready');
  expect(state.areas).toBe(lines.length);
  expect(state.bytes).toBe(lines.reduce((sum, l) => sum + l.size, 0));
  expect(state.pointerMode).toBe('raw');
  // The parse worker runs from inside the page too.
  expect(state.parsedIn).toBe('worker');
  await expect(page.getByTestId('report-line')).toContainText(`Report of ${baseName(DEFAULT_SAMPLE)} (a snapshot)`);
  await expect(page.getByTestId('report-line')).toContainText('addresses hidden');
  await expect(page).toHaveTitle(`vmscope report: ${baseName(DEFAULT_SAMPLE)}`);
  // The dump is named as the report names it, not by the .vmscope file it travels in, and not as a link.
  await expect(page.getByTestId('file-name')).toHaveText(baseName(DEFAULT_SAMPLE));
  await expect(page.locator('.dump-meta')).toContainText('carried in this report');
  await expect(page.getByTestId('share-note')).toHaveCount(0);
  // Nothing that would fetch or keep: no sample menu, no kept list, no share link, no database.
  await expect(app.sampleSelect).toHaveCount(0);
  await expect(page.getByTestId('kept-button')).toHaveCount(0);
  await expect(page.getByTestId('share-button')).toHaveCount(0);
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
  await page.screenshot({ path: shotPath(testInfo, 'report-dump.png') });
  expect(await problems()).toEqual([]);
  expect(requests).toEqual([url]);
});

test('a report of a recorded series opens from file:// with its timeline, each moment with its round’s areas', async ({ page }, testInfo) => {
  const { url } = writeReport(samplePath(SERIES));
  // The rounds, cut at their `date -Is` stamp lines with a plain regex.
  const rounds = gunzipSync(readFileSync(samplePath(SERIES)))
    .toString('utf8')
    .split(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n/m)
    .slice(1)
    .map((text) => text.split('\n').filter((l) => l.startsWith('0x')));
  const app = new SeriesPage(page);
  const { requests, problems } = await openReport(page, url);
  await app.whenIdle();
  let state = await app.state();
  expect(state.timeline?.count).toBe(rounds.length);
  expect(state.timeline?.index).toBe(rounds.length - 1);
  expect(state.areas).toBe(rounds[rounds.length - 1].length);
  await expect(page.getByTestId('report-line')).toContainText('(a recording)');
  for (const k of [0, 7]) {
    await app.setMoment(k);
    state = await app.state();
    expect(state.timeline?.index).toBe(k);
    expect(state.areas).toBe(rounds[k].length);
    expect(state.bytes).toBe(rounds[k].reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0));
  }
  await page.screenshot({ path: shotPath(testInfo, 'report-series.png') });
  expect(await problems()).toEqual([]);
  expect(requests).toEqual([url]);
});

test('a report made with --addresses shows the dump at its real addresses', async ({ page }) => {
  const { url, stderr } = writeReport(samplePath(DEFAULT_SAMPLE), ['--addresses']);
  expect(stderr).toContain('real addresses included');
  const lines = areaLines(DEFAULT_SAMPLE);
  const lowest = lines.reduce((min, l) => (l.start < min ? l.start : min), lines[0].start);
  const app = new MapPage(page);
  const { requests, problems } = await openReport(page, url);
  await app.whenIdle();
  await expect(page.getByTestId('report-line')).toContainText('real kernel addresses included');
  // The whole map: from the lowest area (a hidden report's map starts at 0).
  const view = await app.view();
  expect(view.start).toBeLessThanOrEqual(lowest);
  expect(view.start).toBeGreaterThan(lowest - 0x100000000n);
  expect(view.end).toBeGreaterThan(lowest);
  expect(await problems()).toEqual([]);
  expect(requests).toEqual([url]);
});

test('a sosreport .tar.xz opened in a report is unpacked there too (xz in WebAssembly, allowed by the policy), with no request', async ({ page }) => {
  const { url } = writeReport(samplePath(DEFAULT_SAMPLE));
  const base = 'kernels/x86_64-6.1.0-56-after-insmod-raw';
  const tar = createTar([
    { name: 'sosreport-db01/proc/vmallocinfo', data: readFileSync(samplePath(`${base}.vmallocinfo`), 'utf8') },
    { name: 'sosreport-db01/sos_commands/host/hostname', data: 'db01\n' },
  ]);
  const xz = execFileSync('/usr/bin/xz', ['-c'], { input: tar });
  const app = new SeriesPage(page);
  const { requests, problems } = await openReport(page, url);
  await app.whenIdle();
  await app.chooseFiles([{ name: 'sosreport-db01.tar.xz', buffer: xz }]);
  await expect(page.getByTestId('dump-origin')).toContainText('sosreport · db01');
  expect((await app.state()).areas).toBe(areaLines(`${base}.vmallocinfo`).length);
  expect(await problems()).toEqual([]);
  expect(requests).toEqual([url]);
});
