// Screenshots of the summary in light and dark mode, for people to look at: they land in the
// test's output folder (test-results/) on every run. `npm run screenshot` also refreshes the
// README's picture, public/screenshot.png: the before/after-insmod comparison, as a user gets it
// with one click.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { AnalysisPage } from './pages/AnalysisPage.ts';
import { SummaryPage } from './pages/SummaryPage.ts';
import { DEFAULT_SAMPLE, GLUED_SAMPLE, HASHED_SAMPLE, countAreaLines } from './fixtures.ts';

const README_SHOT = fileURLToPath(new URL('../public/screenshot.png', import.meta.url));

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
