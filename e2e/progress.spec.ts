import { expect, test } from '@playwright/test';
import { SummaryPage } from './pages/SummaryPage.ts';
import { DEFAULT_SAMPLE, countAreaLines, samplePath } from './fixtures.ts';
import { readFileSync } from 'node:fs';
import type { VmscopeHook } from '../src/app/testHook.ts';

test('a big dump shows how far parsing has got, then its full area count', async ({ page }) => {
  const app = new SummaryPage(page);
  await app.open();
  // About 30 MB: the default sample repeated, so the count is known exactly. The text is built in
  // the page from the sample the page serves (the same bytes as the file here) and opened as a
  // file through the test hook: sending 30 MB to the file chooser over the DevTools protocol took
  // seconds and is not what this test is about.
  const copies = 1100;
  const one = readFileSync(samplePath(DEFAULT_SAMPLE), 'utf8');
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    new MutationObserver(() => {
      const status = document.querySelector('[role="status"]')?.textContent;
      if (status) seen.push(status);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const served = await page.evaluate(async ([path, copies]) => {
    const text = await (await fetch(`samples/${path}`)).text();
    void (window as unknown as { __vmscope: VmscopeHook }).__vmscope.openFile('big.vmallocinfo', text.repeat(copies));
    return text;
  }, [DEFAULT_SAMPLE, copies] as const);
  expect(served).toBe(one);
  await app.whenIdle();
  await app.expectAreaCount(countAreaLines(DEFAULT_SAMPLE) * copies);
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(seen.some((s) => /Parsing… \d+%/.test(s))).toBe(true);
});
