// Dumps kept on this device: what is on screen survives a reload (IndexedDB), is listed under Kept
// with "Forget", and a visited page opens again offline (the service worker, enabled by ?sw).
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputPage } from './pages/InputPage.ts';
import { SeriesPage, pageFile } from './pages/SeriesPage.ts';
import { DEFAULT_SAMPLE, GLUED_SAMPLE, HASHED_SAMPLE, baseName, countAreaLines, samplePath } from './fixtures.ts';

/** Open a sample's file with the file chooser, as a user would, and wait until it is on screen. */
async function choose(app: InputPage, path: string): Promise<void> {
  await app.fileInput.setInputFiles(samplePath(path));
  await app.whenIdle();
}

/** The dump on screen is the sample's file: its name, and its areas counted from the file itself. */
async function expectOnScreen(app: InputPage, path: string): Promise<void> {
  const s = await app.state();
  expect(s.fileName).toBe(baseName(path));
  expect(s.areas).toBe(countAreaLines(path));
}

/** Reload the page and wait until what it puts back is on screen. */
async function reload(app: InputPage): Promise<void> {
  await app.page.reload();
  await app.whenIdle();
}

const SERIES = 'series/host-6.18-hashed-date-Is.txt.gz';
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
const seriesStamps = gunzipSync(readFileSync(samplePath(SERIES)))
  .toString('utf8')
  .split('\n')
  .filter((l) => STAMP.test(l)).length;

function kept(page: Page) {
  return {
    button: page.getByTestId('kept-button'),
    items: page.getByTestId('kept-item'),
    async open(): Promise<void> {
      if ((await this.button.getAttribute('aria-expanded')) !== 'true') await this.button.click();
    },
  };
}

test.describe('dumps kept on this device', () => {
  test('a fresh browser has nothing kept and opens on the default sample', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await expectOnScreen(app, DEFAULT_SAMPLE);
    const k = kept(page);
    await k.open();
    await expect(k.items).toHaveCount(0);
    await expect(page.getByTestId('kept-panel')).toContainText('Nothing kept yet');
  });

  test('a dump opened as a file is back on screen after a reload, and listed', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    expect((await app.state()).fileName).toBe(baseName(HASHED_SAMPLE));

    await reload(app);
    await expectOnScreen(app, HASHED_SAMPLE);
    const k = kept(page);
    await k.open();
    await expect(k.items).toHaveCount(1);
    await expect(k.items.first()).toContainText(baseName(HASHED_SAMPLE));
    await expect(k.items.first()).toContainText('on screen');
  });

  test('the Kept panel closes when Share opens or a click lands outside it, so panels never stack', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    const k = kept(page);
    await k.open();
    await expect(page.getByTestId('kept-panel')).toBeVisible();
    await page.getByTestId('share-button').click();
    await expect(page.getByTestId('share-panel')).toBeVisible();
    await expect(page.getByTestId('kept-panel')).toHaveCount(0);
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await expect(page.getByTestId('share-panel')).toHaveCount(0);
  });

  test('forgotten, it is gone after a reload and the default sample is back', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    const k = kept(page);
    await k.open();
    await expect(k.items).toHaveCount(1);
    await page.getByRole('button', { name: `Forget ${baseName(HASHED_SAMPLE)}` }).click();
    await expect(k.items).toHaveCount(0);

    await reload(app);
    await expectOnScreen(app, DEFAULT_SAMPLE);
  });

  test('"Forget all" empties the list, from the keyboard', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    await choose(app, GLUED_SAMPLE);
    const k = kept(page);
    await k.button.focus();
    await page.keyboard.press('Enter');
    await expect(k.items).toHaveCount(2);
    await page.getByTestId('kept-forget-all').focus();
    await page.keyboard.press('Enter');
    await expect(k.items).toHaveCount(0);
  });

  test('a kept dump that was not on screen opens from the list', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    await choose(app, GLUED_SAMPLE);
    await reload(app);
    expect((await app.state()).fileName).toBe(baseName(GLUED_SAMPLE));
    const k = kept(page);
    await k.open();
    await page.getByRole('button', { name: `Open ${baseName(HASHED_SAMPLE)}` }).click();
    await app.whenIdle();
    await expectOnScreen(app, HASHED_SAMPLE);
    await expect(k.items).toHaveCount(2);
  });

  test('a sample named in the URL wins over the kept dump', async ({ page }) => {
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    await app.open(`?sample=${encodeURIComponent(GLUED_SAMPLE)}`);
    await expectOnScreen(app, GLUED_SAMPLE);
  });

  test('a series dropped as its .gz file comes back as a series after a reload', async ({ page }) => {
    const app = new SeriesPage(page);
    await app.open();
    await app.dropFiles([pageFile(baseName(SERIES), readFileSync(samplePath(SERIES)))]);
    expect((await app.state()).timeline?.count).toBe(seriesStamps);

    await reload(app);
    const s = await app.state();
    expect(s.fileName).toBe(baseName(SERIES));
    expect(s.timeline?.count).toBe(seriesStamps);
  });
});

test.describe('a browser with no storage for the page', () => {
  test('works as before and says dumps are not kept', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined });
    });
    const app = new InputPage(page);
    await app.open();
    await choose(app, HASHED_SAMPLE);
    await expectOnScreen(app, HASHED_SAMPLE);
    const k = kept(page);
    await k.open();
    await expect(page.getByTestId('kept-off')).toContainText('dumps are not kept');

    await reload(app);
    expect((await app.state()).fileName).toBe(baseName(DEFAULT_SAMPLE));
  });
});

test.describe('the page offline', () => {
  test('once visited with the service worker, it loads again with no network', async ({ page, context }) => {
    const app = new InputPage(page);
    await app.open('?sw');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Every file of this origin the page fetched is in the worker's cache.
    await page.waitForFunction(async () => {
      const cache = await caches.open('vmscope-v1');
      const have = new Set((await cache.keys()).map((r) => r.url));
      const wanted = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((u) => u.startsWith(location.origin) && !u.endsWith('/sw.js'));
      return wanted.length > 0 && wanted.every((u) => have.has(u));
    });
    await choose(app, HASHED_SAMPLE);

    await context.setOffline(true);
    await reload(app);
    await expectOnScreen(app, HASHED_SAMPLE);

    // With nothing kept, the starting sample comes from the worker's copy too.
    const k = kept(page);
    await k.open();
    await page.getByTestId('kept-forget-all').click();
    await expect(k.items).toHaveCount(0);
    await reload(app);
    await expectOnScreen(app, DEFAULT_SAMPLE);
    await context.setOffline(false);
  });

  test('the page can be installed: its manifest names it, gives an icon and opens standalone', async ({ page, request }) => {
    await page.goto('./');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).not.toBeNull();
    const manifestUrl = new URL(href!, page.url()).href;
    const manifest = (await (await request.get(manifestUrl)).json()) as { name: string; short_name: string; display: string; start_url: string; icons: { src: string; type: string }[] };
    expect(manifest.short_name).toBe('vmscope');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.length).toBeGreaterThan(0);
    const icon = await request.get(new URL(manifest.icons[0].src, manifestUrl).href);
    expect(icon.ok()).toBe(true);
    expect(await icon.text()).toContain('<svg');
  });
});
