// A series shared whole: a link to its recording (`#r=…`, compact) when it fits in 32 KB, else the
// `.vmscope-rec` file; either opened in a fresh page (a new browser context) shows the same
// moments. The facts are counted from the text with plain string splitting. Also: a hostile `#r=`.
import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';
import { DEFAULT_SAMPLE, countAreaLines, samplePath } from './fixtures.ts';

const REAL = 'series/host-6.18-hashed-date-Is.txt.gz';
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

/** Each stamped round's stamp and area line count. */
function roundsOf(log: string): { stamp: string; areas: number }[] {
  const rounds: { stamp: string; areas: number }[] = [];
  for (const line of log.split('\n')) {
    if (STAMP.test(line)) rounds.push({ stamp: line, areas: 0 });
    else if (line.startsWith('0x') && rounds.length > 0) rounds[rounds.length - 1].areas++;
  }
  return rounds;
}

/** Three raw x86_64 captures as a shell-loop log: boot, after insmod, after rmmod, a minute apart. */
const SMALL_LOG = ['boot', 'after-insmod', 'after-rmmod']
  .map((stage, k) => `2026-11-30T00:0${k}:00+00:00\n${readFileSync(samplePath(`kernels/x86_64-6.1.0-56-${stage}-raw.vmallocinfo`), 'utf8')}`)
  .join('');

async function openFresh(browser: Browser, url: string): Promise<SeriesPage> {
  const page = await (await browser.newContext()).newPage();
  const app = new SeriesPage(page);
  await page.goto(url);
  await app.whenIdle();
  return app;
}

/** The real series on a page, its Share panel open (with its addresses kept when asked); and its rounds from the log. */
async function shareRealSeries(page: Page, keepAddresses: boolean): Promise<{ rounds: { stamp: string; areas: number }[] }> {
  const rounds = roundsOf(gunzipSync(readFileSync(samplePath(REAL))).toString('utf8'));
  const app = new SeriesPage(page);
  await app.open();
  await app.load(REAL);
  await page.getByTestId('share-button').click();
  if (keepAddresses) await page.getByTestId('share-recording-addresses').check();
  return { rounds };
}

