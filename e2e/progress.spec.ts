import { expect, test } from '@playwright/test';
import { SummaryPage } from './pages/SummaryPage.ts';
import { DEFAULT_SAMPLE, countAreaLines, samplePath } from './fixtures.ts';
import { readFileSync } from 'node:fs';

test('a big dump shows how far parsing has got, then its full area count', async ({ page }) => {
  const app = new SummaryPage(page);
  await app.open();
  // About 30 MB: the default sample repeated, so the count is known exactly.
  const copies = 1100;
  const text = readFileSync(samplePath(DEFAULT_SAMPLE), 'utf8').repeat(copies);
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    new MutationObserver(() => {
      const status = document.querySelector('[role="status"]')?.textContent;
      if (status) seen.push(status);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await app.fileInput.setInputFiles({ name: 'big.vmallocinfo', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await app.whenIdle();
  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE) * copies);
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(seen.some((s) => /Parsing… \d+%/.test(s))).toBe(true);
});
