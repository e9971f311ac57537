// Screenshots of the summary in light and dark mode, for people to look at: they land in the
// test's output folder (test-results/) on every run. `npm run screenshot` also refreshes the
// README's pictures: public/screenshot.png, the before/after-insmod comparison, as a user gets it
// with one click, and public/screenshot-timeline.png, six hours of a generated host recorded as
// `vmscope record` records, with a slow BPF leak, on its timeline.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { Recorder, encodeHeader } from '../src/lib/series/recording.ts';
import { dayMoments } from '../src/lib/testing/day.ts';
import { AnalysisPage } from './pages/AnalysisPage.ts';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';
import { SummaryPage } from './pages/SummaryPage.ts';
import { DEFAULT_SAMPLE, GLUED_SAMPLE, HASHED_SAMPLE, countAreaLines } from './fixtures.ts';

const README_SHOT = fileURLToPath(new URL('../public/screenshot.png', import.meta.url));
const README_TIMELINE = fileURLToPath(new URL('../public/screenshot-timeline.png', import.meta.url));

test('the default sample renders its summary in light and dark mode', async ({ page }, testInfo) => {
  const app = new SummaryPage(page);
  await app.open();
  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE));
  await page.screenshot({ path: testInfo.outputPath('light.png'), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(255, 255, 255)');
  await page.screenshot({ path: testInfo.outputPath('dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  for (const [name, sample] of [
    ['hashed', HASHED_SAMPLE],
    ['glued', GLUED_SAMPLE],
    ['masked', 'seeds/ptrval-masked.vmallocinfo'],
  ]) {
    await app.load(sample);
    await app.expectAreaCount(countAreaLines(sample));
    await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  }
});

test('the one-click comparison of boot and after insmod, the README picture', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 1100 });
  const app = new AnalysisPage(page);
  await app.open();
  await app.compareInsmod.click();
  await app.whenIdle();
  await expect(app.diffHeadline).toContainText('net');
  await page.screenshot({ path: testInfo.outputPath('compare.png') });
  if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: README_SHOT });
});

test('six hours of a recorded host with a slow leak on the timeline, the README picture', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 1180 });
  const app = new SeriesPage(page);
  await app.open();
  // every 5 minutes for 6 hours, raw addresses, as `vmscope record --every 5m` would have it
  const moments = [...dayMoments({ moments: 72, everyMinutes: 5, seed: 7 })];
  const recorder = new Recorder();
  const parts = [encodeHeader({ created: moments[0].time, zoneMinutes: 0, pageSize: 4096, host: 'db01', kernel: '6.1.0', machine: 'x86_64', bootId: '', tool: 'test' })];
  for (const m of moments) parts.push(recorder.take({ time: m.time, zoneMinutes: 0, vmallocinfo: Buffer.from(m.dump) }).frame);
  await app.dropFiles([pageFile('db01.vmscope-rec', Buffer.concat(parts))]);
  const s = await app.state();
  expect(s.timeline?.count).toBe(moments.length);
  expect(s.areas).toBe(moments[moments.length - 1].dump.split('\n').filter((l) => l.startsWith('0x')).length);
  await page.getByRole('tab', { name: /What grew/ }).click();
  await expect(page.getByText('possible leak').first()).toBeVisible();
  await page.getByTestId('timeline').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
  await page.screenshot({ path: testInfo.outputPath('timeline.png') });
  if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: README_TIMELINE });
});