test.describe('sharing a series', () => {
  test('a series that fits opens from its recording link in a fresh page with every moment and the last one’s areas', async ({ page, browser }) => {
    const rounds = roundsOf(SMALL_LOG);
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([pageFile('vm.log', SMALL_LOG)]);
    expect((await app.state()).timeline?.count).toBe(3);
    await page.getByTestId('share-button').click();
    await expect(page.getByTestId('share-recording')).toContainText('Nothing leaves the browser');
    await expect(page.getByTestId('share-recording')).toContainText('Link to this recording (3 moments)');
    const url = page.getByTestId('share-recording-url');
    await expect(url).toHaveAttribute('data-addresses', 'hidden');
    await expect(url).toHaveValue(/#r=[A-Za-z0-9_-]+$/);
    const link = await url.inputValue();
    expect(link.length).toBeLessThanOrEqual(32 * 1024);

    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const other = new SeriesPage(await context.newPage());
    await other.page.goto(link);
    await other.whenIdle();
    await expect(other.page.getByTestId('share-error')).toHaveCount(0);
    const s = await other.state();
    expect(s.timeline?.count).toBe(rounds.length);
    expect(s.timeline?.index).toBe(rounds.length - 1);
    expect(s.timeline?.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(s.areas).toBe(rounds[rounds.length - 1].areas);
    await expect(other.page.getByTestId('share-note')).toBeVisible();
    expect(requests.filter((u) => new URL(u).origin !== new URL(link).origin)).toEqual([]);

    // Pasted on a page showing a dump, and put in the address bar of an open page (hashchange).
    await other.load(DEFAULT_SAMPLE);
    expect((await other.state()).timeline).toBeUndefined();
    await other.pasteOnPage(`  ${link}\n`);
    expect((await other.state()).timeline?.count).toBe(rounds.length);
    await other.load(DEFAULT_SAMPLE);
    await other.page.evaluate((hash) => (window.location.hash = hash), link.slice(link.indexOf('#')));
    await expect.poll(async () => (await other.state()).timeline?.count).toBe(rounds.length);
    expect((await other.state()).areas).toBe(rounds[rounds.length - 1].areas);
    await context.close();
  });

  test('the real series with its addresses hidden fits in a link, which opens in a fresh page with every moment', async ({ page, browser }) => {
    const { rounds } = await shareRealSeries(page, false);
    const url = page.getByTestId('share-recording-url');
    await expect(url).toHaveAttribute('data-addresses', 'hidden');
    await expect(url).toHaveValue(/#r=[A-Za-z0-9_-]+$/);
    const link = await url.inputValue();
    expect(link.length).toBeLessThanOrEqual(32 * 1024);
    await expect(page.getByTestId('share-recording-too-long')).toHaveCount(0);

    const other = await openFresh(browser, link);
    await expect(other.page.getByTestId('share-error')).toHaveCount(0);
    const s = await other.state();
    expect(s.timeline?.count).toBe(rounds.length);
    expect(s.timeline?.times).toEqual(rounds.map((r) => Date.parse(r.stamp)));
    expect(s.areas).toBe(rounds[rounds.length - 1].areas);
    await other.page.context().close();
  });

  // With its addresses kept (hashes as they were, not renumbered) the real series passes 32 KB.
  test('the real series is too long for a link: the panel offers its .vmscope-rec file, which opens as the same series', async ({ page, browser }) => {
    const { rounds } = await shareRealSeries(page, true);
    const tooLong = page.getByTestId('share-recording-too-long');
    await expect(tooLong).toContainText('too long for a practical one');
    await expect(page.getByTestId('share-recording-url')).toHaveCount(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-recording-download').click()]);
    expect(download.suggestedFilename()).toBe('host-6.18-hashed-date-Is.vmscope-rec');
    const bytes = readFileSync((await download.path())!);
    await expect(page.getByTestId('share-recording-download')).toContainText(`${(bytes.length / 1024).toFixed(1)} KiB`);

    const other = new SeriesPage(await (await browser.newContext()).newPage());
    await other.open();
    await other.dropFiles([pageFile('host.vmscope-rec', bytes)]);
    const s = await other.state();
    expect(s.timeline?.count).toBe(rounds.length);
    expect(s.areas).toBe(rounds[rounds.length - 1].areas);
    await other.page.context().close();
  });

  test('the real series’ latest moments that fit make a link, which opens on the same last moment', async ({ page, browser }) => {
    const { rounds } = await shareRealSeries(page, true);
    const latest = page.getByTestId('share-recording-latest-url');
    await expect(latest).toHaveValue(/#r=[A-Za-z0-9_-]+$/);
    const link = await latest.inputValue();
    expect(link.length).toBeLessThanOrEqual(32 * 1024);
    const moments = Number(await latest.getAttribute('data-moments'));
    expect(moments).toBeGreaterThan(0);
    expect(moments).toBeLessThan(rounds.length);
    await expect(page.getByTestId('share-recording-too-long')).toContainText(`latest ${moments} moments (from moment ${rounds.length - moments + 1})`);

    const other = await openFresh(browser, link);
    await expect(other.page.getByTestId('share-error')).toHaveCount(0);
    const s = await other.state();
    expect(s.timeline?.count).toBe(moments);
    expect(s.timeline?.times).toEqual(rounds.slice(rounds.length - moments).map((r) => Date.parse(r.stamp)));
    expect(s.areas).toBe(rounds[rounds.length - 1].areas);
    await other.page.context().close();
  });

  test('a hostile recording link says why and never replaces the dump on screen', async ({ page, browser }) => {
    const app = new SeriesPage(page);
    await app.open();
    const areas = countAreaLines(DEFAULT_SAMPLE);
    expect((await app.state()).areas).toBe(areas);
    await page.evaluate(() => (window.location.hash = '#r=Vk1TQ1JFQwoBAAAAAA'));
    await expect(page.getByTestId('share-error')).toContainText('recording link is damaged');
    await app.whenIdle();
    expect((await app.state()).areas).toBe(areas);
    expect((await app.state()).timeline).toBeUndefined();

    const fresh = await openFresh(browser, new URL('./#r=not*a*link', page.url()).href);
    await expect(fresh.page.getByTestId('share-error')).toContainText('recording link is damaged');
    expect((await fresh.state()).areas).toBe(areas);
    await fresh.page.context().close();
  });
});
