// The page at the window sizes people use: 900 px (a half screen), 1280 and 1920 px. Nothing prints
// over anything else, the map takes the width it is given, and the header keeps its height when
// the first dump arrives.
// VMSCOPE_SHOTS=<dir> saves the screenshots there instead of the test's output folder.
import { expect, test } from '@playwright/test';
import { LayoutPage, overlapping } from './pages/LayoutPage.ts';
import { shotPath } from './fixtures.ts';

/** The groups of siblings that share a row or may wrap into one another. */
const GROUPS = [
  'header.header > .brand, header.header > .toolbar',
  'header.header .toolbar > *',
  '.map-head > *',
  '.map-toolbar > *',
  '[data-testid="map-caption"] > span',
  '.dump-heading > *',
];

test('at 900 px wide nothing in the header or the map’s head and caption prints over anything else', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 900, height: 1000 });
  const app = new LayoutPage(page);
  await app.open();
  await expect(page.getByTestId('map-caption-whole')).toContainText('Whole track');
  await expect(page.getByTestId('map-caption-below')).toContainText('Below');
  for (const group of GROUPS) expect(overlapping(await app.boxes(group)), group).toEqual([]);
  // The caption's two halves did not fit side by side: the second went under the first.
  const [whole, below] = await app.boxes('[data-testid="map-caption"] > span');
  expect(below.y).toBeGreaterThanOrEqual(whole.y + whole.height - 0.5);
  // And the caption sits above the canvas, not on it.
  const caption = (await app.caption.boundingBox())!;
  const canvas = (await app.mapCanvas.boundingBox())!;
  expect(caption.y + caption.height).toBeLessThanOrEqual(canvas.y + 0.5);
  await page.screenshot({ path: shotPath(testInfo, 'layout-900.png') });
});

test('the map grows with the window: at 1920 px it is far wider than at 1280 px', async ({ page }, testInfo) => {
  const app = new LayoutPage(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await app.open();
  const at1280 = await app.mapWidth();
  await page.setViewportSize({ width: 1920, height: 1000 });
  await expect.poll(() => app.mapWidth()).toBeGreaterThan(at1280 + 0.9 * (1920 - 1280));
  expect(await app.mapWidth()).toBeGreaterThan(0.9 * 1920);
  await app.whenIdle();
  for (const group of GROUPS) expect(overlapping(await app.boxes(group)), group).toEqual([]);
  await page.screenshot({ path: shotPath(testInfo, 'layout-1920.png') });
});

for (const width of [900, 1280, 1920]) {
  test(`at ${width} px the header keeps its height when the first and the second dump arrive`, async ({ page }) => {
    await page.setViewportSize({ width, height: 1000 });
    // Hold the sample menu back until the empty header has been measured.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/samples/index.json', async (route) => {
      await held;
      await route.continue();
    });
    const app = new LayoutPage(page);
    await page.goto('./');
    await expect(app.header).toBeVisible();
    const before = await app.headerHeight();
    release();
    await app.whenIdle();
    await expect(app.mapCanvas).toBeVisible();
    expect(await app.headerHeight()).toBe(before);
    // Nor when a second dump arrives and the session's "Loaded" menu comes to life.
    await app.pickSample('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    await expect(page.getByTestId('snapshot-history')).toBeEnabled();
    expect(await app.headerHeight()).toBe(before);
  });
}
